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

import click

import engine
import replays
from engine.errors import ExpectationError, InvalidArgumentError, ProcedureError, UnknownCaseError
from engine.narrate import describe, narrate
from engine.scenarios import load_scenario, run_scenario

DB = click.option("--db", required=True, type=click.Path(dir_okay=False), help="The log file.")
JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


class Group(click.Group):
    """Lists commands in the order they were defined, not alphabetically."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or notes on stderr.")
@click.version_option(package_name="procedura")
@click.pass_context
def cli(ctx: click.Context, quiet: bool) -> None:
    """procedura: an event-sourced engine for UN procedure.

    Every action is an event in an append-only SQLite log; state is rebuilt by replaying
    it. Start with:  procedura replay dprk-2014
    """
    ctx.obj = {"quiet": quiet}


def _quiet() -> bool:
    return bool(click.get_current_context().find_root().obj.get("quiet"))


@contextmanager
def _opened(db: str | Path, readonly: bool = True) -> Iterator[engine.ProcedureLog]:
    log = engine.open(db, readonly=readonly)
    try:
        yield log
    finally:
        log.close()


def _table(columns: list[str], rows: list[list[object]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns, box=None, header_style="bold", pad_edge=False)
    for row in rows:
        table.add_row(*(str(v) for v in row))
    # In a pipe, one line per row, however long: scripts read rows, not a screen.
    Console(width=None if sys.stdout.isatty() else 100_000).print(table)


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
    with _opened(db, readonly=False) as log:
        case = run_scenario(log, loaded)
    click.echo(f"{loaded.id}: {len(loaded.steps)} steps recorded in {db}; "
               f"{case.version} events; state {case.state}")


@cli.command()
@click.argument("name")
@click.option("--db", type=click.Path(dir_okay=False), help="The log; without it, a temporary one.")
@click.option("--to", "upto", type=click.IntRange(min=1), help="Stop after event N.")
@click.option("--step", is_flag=True, help="One event at a time: Enter next, b back, q quit.")
def replay(name: str, db: str | None, upto: int | None, step: bool) -> None:
    """Narrate a case event by event: what happened, the rule, the new state.

    NAME is a case in the log given by --db, a bundled scenario or a scenario file. A
    scenario not yet in the log is recorded first (into a temporary log without --db).

    Example:  procedura replay dprk-2014 --to 5
    """
    if db and Path(db).exists():
        with _opened(db) as log:
            if log.events.stream_version(name):
                _narrate(log, name, upto, step)
                return
    scenario = load_scenario(name)
    with tempfile.TemporaryDirectory(prefix="procedura-") as tmp:
        path = Path(db) if db else Path(tmp) / "replay.db"
        if not db and not _quiet():
            click.echo(f"(no --db given: recording into a temporary log, {path}, deleted "
                       "afterwards)", err=True)
        with _opened(path, readonly=False) as log:
            if not log.events.stream_version(scenario.id):
                run_scenario(log, scenario)
            _narrate(log, scenario.id, upto, step)


def _narrate(log: engine.ProcedureLog, case_id: str, upto: int | None, step: bool) -> None:
    lines, title, last = [], "", "new"
    for rec, state in log.history(case_id):
        if upto is not None and rec.version > upto:
            break
        title, last = state.title, state.state
        note = f"\n      note: {rec.note}" if rec.note else ""
        lines.append(narrate(rec, state.state) + note)
    click.echo(f"{case_id}: {title}\n")
    if step:
        _step_through(lines)
    else:
        click.echo("\n".join(lines))
    click.echo(f"\nState after event {upto}: {last}" if upto else f"\nFinal state: {last}")


def _step_through(lines: list[str]) -> None:
    i = 0
    while 0 <= i < len(lines):
        click.echo(lines[i])
        key = click.prompt("[Enter] next  [b] back  [q] quit", default="", show_default=False,
                           err=True).strip().lower()
        if key == "q":
            return
        i = i - 1 if key == "b" else i + 1
        i = max(i, 0)


@cli.command()
@click.argument("case")
@DB
@click.option("--at", type=click.IntRange(min=0), help="The state after event version N.")
@JSON
def state(case: str, db: str, at: int | None, as_json: bool) -> None:
    """Show a case's state, now or after event N (time travel).

    Example:  procedura state --db un.db dprk-2014 --at 5 --json
    """
    with _opened(db) as log:
        data = log.case(case, at=at).data.as_dict()
    data = {"case": data.pop("case_id"), **data}
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{case}: {data['state']} (version {data['version']})")
    if data["draft"]:
        click.echo(f"  draft: {data['draft']['symbol']}, in the {data['body']}")
    for d in data["decisions"]:
        click.echo(f"  [{d['version']}] {d['on']}: {d['decision']['outcome']}")


@cli.command("log")
@click.argument("case", required=False)
@DB
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of events.")
def log_(case: str | None, db: str, as_json: bool) -> None:
    """List the events in the log (of one CASE, if given).

    Example:  procedura log --db un.db dprk-2014
    """
    from engine.export import record_json

    with _opened(db) as log:
        if case is not None and not log.events.stream_version(case):
            raise UnknownCaseError(f"no case {case!r} in {db}")
        records = log.events.read_stream(case) if case else log.events.read_all()
        if as_json:
            click.echo("[", nl=False)
            for i, rec in enumerate(records):
                text = json.dumps(record_json(rec), ensure_ascii=False)
                click.echo(("," if i else "") + "\n" + text, nl=False)
            click.echo("\n]")
            return
        _table(["pos", "case", "v", "date", "event", "what happened"],
               [[r.position, r.stream_id, r.version, r.occurred_at or "", r.type,
                 describe(r.event)] for r in records])


@cli.command()
@DB
@JSON
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
    _table(["case", "state", "events", "title"], [[c.id, c.state, c.version, c.title]
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
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    _table(["name", "steps", "ends in", "title"],
           [[r["name"], r["steps"], r["expect"] or "", r["title"]] for r in rows])


@cli.command()
@DB
def verify(db: str) -> None:
    """Check a log: hash chain, versions, legality, and every decision re-derived.

    Exit 0 if all holds, 1 with the first bad position otherwise.

    Example:  procedura verify --db un.db
    """
    from engine.progress import progress
    from engine.verify import verify as check

    with _opened(db) as log, progress(log.events.count(), "verify", _quiet()) as tick:
        report = check(log, tick)
    if report.problem is None:
        click.echo(f"OK: {report.events} events in {report.cases} cases verified")
        return
    p = report.problem
    click.echo(f"FAILED at position {p.position} (case {p.case}): {p.message}")
    sys.exit(1)


@cli.command()
@click.option("--case", "case_id", help="Highlight this case's path and current state.")
@click.option("--db", type=click.Path(dir_okay=False), help="The log holding --case.")
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot", "svg"]), default="mermaid",
              show_default=True)
def diagram(case_id: str | None, db: str | None, fmt: str) -> None:
    """Draw the procedure's state machine (from its own definition).

    Example:  procedura diagram --case dprk-2014 --db un.db --format mermaid
    """
    from engine import diagram as draw

    current, path = None, []
    if case_id:
        if not db:
            raise InvalidArgumentError("--case needs --db, the log that holds the case")
        with _opened(db) as log:
            path = ["new", *(s.state for _, s in log.history(case_id))]
        current = path[-1]
    click.echo(getattr(draw, fmt)(current, path), nl=False)


@cli.command("what-if")
@click.argument("case")
@DB
@click.option("--at", required=True, type=click.IntRange(min=1),
              help="The vote at event N (or the first vote after it).")
@click.option("--set", "sets", multiple=True, metavar="OPTION=N", help="e.g. yes=80")
@click.option("--member", "members", multiple=True, metavar="NAME=OPTION", help='e.g. "India=no"')
def what_if(case: str, db: str, at: int, sets: tuple[str, ...], members: tuple[str, ...]) -> None:
    """Re-run a case with one vote changed, and compare every later decision.

    The case is rebuilt in a scratch log in memory; the log given is only read.

    Example:  procedura what-if dprk-2014 --db un.db --at 4 --set yes=80
    """
    from engine.whatif import what_if as run_what_if

    counts = {k: _int(v, k) for k, v in (_pair(s, "--set") for s in sets)}
    moved = dict(_pair(m, "--member") for m in members)
    with _opened(db) as log:
        result = run_what_if(log, case, at, counts, moved)
    change = ", ".join(f"{k}={v}" for k, v in result.changed.items()) or "nothing"
    click.echo(f"What if the vote on {result.vote_on} (event {result.vote_version}) had "
               f"{change}?\n")
    _table(["event", "on", "as recorded", "what if", ""],
           [[c.version, c.on, c.before, c.after or "not in order",
             "changed" if c.before != c.after else ""] for c in result.decisions])
    click.echo(f"\nFinal state: {result.state_before} as recorded; {result.state_after} "
               "in the what-if.")
    if result.stopped:
        click.echo(f"The what-if stops at {result.stopped}")


def _pair(text: str, option: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise InvalidArgumentError(f"{option} {text!r}: write it as KEY=VALUE")
    return key.strip(), value.strip()


def _int(value: str, key: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InvalidArgumentError(f"--set {key}={value}: {value!r} is not a whole "
                                   "number") from None


@cli.command()
@click.option("--body", default="third-committee", show_default=True, help="Where the draft goes.")
@click.option("--save", type=click.Path(dir_okay=False), help="Save the session as a scenario.")
@click.option("--db", type=click.Path(dir_okay=False), help="Keep the log (default: in memory).")
def play(body: str, save: str | None, db: str | None) -> None:
    """An interactive lesson: act as chair or delegation, one action at a time.

    Only the actions in order are offered; a refusal explains the rule.

    Example:  procedura play --body third-committee --save my-lesson.toml
    """
    from engine.play import run_lesson

    with _opened(db or ":memory:", readonly=False) as log:
        run_lesson(log, body=body, save=Path(save) if save else None)


@cli.command()
@click.argument("case")
@DB
@click.option("--format", "fmt", type=click.Choice(["json", "html"]), default="json",
              show_default=True)
@click.option("--output", type=click.Path(dir_okay=False), help="Write here, not to stdout.")
def export(case: str, db: str, fmt: str, output: str | None) -> None:
    """Write a case out: JSON data, or a self-contained HTML page to open in a browser.

    Example:  procedura export dprk-2014 --db un.db --format html --output dprk.html
    """
    with _opened(db) as log:
        if fmt == "html":
            from engine.page import render_html

            text = render_html(log, case)
        else:
            from engine.export import case_json

            text = json.dumps(case_json(log, case), ensure_ascii=False, indent=2) + "\n"
    if output:
        Path(output).write_text(text, encoding="utf-8")
        if not _quiet():
            click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


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
    except OSError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
