"""The command group and what every command shares: opening logs, printing, errors.

Everything a command prints goes through `engine.cli.output` (`echo`, `inert`, `table`,
`json_text`), re-exported here, so that no stored text can drive the terminal.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

import engine
from engine.cli.output import echo, inert, json_text, table
from engine.procedure.errors import ExpectationError, ProcedureError
from events.damage import as_log_error

__all__ = ["DB", "JSON", "LOG", "cli", "echo", "inert", "json_text", "main", "one_line", "opened",
           "quiet", "table"]

class LogFile(click.ParamType):
    """A --db value: checked as the library checks a log's path (a regular file or none
    yet; not a folder, a device or a FIFO), so a wrong one is one line, exit 2."""

    name = "file"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        from engine.app.paths import log_path

        return log_path(value)  # an InvalidArgumentError reaches main(): "error: ..."


LOG = LogFile()
DB = click.option("--db", required=True, type=LOG, help="The log file.")
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


def quiet() -> bool:
    """Whether --quiet was given."""
    return bool(click.get_current_context().find_root().obj.get("quiet"))


@contextmanager
def opened(db: str | Path, readonly: bool = True) -> Iterator[engine.ProcedureLog]:
    """Open a log for one command (read-only unless the command writes) and close it."""
    log = engine.open(db, readonly=readonly)
    try:
        yield log
    finally:
        log.close()


# A stored value in a message of the CLI's own: one line, inert (kept for the commands
# that call it by this name).
one_line = inert


def _warning(message: Warning | str, category: type[Warning], *args: object,
             **kwargs: object) -> None:
    """A library warning (a snapshot not used, say) as one line on stderr."""
    echo(f"warning: {inert(message)}", err=True)


def _db_of(argv: list[str]) -> str:
    """The --db a command line names, for a message about its file."""
    for i, word in enumerate(argv):
        if word == "--db" and i + 1 < len(argv):
            return argv[i + 1]
        if word.startswith("--db="):
            return word[5:]
    return "the log"


def main() -> None:
    """Run the CLI, turning user errors into one-line messages and exit codes."""
    import warnings

    warnings.showwarning = _warning
    nul = next((i for i, word in enumerate(sys.argv[1:], 1) if "\x00" in word), None)
    if nul is not None:  # no file name, option or text can hold one: say so before click
        echo(f"error: argument {nul} ({inert(sys.argv[nul])}) holds a NUL character, "
             "which no file name or text can hold", err=True)
        sys.exit(2)
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        echo("aborted", err=True)
        sys.exit(130)
    except ExpectationError as e:
        echo(f"expectation failed: {inert(e)}", err=True)
        sys.exit(1)
    except ProcedureError as e:
        echo(f"error: {inert(e)}", err=True)
        sys.exit(2)
    except sqlite3.DatabaseError as e:  # met outside the library's guarded methods
        echo(f"error: {inert(as_log_error(_db_of(sys.argv), e))}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
    except OSError as e:
        echo(f"error: {inert(e)}", err=True)
        sys.exit(2)
