"""Running scenario files: every step is the case method of the same name.

The parameters each action accepts are read off the command classes, which are also the
`Case` methods' signatures, so the scenario format cannot drift from the library API.
"""

from __future__ import annotations

from pathlib import Path

import attrs

import replays
from engine.app.case import Case
from engine.app.log import ProcedureLog
from engine.procedure.commands import COMMANDS, KIND, Command, OpenCase
from engine.procedure.errors import ExpectationError, ProcedureError, ScenarioError
from replays import Param, Scenario, Step

__all__ = [
    "ACTION_PARAMS", "command", "load_scenario", "opening", "resolve_scenario", "run_scenario",
]

def _params(command: type[Command]) -> dict[str, Param]:
    return {f.name: Param(f.metadata[KIND], f.default is attrs.NOTHING)
            for f in attrs.fields(command) if f.name != "date"}


# The keys each scenario step may carry, read off the command classes: the scenario
# format cannot drift from the library API.
ACTION_PARAMS: dict[str, dict[str, Param]] = {a: _params(c) for a, c in COMMANDS.items()}


def resolve_scenario(name_or_path: str | Path) -> Path:
    """A bundled scenario's name (e.g. "dprk-2014") or a file path, as a path."""
    found = replays.find(str(name_or_path))
    if found is not None:
        return found
    path = Path(name_or_path)
    if path.exists():
        return path
    names = ", ".join(replays.bundled()) or "none"
    raise ScenarioError(f"{name_or_path}: neither a scenario file nor a bundled scenario "
                        f"(bundled: {names})")


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load and check a scenario, bundled (by name) or from a file."""
    return replays.load(resolve_scenario(name_or_path), ACTION_PARAMS)


def opening(scenario: Scenario) -> OpenCase:
    """The command that opens the scenario's case."""
    return OpenCase(id=scenario.id, title=scenario.title, council=scenario.council,
                    bodies=scenario.bodies)


def command(scenario: Scenario, step: Step) -> Command:
    """The command of one step: its action's arguments, on the step's date or else the
    scenario's (who acted and a note are the envelope of the record, not the command)."""
    arguments = {k: v for k, v in step.args.items() if k not in ("actor", "note")}
    return COMMANDS[step.action](**{"date": scenario.date, **arguments})


def run_scenario(log: ProcedureLog, scenario: Scenario, actor: str | None = None) -> Case:
    """Record every step of the scenario in one transaction: all of them, or none.

    A step that is not in order raises `ScenarioError`, an `expect` that does not hold
    raises `ExpectationError`; either way nothing is appended.
    """
    with log.transaction():
        where = f"{scenario.source}, [case]"
        try:
            case = log.open_case(opening(scenario))
        except ProcedureError as e:
            raise ScenarioError(f"{where}: {e}") from e
        for step in scenario.steps:
            where = f"{scenario.source}, step {step.number} ({step.action})"
            try:
                case.run(command(scenario, step), actor=step.args.get("actor", actor),
                         note=step.args.get("note"))
            except ExpectationError as e:
                raise ExpectationError(f"{where}: {e}") from e
            except ProcedureError as e:
                raise ScenarioError(f"{where}: {e}") from e
        if scenario.expect_state is not None and case.state != scenario.expect_state:
            raise ExpectationError(
                f"{scenario.source}, [expect]: the case ends in {case.state}, "
                f"not {scenario.expect_state} as expected"
            )
    return case
