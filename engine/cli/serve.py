"""`procedura serve`: the JSON API and the page, for a live session."""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path
from types import FrameType

import click

from engine.cli.base import LOG, cli, echo, inert


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@cli.command()
@click.option("--db", default="procedura.db", show_default=True,
              type=LOG, help="The log (created if it is not there).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; only this machine unless you say otherwise.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--chair-token", envvar="PROCEDURA_CHAIR_TOKEN", metavar="TOKEN",
              help="The chair's token (or $PROCEDURA_CHAIR_TOKEN); else one is made up.")
def serve(db: str, host: str, port: int, chair_token: str | None) -> None:
    """Serve a live session: a JSON API and a page over one log.

    Anyone may read; the chair (with the chair's token) records actions and gives each
    delegation a token of its own, with which it casts its ballots. Stop with Ctrl-C.

    Example:  procedura serve --db session.db --port 8000
    """
    import uvicorn  # here, not at the top: every other command starts without it

    from engine.serve import create_app

    if chair_token is not None and not chair_token.strip():
        raise click.BadParameter("the chair's token must not be empty", param_hint="--chair-token")
    token = chair_token or secrets.token_urlsafe(24)
    from engine.app.paths import is_postgres

    path = db if is_postgres(db) else Path(db).resolve()  # a URL stays as given
    app = create_app(path, token)  # opens the log now: a bad path fails before listening
    echo(f"log: {inert(path)}")
    if not _loopback(host):
        echo(f"warning: listening on {inert(host)}, not only on this machine: anyone who "
             "can reach it can read every case, and tokens travel over plain HTTP (put a "
             "TLS proxy in front on an open network)", err=True)
    echo(f"chair: {inert(_url(host, port))}/?token={inert(token)}")
    echo("delegations: the chair issues their links (POST /api/cases/ID/delegations); "
         "stop with Ctrl-C")

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            app.state.api.stop()  # end the event streams, or shutting down waits for them
            super().handle_exit(sig, frame)

    try:
        Server(uvicorn.Config(app, host=host, port=port, log_level="warning",
                              timeout_graceful_shutdown=2)).run()
    except SystemExit as e:  # uvicorn could not start (it said why): bad input, exit 2
        raise SystemExit(2 if e.code else 0) from None
