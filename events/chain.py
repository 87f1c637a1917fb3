"""The log's hash chain and its event ids: pure functions, no database.

Each row's `hash` is `chain_hash(previous row's hash, the row's recorded facts)`, the
first row's previous being `GENESIS`: change, remove, insert or move a row and every
hash after it stops matching. Importing this module loads neither sqlite3 nor hashlib.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["GENESIS", "chain_hash", "new_event_id"]

GENESIS = "0" * 64


def chain_hash(previous: str, row: Sequence[Any]) -> str:
    """SHA-256 linking a row to the one before it.

    `row` holds the columns from `event_id` to `payload` in table order, so the hash
    covers every recorded fact except the position, which the chain itself orders.
    """
    # NULL and "" must hash differently, or a NULL actor could become "" unnoticed.
    text = "\x1f".join(["\x00" if v is None else str(v) for v in row])
    return (_SHA256 or _sha256())(f"{previous}\x1e{text}".encode()).hexdigest()


_SHA256: Callable[[bytes], Any] | None = None


def _sha256() -> Callable[[bytes], Any]:
    """hashlib.sha256, imported on the first hash rather than with the module: loading
    OpenSSL costs a twentieth of `import engine`, and replay never hashes."""
    global _SHA256
    from hashlib import sha256

    _SHA256 = sha256
    return sha256


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
