"""Checking a log without trusting its keeper: checkpoints, consistency and inclusion.

`checkpoint(log)` states the head of the log's Merkle tree (RFC 6962: its size and root
hash) as a signed note. Whoever keeps that note, a few hundred bytes, can later:

- `verify_checkpoint(log, note)`: check that the log still begins with exactly the
  events the checkpoint was taken over, by a consistency proof from the checkpoint's
  tree to the log's (RFC 9162 §2.1.4). An edit, deletion, insertion, reordering or
  truncation of those events changes the root, so it is found even where the chain
  and the tree were recomputed to match.
- `prove(log, case, note)`: a bundle of the case's events, each with its inclusion proof
  in the checkpoint's tree (RFC 9162 §2.1.3), that `verify_bundle` checks with no log.

What a checkpoint does not prove: that the events were right when they were recorded
(a keeper can record a false vote and checkpoint it), nor anything about events after
its size; a signature proves only who took it. docs/reliability.md says more.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from engine.app.log import ProcedureLog
from engine.app.notes import (
    Checkpoint,
    NoteError,
    parse_checkpoint,
    read_small,
    sign,
    verify_signature,
)
from engine.procedure.errors import InvalidArgumentError, UnknownCaseError
from events import merkle

__all__ = ["BUNDLE_FORMAT", "Finding", "checkpoint", "prove", "verify_bundle",
           "verify_checkpoint"]

BUNDLE_FORMAT = "procedura-proof/1"
_MAX_BUNDLE = 64 << 20  # a bundle holds one case: refuse anything far larger


@attrs.frozen(slots=True)
class Finding:
    """The result of a check: `ok`, or what was found and, if known, where."""

    ok: bool
    message: str
    position: int | None = None  # the first log position that differs, where it is known
    signed: bool = False  # whether a signature was checked


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _unb64(text: object, where: str) -> bytes:
    try:
        if not isinstance(text, str):
            raise TypeError
        return base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError):
        raise NoteError(f"{where} must be base64 text, not {text!r:.60}") from None


def _origin(log: ProcedureLog, origin: str | None, key_name: str | None) -> str:
    if origin:
        return origin
    if key_name:
        return key_name  # the key name SHOULD match the origin (c2sp.org/tlog-checkpoint)
    stem = "".join(c if c.isalnum() or c in "-._" else "-" for c in Path(log.events.path).stem)
    return f"procedura/{stem or 'log'}"


def checkpoint(log: ProcedureLog, key: str | Path | None = None,
               origin: str | None = None) -> str:
    """A checkpoint of the whole log as a signed note (unsigned without `key`)."""
    from engine.app.notes import read_private_key

    name = read_private_key(key)[0] if key is not None else None
    size = log.events.tree_size()
    head = Checkpoint(_origin(log, origin, name), size, log.events.root(size))
    return sign(head, key)


def _read_checkpoint(note: str, public_key: str | Path | None) -> tuple[Checkpoint, bool]:
    if public_key is None:
        return parse_checkpoint(note)[0], False
    return verify_signature(note, public_key), True


def verify_checkpoint(log: ProcedureLog, note: str,
                      public_key: str | Path | None = None) -> Finding:
    """Whether `log` extends the tree the checkpoint `note` states.

    The log's own records are checked first (the tree stored against the events it was
    built from), so an edit that left the tree alone is named by its position. Then the
    log's tree at the checkpoint's size must have the checkpoint's root, proved by a
    consistency proof up to the log's size. Raises NoteError for a malformed checkpoint
    or a signature that does not verify.
    """
    head, signed = _read_checkpoint(note, public_key)
    damaged = log.events.verify_tree()
    if damaged is not None and damaged.position <= head.size:
        return Finding(False, f"position {damaged.position}: {damaged.message}",
                       damaged.position, signed)
    size = log.events.tree_size()
    if size < head.size:
        return Finding(False, f"the log holds {size} events and the checkpoint {head.size}: "
                       f"events from position {size + 1} on were removed", size + 1, signed)
    proof = log.events.consistency_proof(head.size, size)
    root = log.events.root(size)
    if not merkle.verify_consistency(head.size, size, head.root, root, proof):
        return Finding(False, f"the log's first {head.size} events are not the ones the "
                       "checkpoint was taken over: one or more of them was edited, deleted, "
                       "inserted or moved, and the chain and the tree were recomputed to hide "
                       "it", None, signed)
    grown = f", and {size - head.size} events after it" if size > head.size else ""
    return Finding(True, f"the log extends the checkpoint: its first {head.size} events are "
                   f"the ones checkpointed{grown}", None, signed)


def prove(log: ProcedureLog, case_id: str, note: str, version: int | None = None,
          public_key: str | Path | None = None) -> dict[str, Any]:
    """A bundle proving that the case's events, up to `version`, are in the checkpoint's
    tree: each event's leaf with its inclusion proof, and the checkpoint itself."""
    head, _ = _read_checkpoint(note, public_key)
    # O(log n) stored nodes, no pass over the log: `verify_checkpoint` is the full check,
    # and `verify_bundle` checks every proof against the checkpoint's root anyway.
    if log.events.tree_size() < head.size or log.events.root(head.size) != head.root:
        raise InvalidArgumentError(
            f"the log's first {head.size} events are not the ones the checkpoint was taken "
            "over; run procedura verify --checkpoint")
    count = log.events.stream_version(case_id)
    if not count:
        raise UnknownCaseError(log.unknown(case_id))
    upto = count if version is None else version
    if isinstance(upto, bool) or not isinstance(upto, int) or not 1 <= upto <= count:
        raise InvalidArgumentError(f"--version must be from 1 to {count}, the events of "
                                   f"{case_id!r}, not {version!r:.40}")
    chosen = list(log.events.select(case_id, upto=upto))
    if chosen[-1].position > head.size:
        raise InvalidArgumentError(
            f"event {chosen[-1].version} of {case_id!r} is at position {chosen[-1].position}, "
            f"after the checkpoint's {head.size} events: take a newer checkpoint")
    return {
        "format": BUNDLE_FORMAT,
        "case": case_id,
        "version": upto,
        "checkpoint": note,
        "events": [{"position": rec.position, "version": rec.version,
                    "leaf": log.events.leaf_data(rec.position).decode(),
                    "proof": [_b64(h) for h in log.events.inclusion_proof(rec.position,
                                                                           head.size)]}
                   for rec in chosen],
    }


