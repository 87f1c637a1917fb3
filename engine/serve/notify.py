"""Waking the event streams when another process commits: LISTEN/NOTIFY on PostgreSQL.

Every commit that appends to a PostgreSQL log sends NOTIFY (`events.postgres`), so a
server's streams need not poll it: one thread per server listens (one connection, not
one a stream) and wakes them all, whichever process committed, the server's own
included. A stream still looks once a second, in case a notification was missed while
the listener reconnected. A SQLite log has no such signal: its streams poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time

from engine.app.log import open as open_log
from engine.app.paths import is_postgres
from engine.procedure.errors import ProcedureError

__all__ = ["FALLBACK_S", "Wakeup"]

FALLBACK_S = 1.0  # a PostgreSQL stream looks at least this often, notified or not


class Wakeup:
    """What an event stream waits on between two reads of the log."""

    def __init__(self, db: str, poll: float) -> None:
        self.poll, self.listening = poll, is_postgres(db)
        self._db, self._stop = db, threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed: asyncio.Event | None = None
        self._thread: threading.Thread | None = None

    async def sleep(self) -> float:
        """Wait until the log may have grown; the seconds waited."""
        began = time.monotonic()
        if not self.listening:
            await asyncio.sleep(self.poll)
            return time.monotonic() - began
        if self._thread is None:  # on first use, when the event loop runs
            self._loop, self._changed = asyncio.get_running_loop(), asyncio.Event()
            self._thread = threading.Thread(target=self._listen, daemon=True,
                                            name="procedura-listen")
            self._thread.start()
        assert self._changed is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), FALLBACK_S)
        self._changed.clear()
        return time.monotonic() - began

    def _listen(self) -> None:
        """The listener thread: wake the streams at each notification until stopped."""
        while not self._stop.is_set():
            try:
                with open_log(self._db, readonly=True) as log:
                    while not self._stop.is_set():
                        if log.events.wait(FALLBACK_S):
                            self._wake()
            except ProcedureError:  # the server went away: try again in a moment
                self._stop.wait(FALLBACK_S)

    def _wake(self) -> None:
        loop, changed = self._loop, self._changed
        if loop is not None and changed is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed
                loop.call_soon_threadsafe(changed.set)

    def close(self) -> None:
        """Stop listening (the server is shutting down)."""
        self._stop.set()
