"""Tools over a log: verify, diagram, what-if, play, export."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import click

import engine
from engine.app.paths import check_output
from engine.cli.base import DB, LOG, cli, echo, inert, opened, quiet, table
from engine.cli.output import inert_document
from engine.procedure.errors import InvalidArgumentError


@cli.command()
@DB
@click.option("--checkpoint", "cp", type=click.Path(dir_okay=False),
              help="Also prove that the log extends this checkpoint.")
@click.option("--public-key", type=click.Path(dir_okay=False),
              help="Check the checkpoint's signature with this key (KEY.pub).")
def verify(db: str, cp: str | None, public_key: str | None) -> None:
    """Check a log: hash chain, versions, legality, and every decision re-derived.

    With --checkpoint, also that the log begins with exactly the events the checkpoint
    was taken over. Exit 0 if all holds, 1 with the first bad position otherwise.

    Example:  procedura verify --db un.db --checkpoint cp.txt --public-key key.pub
    """
    from engine.app.verify import verify as check
    from engine.cli.progress import progress

    if public_key and not cp:
        raise InvalidArgumentError("--public-key checks a checkpoint's signature: give "
                                   "--checkpoint too")
    found = None
    if cp:
        from engine.app.integrity import verify_checkpoint
        from engine.cli.proofs import read_text
        from engine.cli.proofs import report as report_finding

        note = read_text(cp, "the checkpoint")
        with opened(db) as log:
            found = verify_checkpoint(log, note, public_key)
        if not found.ok:
            report_finding(found)
    with opened(db) as log, progress(_count(log), "verify", quiet()) as tick:
        report = check(log, tick)
    if report.problem is None:
        echo(f"OK: {report.events} event{'s' * (report.events != 1)} in {report.cases} "
             f"case{'s' * (report.cases != 1)} verified")
        if found is not None:
            report_finding(found)
        return
    p = report.problem
    where = f" at position {p.position} (case {inert(p.case)})" if p.position else ""
    echo(f"FAILED{where}: {inert(p.message)}")
    sys.exit(1)


def _count(log: engine.ProcedureLog) -> int:
    """How many events verify will read; 0 when the file is too damaged to count them
    (then verify's first check, SQLite's own, reports the damage)."""
    try:
        return log.events.count()
    except sqlite3.DatabaseError:
        return 0


@cli.command()
@click.option("--case", "case_id", help="Highlight this case's path and current state.")
@click.option("--db", type=LOG, help="The log holding --case.")
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot", "svg"]), default="mermaid",
              show_default=True)
def diagram(case_id: str | None, db: str | None, fmt: str) -> None:
    """Draw the procedure's state machine (from its own definition).

    Example:  procedura diagram --case dprk-2014 --db un.db --format mermaid
    """
    from engine.present import diagram as draw

    current, path = None, []
    if case_id:
        if not db:
            raise InvalidArgumentError("--case needs --db, the log that holds the case")
        with opened(db) as log:
            path = ["new", *(s.state for _, s in log.history(case_id))]
        current = path[-1]
    echo(getattr(draw, fmt)(current, path), nl=False)


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
    from engine.app.whatif import what_if as run_what_if

    counts = {k: _int(v, k) for k, v in (_pair(s, "--set") for s in sets)}
    moved = dict(_pair(m, "--member") for m in members)
    with opened(db) as log:
        result = run_what_if(log, case, at, counts, moved)
    change = ", ".join(f"{k}={v}" for k, v in result.changed.items()) or "nothing"
    echo(f"What if the vote on {inert(result.vote_on)} (event {result.vote_version}) had "
         f"{inert(change)}?\n")
    table(["event", "on", "as recorded", "what if", ""],
           [[c.version, c.on, c.before, c.after or "not in order",
             "changed" if c.before != c.after else ""] for c in result.decisions])
    echo(f"\nFinal state: {result.state_before} as recorded; {result.state_after} "
         "in the what-if.")
    if result.stopped:
        echo(f"The what-if stops at {inert(result.stopped)}")


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
@click.option("--save", type=click.Path(), help="Save the session as a scenario.")
@click.option("--db", type=LOG, help="Keep the log (default: in memory).")
@click.option("--from", "start", metavar="SCENARIO",
              help="Begin where a scenario (bundled name or file) ends, its bodies included.")
@click.option("--case", "resume", metavar="ID", help="Continue a case the --db log holds.")
def play(body: str, save: str | None, db: str | None, start: str | None,
         resume: str | None) -> None:
    """An interactive lesson: act as chair or delegation, one action at a time.

    Only the actions in order are offered; a refusal explains the rule.

    Example:  procedura play --from dprk-2014 --save my-lesson.toml
    """
    from engine.app.scenarios import load_scenario
    from engine.cli.play import run_lesson

    if start is not None and resume is not None:
        raise click.UsageError("give --from or --case, not both")
    if resume is not None and db is None:
        raise click.UsageError("--case continues a case of a log: give its --db")
    if save is not None:  # before the lesson: a lesson saved over its own log destroys it
        check_output(save, db, "--save")
    scenario = load_scenario(start) if start is not None else None
    with opened(db or ":memory:", readonly=False) as log:
        run_lesson(log, body=body, save=Path(save) if save else None, start=scenario,
                   resume=resume)


@cli.command()
@click.argument("case")
@DB
@click.option("--format", "fmt", type=click.Choice(["json", "html", "popolo"]), default="json",
              show_default=True)
@click.option("--output", type=click.Path(), help="Write here, not to stdout.")
def export(case: str, db: str, fmt: str, output: str | None) -> None:
    """Write a case out: JSON, a self-contained HTML page, or Popolo JSON.

    Example:  procedura export dprk-2014 --db un.db --format html --output dprk.html
    """
    target = check_output(output, db) if output else None  # never the log, nor its files
    with opened(db) as log:
        if fmt == "html":
            from engine.present.page import render_html

            text = render_html(log, case)
        elif fmt == "popolo":
            from engine.app.popolo import to_popolo

            text = json.dumps(to_popolo(log, case), ensure_ascii=False, indent=2) + "\n"
        else:
            from engine.app.export import case_json

            text = json.dumps(case_json(log, case), ensure_ascii=False, indent=2) + "\n"
    # The same document to a file or to the terminal: control characters of the case's
    # text as the format's own escapes, which read back as the same characters.
    text = inert_document(text, fmt)
    if target is not None:
        target.write_text(text, encoding="utf-8")
        if not quiet():
            echo(f"wrote {inert(output)}", err=True)
    else:
        echo(text, nl=False)