def _bundle(source: str | Path | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(source, Mapping):
        return source
    raw = read_small(source, "the bundle", _MAX_BUNDLE)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise InvalidArgumentError(f"the bundle {source} is not JSON: {err}"[:300]) from None
    if not isinstance(data, dict) or data.get("format") != BUNDLE_FORMAT:
        raise InvalidArgumentError(f"the bundle {source} is not a {BUNDLE_FORMAT} bundle "
                                   "(written by procedura prove)")
    return data


def verify_bundle(source: str | Path | Mapping[str, Any],
                  public_key: str | Path | None = None) -> Finding:
    """Check a bundle written by `prove`, with no log: every event's inclusion proof
    against the checkpoint's root, and the checkpoint's signature if `public_key` is
    given. Raises InvalidArgumentError for a file that is not a bundle."""
    data = _bundle(source)
    note, items = data.get("checkpoint"), data.get("events")
    if not isinstance(note, str) or not isinstance(items, list) or not items:
        raise InvalidArgumentError("the bundle has no checkpoint or no events")
    head, signed = _read_checkpoint(note, public_key)
    for i, item in enumerate(items):
        where = f"event {i + 1} of the bundle"
        if not isinstance(item, dict) or not isinstance(item.get("position"), int) or \
                isinstance(item.get("position"), bool) or not isinstance(item.get("proof"), list):
            raise InvalidArgumentError(f"{where} is not a position, a leaf and a proof")
        position, leaf = item["position"], item.get("leaf")
        if not isinstance(leaf, str):
            raise InvalidArgumentError(f"{where} has no leaf (the event's recorded facts)")
        proof = [_unb64(h, f"the proof of {where}") for h in item["proof"]]
        if not 1 <= position <= head.size or not merkle.verify_inclusion(
                merkle.leaf_hash(leaf.encode()), position - 1, head.size, proof, head.root):
            return Finding(False, f"{where} (log position {position}) is not in the "
                           f"checkpoint's tree of {head.size} events: the event or its proof "
                           "was changed", position, signed)
    case = data.get("case")
    return Finding(True, f"{len(items)} events of {case!r:.80} are in the log the checkpoint "
                   f"states ({head.origin}, {head.size} events)", None, signed)
