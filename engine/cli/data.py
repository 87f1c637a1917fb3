"""Data in and out: import real voting data, build projections, query them."""

from __future__ import annotations

import csv
import io
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
        document = json.loads(Path(file).read_text(encoding="utf-8-sig"))  # a BOM is fine
    except (ValueError, UnicodeDecodeError) as e:
        raise InvalidArgumentError(f"{file}: not JSON ({e})") from None
    except RecursionError:
        raise InvalidArgumentError(f"{file}: nested too deeply to be a Popolo document") \
            from None
    with opened(db, readonly=False) as log:
        case = from_popolo(log, document, case_id=case_id)
    echo(f"{inert(case.id)}: {case.version} events recorded in {inert(db)}; "
         f"state {case.state}")


@cli.command()
@DB
@click.option("--metadata", "metadata", type=click.Path(dir_okay=False),
              help="Also write Datasette metadata (labels, facets, canned queries) here.")
def project(db: str, metadata: str | None) -> None:
    """(Re)build the derived SQL tables members, cases, votes and member_votes.

    They sit beside the events in the same file, for SQL, Datasette or sqlite-utils, and
    can be dropped and rebuilt at any time; titles and descriptions are full-text
    indexed.

    Example:  procedura project --db unvotes.db --metadata metadata.json
    """
    from engine.app.projections import project as build
    from engine.cli.progress import progress

    with opened(db, readonly=False) as log, \
            progress(log.events.count(), "project", quiet()) as tick:
        counts = build(log, tick)
    if metadata:
        from engine.app.paths import check_output
        from engine.app.research import datasette_metadata

        check_output(metadata, db, "--metadata").write_text(
            json_text(datasette_metadata(), indent=2) + "\n", encoding="utf-8")
    echo(", ".join(f"{table_name}: {n} rows" for table_name, n in counts.items()))


@cli.command()
@DB
@click.option("--member", help="A member's name, code or alias (e.g. Japan, JP, JPN).")
@click.option("--session", type=click.IntRange(min=1), help="A General Assembly session.")
@click.option("--case", "case_id", help="One case.")
@click.option("--search", help="Words in the case's title or the vote's description.")
@click.option("--issue", help='A topic of the data, e.g. "Human rights".')
@click.option("--kind", type=click.Choice(["amendment", "part", "whole"]),
              help="Votes on amendments, on parts, or on the whole.")
@click.option("--from", "start", type=click.IntRange(1, 9999), help="From this year.")
@click.option("--to", "end", type=click.IntRange(1, 9999), help="To this year.")
@click.option("--format", "form", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="How to print the votes.")
@JSON
def votes(db: str, member: str | None, session: int | None, case_id: str | None,
          search: str | None, issue: str | None, kind: str | None, start: int | None,
          end: int | None, form: str, as_json: bool) -> None:
    """Query the projected votes (run `procedura project` first). --json is --format json.

    Example:  procedura votes --db unvotes.db --member Japan --search "Democratic People's
    Republic of Korea" --kind whole
    """
    from engine.app.projections import VOTE_COLUMNS, member_votes

    name = resolve(member).name if member else None
    with opened(db) as log:
        found = member_votes(log, member=member, session=session, case=case_id, search=search,
                             issue=issue, kind=kind, start=start, end=end)
    names = [*VOTE_COLUMNS, *([f"{member if member else name} voted"] if name else [])]
    rows = [list(r.values()) for r in found]
    if as_json or form == "json":
        echo(json_text([dict(zip(names, r, strict=True)) for r in rows]))
        return
    if form == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        # Each cell inert: a stored title cannot hold a line break or an escape sequence.
        writer.writerows([[inert(c) for c in names],
                          *[["" if c is None else inert(c) for c in r] for r in rows]])
        echo(out.getvalue(), nl=False)
        return
    if not rows:
        raise InvalidArgumentError("no vote matches")
    table(names, rows)
