"""Research commands over the projected tables: agreement between two members."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click

from engine.cli.base import DB, cli, echo, inert, json_text, opened, table
from engine.procedure.errors import InvalidArgumentError


@cli.command()
@click.argument("a")
@click.argument("b")
@DB
@click.option("--format", "form", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="How to print the years.")
@click.option("--html", "html_file", type=click.Path(dir_okay=False),
              help="Also write the years as a chart in an HTML page.")
def agreement(a: str, b: str, db: str, form: str, html_file: str | None) -> None:
    """How often members A and B voted alike, by year (run `procedura project` first).

    Example:  procedura agreement Japan "United States" --db unvotes.db --html jp-us.html
    """
    from engine.app.paths import check_output
    from engine.app.research import agreement as alike
    from engine.present.templates import render
    from engine.procedure.members import resolve

    with opened(db) as log:
        rows = alike(log, a, b)
    if not rows:
        raise InvalidArgumentError(f"{a} and {b} never took part in the same recorded vote")
    if html_file:
        check_output(html_file, db, "--html")
        page = render("agreement.html", a=resolve(a).name, b=resolve(b).name, rows=rows,
                      source="the projected votes of the log")
        Path(html_file).write_text(page, encoding="utf-8")
    if form == "json":
        echo(json_text(rows))
    elif form == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, ["year", "votes", "alike", "share"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        echo(out.getvalue(), nl=False)
    else:
        table(["year", "votes", "alike", "share"],
              [[r["year"], r["votes"], r["alike"], f"{r['share']:.3f}"] for r in rows])
    if html_file:
        echo(f"wrote {inert(html_file)}", err=True)
