"""The log's hash chain, its Merkle leaves and its event ids: pure functions, no database.

Each row's `hash` is `chain_hash(previous row's hash, the row's recorded facts)`, the
first row's previous being `GENESIS`: change, remove, insert or move a row and every
hash after it stops matching. The facts are the columns from `event_id` to `payload`;
the position is not among them, since the chain itself orders the rows.

Logs of schema version 2 hash `leaf_data(previous, row)`: a canonical JSON array of the
previous hash and the ten columns, every string quoted and escaped, NULL as `null`, so
that no text can move from one column to the next and NULL differs from every string.
The row's hash is then the hex of its Merkle leaf hash, SHA-256(0x00 || leaf data)
(RFC 6962 §2.1): the chain and the tree (`events.tree`) hash the same bytes once.

Logs of schema version 1 keep the chain they were written with (`chain_hash_v1`: the
columns joined by 0x1F, NULL as 0x00, so that a 0x1F inside a value moves text between
columns unseen, and a value of one NUL character passes for NULL); their events get
Merkle leaves of the same `leaf_data` as version 2, over the hashes they hold.
Importing this module loads neither sqlite3 nor hashlib.
"""

from __future__ import annotations

import json.encoder
import os
import time
from collections.abc import Callable, Sequence
from typing import Any

from events.merkle import sha256

__all__ = ["GENESIS", "chain_for", "chain_hash", "chain_hash_v1", "leaf_data", "link",
           "link_v1", "linker", "new_event_id"]

GENESIS = "0" * 64
# (hash, leaf hash) of a row from the previous row's hash and the row's ten columns
Link = Callable[[str, Sequence[Any]], tuple[str, bytes]]


def _blob(value: object) -> object:
    """JSON for what only a hand-edited file holds: a BLOB, as an object (never a string)."""
    if isinstance(value, bytes):
        return {"blob": value.hex()}
    raise TypeError(f"{type(value).__name__} is not a column value")


# Compact, strings escaped as RFC 8259 requires and non-ASCII kept as UTF-8 (for
# strings, integers and null this is also the canonical form of RFC 8785).
# The C encoder is built once, as in `events.codec`; where it is missing, `_PLAIN` serves.
def _c_encoder() -> Callable[[Any, int], Any] | None:
    try:
        return json.encoder.c_make_encoder(  # type: ignore[no-any-return]
            None, _blob, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    except TypeError:
        return None


_ARRAY = _c_encoder()
_PLAIN = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_blob)


def _text(values: list[Any]) -> str:
    if _ARRAY is not None:
        return "".join(_ARRAY(values, 0))
    return _PLAIN.encode(values)


def leaf_data(previous: str, row: Sequence[Any]) -> bytes:
    """An event's Merkle leaf data: the JSON array [previous, event_id, stream_id,
    version, type, schema_version, occurred_at, recorded_at, actor, note, payload] as
    UTF-8 (the payload, itself JSON, as one string). The position is the leaf's index
    in the tree (position - 1), and `previous` binds it in the chain."""
    return _text([previous, *row]).encode()


_quote = json.encoder.encode_basestring  # a JSON string, as the encoder writes it


def _fast_text(previous: str, row: Sequence[Any]) -> str:
    """`_text([previous, *row])` for the rows `EventLog.append` makes, written out: a
    third cheaper than the encoder's call. Any other type raises TypeError."""
    event_id, stream_id, version, type_name, schema, occurred_at, recorded_at, actor, \
        note, payload = row
    if type(version) is not int or type(schema) is not int:
        raise TypeError("not an int")
    return (f"[{_quote(previous)},{_quote(event_id)},{_quote(stream_id)},{version},"
            f"{_quote(type_name)},{schema},"
            f"{'null' if occurred_at is None else _quote(occurred_at)},{_quote(recorded_at)},"
            f"{'null' if actor is None else _quote(actor)},"
            f"{'null' if note is None else _quote(note)},{_quote(payload)}]")


def link(previous: str, row: Sequence[Any]) -> tuple[str, bytes]:
    """A schema-2 row's (hash, Merkle leaf hash): the leaf hash, and its hex."""
    try:
        text = _fast_text(previous, row)
    except (TypeError, ValueError):  # a value of another type: the encoder says what
        text = _text([previous, *row])
    # One hash serves both: SHA-256(0x00 || leaf data) is the leaf (RFC 6962 §2.1).
    leaf: bytes = sha256()(("\x00" + text).encode()).digest()
    return leaf.hex(), leaf


def chain_hash(previous: str, row: Sequence[Any]) -> str:
    """SHA-256 linking a row to the one before it, in a log of schema version 2.

    `row` holds the columns from `event_id` to `payload` in table order, so the hash
    covers every recorded fact except the position, which the chain itself orders.
    """
    return link(previous, row)[0]


def chain_hash_v1(previous: str, row: Sequence[Any]) -> str:
    """`chain_hash` as logs of schema version 1 were written, and are still checked.

    Ambiguous (a value holding 0x1F could move text between columns; a value of one
    NUL character passes for NULL), which is why version 2 hashes JSON; kept so that
    old logs verify.
    """
    # NULL and "" must hash differently, or a NULL actor could become "" unnoticed.
    text = "\x1f".join(["\x00" if v is None else str(v) for v in row])
    return sha256()(f"{previous}\x1e{text}".encode()).hexdigest()  # type: ignore[no-any-return]


def link_v1(previous: str, row: Sequence[Any]) -> tuple[str, bytes]:
    """A schema-1 row's (hash, Merkle leaf hash): the old chain, and the new leaf."""
    digest = chain_hash_v1(previous, row)
    return digest, sha256()(b"\x00" + leaf_data(previous, row)).digest()


def chain_for(log_version: int) -> Callable[[str, Sequence[Any]], str]:
    """The chain function of a log of schema version `log_version`."""
    return chain_hash_v1 if log_version < 2 else chain_hash


def linker(log_version: int) -> Link:
    """The (hash, leaf hash) function of a log of schema version `log_version`."""
    return link_v1 if log_version < 2 else link


def new_event_id() -> str:
    """A time-ordered UUID (version 7, RFC 9562): 48 bits of Unix milliseconds, then random.

    Ids that grow with time land next to each other in the unique index, where random
    (version 4) ids would touch pages all over it: appends run markedly faster.
    """
    millis = time.time_ns() // 1_000_000
    value = (millis & (1 << 48) - 1) << 80 | int.from_bytes(os.urandom(10), "big")
    value = value & ~(0xF << 76) | 0x7 << 76  # version 7
    value = value & ~(0x3 << 62) | 0x2 << 62  # RFC 4122 variant
    h = f"{value:032x}"  # formatted by hand: uuid.UUID would cost twice as much
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
