"""The `procedura` command: a thin shell over the library API.

Exit codes: 0 done; 1 an expectation failed (a scenario's `expect`, or `verify` found a
problem); 2 bad input or an action not in order. User errors print one clear message,
never a traceback.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

import engine
import replays
from engine.errors import ExpectationError, ProcedureError, UnknownCaseError
from engine.narrate import describe, narrate
from engine.scenarios import load_scenario, run_scenario

DB_HELP = "The log file (SQLite)."


class Group(click.Group):
    """Lists commands in the order they were defined, not alphabetically."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="procedura")
def cli() -> None:
    """procedura: an event-sourced engine for UN procedure.

    Every action is an event in an append-only SQLite log; state is rebuilt by replaying
    it. Start with:  procedura replay dprk-2014
    """


@contextmanager
def _opened(db: str | Path, readonly: bool = True) -> Iterator[engine.ProcedureLog]:
    log = engine.open(db, readonly=readonly)
    try:
        yield log
    finally:
        log.close()


@cli.command()
@click.argument("scenario")
@click.option("--db", required=True, type=click.Path(dir_okay=False), help=DB_HELP)
def run(scenario: str, db: str) -> None:
    """Record a scenario's steps into a log, all in one transaction.

    SCENARIO is a TOML file or the name of a bundled scenario. If any step is not in
    order or any expectation fails, nothing is recorded.

    Example:  procedura run replays/scenarios/dprk-2014.toml --db un.db
    """
    loaded = load_scenario(scenario)
    with _opened(db, readonly=False) as log:
        case = run_scenario(log, loaded)
    click.echo(f"{loaded.id}: {len(loaded.steps)} steps recorded in {db}; "
               f"{case.version} events; state {case.state}")


@cli.command()
@click.argument("name")
@click.option("--db", type=click.Path(dir_okay=False),
              help=DB_HELP + " Without it, a temporary log.")
def replay(name: str, db: str | None) -> None:
    """Narrate a case event by event: what happened, the rule, the new state.

    NAME is a case in the log given by --db, a bundled scenario or a scenario file. A
    scenario not yet in the log is recorded first (into a temporary log without --db).

    Example:  procedura replay dprk-2014
    """
    if db and Path(db).exists():
        with _opened(db) as log:
            if _has_case(log, name):
                _narrate(log, name)
                return
    scenario = load_scenario(name)
    if db is None:
        with tempfile.TemporaryDirectory(prefix="procedura-") as tmp:
            path = Path(tmp) / "replay.db"
            click.echo(f"(no --db given: recording into a temporary log, {path}, deleted "
                       "afterwards)", err=True)
            _record_and_narrate(path, scenario)
        return
    _record_and_narrate(Path(db), scenario)


def _has_case(log: engine.ProcedureLog, case_id: str) -> bool:
    return log.events.stream_version(case_id) > 0


def _record_and_narrate(path: Path, scenario: replays.Scenario) -> None:
    with _opened(path, readonly=False) as log:
        if not _has_case(log, scenario.id):
            run_scenario(log, scenario)
        _narrate(log, scenario.id)


def _narrate(log: engine.ProcedureLog, case_id: str) -> None:
    last = "new"
    title = None
    for rec, state in log.history(case_id):
        title = title or state.title
        if rec.version == 1:
            click.echo(f"{case_id}: {state.title}\n")
        click.echo(narrate(rec, state.state))
        if rec.note:
            click.echo(f"      note: {rec.note}")
        last = state.state
    click.echo(f"\nFinal state: {last}")


@cli.command()
@click.argument("case")
@click.option("--db", required=True, type=click.Path(dir_okay=False), help=DB_HELP)
@click.option("--at", type=click.IntRange(min=0), help="The state after event version N.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def state(case: str, db: str, at: int | None, as_json: bool) -> None:
    """Show a case's state, now or after event N (time travel).

    Example:  procedura state --db un.db dprk-2014 --at 5 --json
    """
    with _opened(db) as log:
        data = log.case(case, at=at).data.as_dict()
    if as_json:
        data = {"case": data.pop("case_id"), **data}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(f"{case}: {data['state']} (version {data['version']})")
    draft = data.get("draft")
    if draft:
        click.echo(f"  draft: {draft['symbol']}, in the {data['body']}")
    for d in data["decisions"]:
        click.echo(f"  [{d['version']}] {d['on']}: {d['decision']['outcome']}")


@cli.command("log")
@click.argument("case", required=False)
@click.option("--db", required=True, type=click.Path(dir_okay=False), help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of events.")
def log_(case: str | None, db: str, as_json: bool) -> None:
    """List the events in the log (of one CASE, if given).

    Example:  procedura log --db un.db dprk-2014
    """
    with _opened(db) as log:
        if case is not None and not _has_case(log, case):
            raise UnknownCaseError(f"no case {case!r} in {db}")
        records = log.events.read_stream(case) if case else log.events.read_all()
        if as_json:
            click.echo("[", nl=False)
            for i, rec in enumerate(records):
                click.echo(("," if i else "") + "\n" + json.dumps(_record_json(rec),
                                                                  ensure_ascii=False), nl=False)
            click.echo("\n]")
            return
        for rec in records:
            date = rec.occurred_at or "          "
            click.echo(f"{rec.position:>6} {rec.stream_id} v{rec.version:<4} {date} "
                       f"{rec.type:<20} {describe(rec.event)}")


def _record_json(rec: Any) -> dict[str, Any]:
    return {
        "position": rec.position, "event_id": rec.event_id, "case": rec.stream_id,
        "version": rec.version, "type": rec.type, "schema_version": rec.schema_version,
        "occurred_at": rec.occurred_at, "recorded_at": rec.recorded_at, "actor": rec.actor,
        "note": rec.note, "payload": json.loads(rec.payload), "hash": rec.hash,
    }


@cli.command()
@click.option("--db", required=True, type=click.Path(dir_okay=False), help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def cases(db: str, as_json: bool) -> None:
    """List the cases in a log with their state.

    Example:  procedura cases --db un.db
    """
    with _opened(db) as log:
        found = log.cases()
    if as_json:
        click.echo(json.dumps([{"case": c.id, "title": c.title, "state": c.state,
                                "version": c.version} for c in found], ensure_ascii=False))
        return
    for c in found:
        click.echo(f"{c.id:<24} {c.state:<22} v{c.version:<5} {c.title}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
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
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        click.echo(f"{r['name']:<18} {r['steps']:>3} steps  {r['title']}")


def main() -> None:
    """Run the CLI, turning user errors into one-line messages and exit codes."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except ExpectationError as e:
        click.echo(f"expectation failed: {e}", err=True)
        sys.exit(1)
    except ProcedureError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
