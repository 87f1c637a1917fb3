"""Where a lesson begins: a new case, a case the log holds, or the end of a scenario."""

from __future__ import annotations

from typing import Any

import attrs

from engine.app.case import Case
from engine.app.log import ProcedureLog
from engine.app.scenarios import run_scenario
from engine.procedure.commands import arguments
from engine.procedure.decide import command_for
from engine.procedure.state import CaseState, evolve
from replays import Scenario

__all__ = ["begin", "recorded_steps"]


def recorded_steps(log: ProcedureLog, case_id: str) -> list[tuple[str, dict[str, Any]]]:
    """The steps that recorded a case so far, as a scenario writes them."""
    state, steps = CaseState(case_id), []
    for rec in log.events.select(case_id):
        command = command_for(state, rec.event, rec.occurred_at)
        if command is not None:
            steps.append((command.action, {**arguments(command), **(
                {"date": rec.occurred_at} if rec.occurred_at else {})}))
        evolve(state, rec.event, rec.version, rec.occurred_at)
    return steps


def begin(log: ProcedureLog, free_id: str, title: str, start: Scenario | None,
           resume: str | None) -> tuple[Case, str, list[tuple[str, dict[str, Any]]]]:
    """The lesson's case, its title and the steps already taken: a new case, a case the
    log holds (`resume`), or a new case that a scenario has taken to its end (`start`)."""
    if resume is not None:
        case = log.case(resume)  # UnknownCaseError names the cases the log holds
        return case, case.title, recorded_steps(log, case.id)
    if start is not None:
        case = run_scenario(log, attrs.evolve(start, id=free_id))
        return case, start.title, [(s.action, dict(s.args)) for s in start.steps]
    return log.new_case(free_id, title), title, []
