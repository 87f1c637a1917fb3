"""`procedura copy`: a log from one store to another (SQLite, PostgreSQL)."""

from __future__ import annotations

import click

from engine.cli.base import LOG, cli, echo, inert


@cli.command("copy")
@click.option("--from", "source", required=True, type=LOG,
              help="The log to copy: a file, or a postgresql:// URL.")
@click.option("--to", "target", required=True, type=LOG,
              help="An empty log to copy it into (created if it is not there).")
def copy_log(source: str, target: str) -> None:
    """Copy every event of a log, as recorded, into an empty log in another store.

    The copy's Merkle tree must have the source's root before it is committed; a target
    that holds events is refused (exit 2). Snapshots and projections are not copied:
    they are rebuilt from the events.

    Example:  procedura copy --from un.db --to postgresql://localhost/un
    """
    from engine.app.copy import copy

    done = copy(source, target)
    echo(f"copied {done.events} event{'s' * (done.events != 1)} from {inert(done.source)} "
         f"to {inert(done.target)}; tree root {done.root} in both")
