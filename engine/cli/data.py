"""Data in and out: import real voting data, build projections, query them."""

from __future__ import annotations

import json
from pathlib import Path

import click

from engine.cli.base import DB, JSON, cli, echo, inert, json_text, opened, quiet, table
from engine.procedure.errors import InvalidArgumentError
from engine.procedure.members import resolve


@cli.group("import")
def import_() -> None:
    """Import recorded proceedings from other sources into a log."""


@import_.command("unvotes")
@click.argument("folder", type=click.Path(file_okay=False))
@DB
def import_unvotes(folder: str, db: str) -> None:
    """Import the UN General Assembly roll-call data (the unvotes layout).

    FOLDER holds roll_calls, unvotes and issues as CSV or .csv.gz. Each resolution
    becomes a plenary case; a second import of the same data adds nothing.

    Example:  procedura import unvotes ../shared/data/unvotes --db unvotes.db
    """
    from engine.app.importers.unvotes import import_unvotes as run_import
    from engine.app.importers.unvotes import summary
    from engine.cli.progress import progress

    with opened(db, readonly=False) as log, progress(None, "import roll calls", quiet()) as tick:
        report = run_import(log, folder, tick)
    # Its lines are the importer's; the names of the data in them are shown inert.
    echo("\n".join(inert(line) for line in summary(report).split("\n")), nl=False)


@import_.command("popolo")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@DB
@click.option("--case", "case_id", help="Record it under this case id (default: the file's).")
def import_popolo(file: str, db: str, case_id: str | None) -> None:
    """Read a Popolo JSON document (motions and vote events) back into a case.

    The votes are recorded through the case actions, so the rules decide them again.

    Example:  procedura import popolo dprk.popolo.json --db copy.db
    """
    from engine.app.popolo import from_popolo

    try:
        document = json.loads(Path(file).read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise InvalidArgumentError(f"{file}: not JSON ({e})") from None
    with opened(db, readonly=False) as log:
        case = from_popolo(log, document, case_id=case_id)
    echo(f"{inert(case.id)}: {case.version} events recorded in {inert(db)}; "
         f"state {case.state}")


@cli.command()
@DB
def project(db: str) -> None:
    """(Re)build the derived SQL tables cases, votes and member_votes.

    They sit beside the events in the same file, for SQL, Datasette or sqlite-utils, and
    can be dropped and rebuilt at any time.

    Example:  procedura project --db unvotes.db
    """
    from engine.app.projections import project as build
    from engine.cli.progress import progress

    with opened(db, readonly=False) as log, \
            progress(log.events.count(), "project", quiet()) as tick:
        counts = build(log, tick)
    echo(", ".join(f"{table_name}: {n} rows" for table_name, n in counts.items()))


@cli.command()
@DB
@click.option("--member", help="A member's name, code or alias (e.g. Japan, JP, JPN).")
@click.option("--session", type=click.IntRange(min=1), help="A General Assembly session.")
@click.option("--case", "case_id", help="One case.")
@JSON
def votes(db: str, member: str | None, session: int | None, case_id: str | None,
          as_json: bool) -> None:
    """Query the projected votes (run `procedura project` first).

    Example:  procedura votes --db unvotes.db --member Japan --session 69
    """
    from engine.app.projections import VOTE_COLUMNS, member_votes

    name = resolve(member).name if member else None
    with opened(db) as log:
        found = member_votes(log, member=name, session=session, case=case_id)
    names = [*VOTE_COLUMNS, *([f"{name} voted"] if name else [])]
    rows = [list(r.values()) for r in found]
    if as_json:
        echo(json_text([dict(zip(names, r, strict=True)) for r in rows]))
        return
    if not rows:
        raise InvalidArgumentError("no vote matches")
    table(names, rows)
