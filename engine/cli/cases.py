"""Recording and reading cases: run, replay, state, log, cases, scenarios."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

import engine
import replays
from engine.app.export import state_json
from engine.app.scenarios import load_scenario, run_scenario
from engine.cli.base import DB, JSON, LOG, cli, echo, inert, json_text, opened, quiet, table
from engine.present.narrate import describe, narrate
from engine.procedure.errors import UnknownCaseError


@cli.command()
@click.argument("scenario")
@DB
def run(scenario: str, db: str) -> None:
    """Record a scenario's steps into a log, all in one transaction.

    SCENARIO is a TOML file or the name of a bundled scenario. If any step is not in
    order or any expectation fails, nothing is recorded.

    Example:  procedura run replays/scenarios/dprk-2014.toml --db un.db
    """
    loaded = load_scenario(scenario)
    with opened(db, readonly=False) as log:
        case = run_scenario(log, loaded)
    echo(f"{inert(loaded.id)}: {len(loaded.steps)} steps recorded in {inert(db)}; "
         f"{case.version} events; state {case.state}")


@cli.command()
@click.argument("name")
@click.option("--db", type=LOG, help="The log; without it, a temporary one.")
@click.option("--to", "upto", type=click.IntRange(min=1), help="Stop after event N.")
@click.option("--step", is_flag=True, help="One event at a time: Enter next, b back, q quit.")
def replay(name: str, db: str | None, upto: int | None, step: bool) -> None:
    """Narrate a case event by event: what happened, the rule, the new state.

    NAME is a case in the log given by --db, a bundled scenario or a scenario file. A
    scenario not yet in the log is recorded first (into a temporary log without --db).

    Example:  procedura replay dprk-2014 --to 5
    """
    if db and Path(db).exists():
        with opened(db) as log:
            if log.events.stream_version(name):
                _narrate(log, name, upto, step)
                return
    scenario = load_scenario(name)
    with tempfile.TemporaryDirectory(prefix="procedura-") as tmp:
        path = Path(db) if db else Path(tmp) / "replay.db"
        if not db and not quiet():
            echo(f"(no --db given: recording into a temporary log, {inert(path)}, deleted "
                 "afterwards)", err=True)
        with opened(path, readonly=False) as log:
            if not log.events.stream_version(scenario.id):
                run_scenario(log, scenario)
            _narrate(log, scenario.id, upto, step)


def _narrate(log: engine.ProcedureLog, case_id: str, upto: int | None, step: bool) -> None:
    lines, states, title = [], [], ""
    for rec, state in log.history(case_id):
        if upto is not None and rec.version > upto:
            break
        title = state.title
        states.append(state.state)
        note = f"\n      note: {inert(rec.note)}" if rec.note else ""
        lines.append(inert(narrate(rec, state.state, state.bodies)) + note)
    echo(f"{inert(case_id)}: {inert(title)}\n")
    shown = len(lines)
    if step:
        shown = _step_through(lines)
    else:
        echo("\n".join(lines))
    if (step and shown < len(lines)) or upto:
        echo(f"\nState after event {shown}: {states[shown - 1]}")
    else:
        echo(f"\nFinal state: {states[-1]}")


def _step_through(lines: list[str]) -> int:
    """Show one line at a time; return how many events were shown when the user left."""
    i = 0
    while 0 <= i < len(lines):
        echo(lines[i])
        key = click.prompt("[Enter] next  [b] back  [q] quit", default="", show_default=False,
                           err=True).strip().lower()
        if key == "q":
            return i + 1
        i = max(i - 1 if key == "b" else i + 1, 0)
    return len(lines)


@cli.command()
@click.argument("case")
@DB
@click.option("--at", type=click.IntRange(min=0), help="The state after event version N.")
@JSON
def state(case: str, db: str, at: int | None, as_json: bool) -> None:
    """Show a case's state, now or after event N (time travel).

    Example:  procedura state --db un.db dprk-2014 --at 5 --json
    """
    with opened(db) as log:
        data = state_json(log.case(case, at=at).data)
    if as_json:
        echo(json_text(data, indent=2))
        return
    echo(f"{inert(data['case'])}: {data['state']} (version {data['version']})")
    if data["draft"]:
        echo(f"  draft: {inert(data['draft']['symbol'])}, in the {inert(data['body'])}")
    for d in data["decisions"]:
        echo(f"  [{d['version']}] {inert(d['on'])}: {d['decision']['outcome']}")


@cli.command("log")
@click.argument("case", required=False)
@DB
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of events.")
def log_(case: str | None, db: str, as_json: bool) -> None:
    """List the events in the log (of one CASE, if given).

    Example:  procedura log --db un.db dprk-2014
    """
    from engine.app.export import record_json

    with opened(db) as log:
        if case is not None and not log.events.stream_version(case):
            raise UnknownCaseError(f"no case {case!r} in {db}")
        records = log.events.select(case)  # one case, or the whole log
        if as_json:
            echo("[", nl=False)
            for i, rec in enumerate(records):
                echo(("," if i else "") + "\n" + json_text(record_json(rec)), nl=False)
            echo("\n]")
            return
        table(["pos", "case", "v", "date", "event", "what happened"],
               [[r.position, r.stream_id, r.version, r.occurred_at or "", r.type,
                 describe(r.event)] for r in records])


@cli.command()
@DB
@JSON
def cases(db: str, as_json: bool) -> None:
    """List the cases in a log with their state.

    Example:  procedura cases --db un.db
    """
    with opened(db) as log:
        found = log.cases()
    if as_json:
        echo(json_text([{"case": c.id, "title": c.title, "state": c.state,
                         "version": c.version} for c in found]))
        return
    table(["case", "state", "events", "title"], [[c.id, c.state, c.version, c.title]
                                                    for c in found])


@cli.command()
@JSON
def scenarios(as_json: bool) -> None:
    """List the bundled scenarios (recorded proceedings).

    Example:  procedura scenarios
    """
    rows = []
    for name, path in replays.bundled().items():
        s = load_scenario(path)
        rows.append({"name": name, "title": s.title, "steps": len(s.steps),
                     "expect": s.expect_state, "path": str(path)})
    if as_json:
        echo(json_text(rows))
        return
    table(["name", "steps", "ends in", "title"],
           [[r["name"], r["steps"], r["expect"] or "", r["title"]] for r in rows])
