"""Proofs a third party can keep and check: keygen, checkpoint, prove, verify-proof.

`procedura verify --checkpoint` (in `tools`) checks a log against a checkpoint.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from engine.cli.base import DB, cli, one_line, opened, quiet
from engine.procedure.errors import InvalidArgumentError

if TYPE_CHECKING:
    from engine.app.integrity import Finding

__all__ = ["read_text", "report", "write_new"]


def read_text(path: str, what: str, limit: int = 1 << 16) -> str:
    """The text of a small file the user names (a checkpoint, say), or one clear error."""
    from engine.app.notes import read_small

    raw = read_small(path, what, limit)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidArgumentError(f"{what} {path} is not UTF-8 text") from None


def write_new(path: str, text: str, db: str | None = None) -> None:
    """Write `text` to `path`, never over the log (nor the files SQLite keeps beside it)."""
    from engine.app.paths import check_output

    target = check_output(path, db)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as err:
        raise InvalidArgumentError(f"--output {path}: {err.strerror or err}") from None


@cli.command()
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="The signer key's file; the verifier key goes to OUT.pub.")
@click.option("--name", help="The key's name (default: procedura/ and OUT's name).")
def keygen(out: str, name: str | None) -> None:
    """Make an Ed25519 key pair for signing checkpoints: OUT (secret) and OUT.pub.

    Example:  procedura keygen --out secretariat.key
    """
    from engine.app.notes import write_keypair

    stem = "".join(c if c.isalnum() or c in "-._" else "-" for c in Path(out).stem)
    keys = write_keypair(out, name or f"procedura/{stem or 'key'}")
    if not quiet():
        click.echo(f"wrote {one_line(out)} (keep it secret) and {one_line(out)}.pub "
                   f"(share it); key {one_line(keys.name)}", err=True)


@cli.command()
@DB
@click.option("--key", type=click.Path(dir_okay=False), help="Sign with this key (keygen).")
@click.option("--origin", help="The log's name in the checkpoint (default: the key's name).")
@click.option("--output", type=click.Path(dir_okay=False), help="Write here, not to stdout.")
def checkpoint(db: str, key: str | None, origin: str | None, output: str | None) -> None:
    """State the head of the log's Merkle tree (its size and root hash) as a signed note.

    Keep it, or give it away: `verify --checkpoint` later proves that the log still
    begins with exactly these events.

    Example:  procedura checkpoint --db un.db --key secretariat.key --output cp.txt
    """
    from engine.app.integrity import checkpoint as take

    with opened(db) as log:
        note = take(log, key, origin)
    if output:
        write_new(output, note, db)
        if not quiet():
            click.echo(f"wrote {one_line(output)}", err=True)
    else:
        click.echo(note, nl=False)


@cli.command()
@click.argument("case")
@DB
@click.option("--version", "version", type=click.IntRange(min=1, max=1 << 62),
              help="Prove the events up to this version (default: all).")
@click.option("--checkpoint", "cp", required=True, type=click.Path(dir_okay=False),
              help="The checkpoint whose tree the events are proved in.")
@click.option("--output", required=True, type=click.Path(dir_okay=False),
              help="The bundle to write (JSON).")
def prove(case: str, db: str, version: int | None, cp: str, output: str) -> None:
    """Write inclusion proofs of a case's events in a checkpoint's tree (a JSON bundle).

    `verify-proof` checks the bundle with no log at hand.

    Example:  procedura prove dprk-2014 --db un.db --checkpoint cp.txt --output dprk.proof
    """
    from engine.app.integrity import prove as build

    note = read_text(cp, "the checkpoint")
    with opened(db) as log:
        bundle = build(log, case, note, version)
    write_new(output, json.dumps(bundle, ensure_ascii=False, indent=1) + "\n", db)
    if not quiet():
        click.echo(f"wrote {one_line(output)}: {len(bundle['events'])} events of "
                   f"{one_line(case)}", err=True)


@cli.command("verify-proof")
@click.argument("bundle", type=click.Path(dir_okay=False))
@click.option("--public-key", type=click.Path(dir_okay=False),
              help="Check the checkpoint's signature with this key (KEY.pub).")
def verify_proof(bundle: str, public_key: str | None) -> None:
    """Check a bundle written by `prove`, offline: exit 0 if every event is in the tree
    the checkpoint states, 1 if not.

    Example:  procedura verify-proof dprk.proof --public-key secretariat.key.pub
    """
    from engine.app.integrity import verify_bundle

    found = verify_bundle(bundle, public_key)
    report(found)


def report(found: Finding) -> None:
    """Print a check's finding; exit 1 if something was found."""
    if not found.ok:
        click.echo(f"FAILED: {one_line(found.message)}")
        sys.exit(1)
    signed = "signature verified" if found.signed else \
        "signature not checked: give --public-key to check who took the checkpoint"
    click.echo(f"OK: {one_line(found.message)}; {signed}")
