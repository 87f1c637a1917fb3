"""The one thread that touches the log.

A sqlite3 connection belongs to the thread that opened it, so the server opens its log
on one dedicated thread and runs every read and write there, one at a time, in the order
they were asked: requests never interleave inside a transaction, and the event loop
never waits on the disk.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

__all__ = ["Worker"]

T = TypeVar("T")


class Worker:
    """A single-thread executor: `await worker(fn, *args)` runs `fn` on the log thread."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="procedura-log")

    async def __call__(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, partial(fn, *args))

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn` on the log thread and wait for it (outside the event loop)."""
        return self._pool.submit(fn, *args).result()

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run `fn` on the log thread later, without waiting (to release a resource from
        code that may be cancelled); nothing once the worker is closed."""
        with contextlib.suppress(RuntimeError):  # shut down: the process is ending
            self._pool.submit(fn, *args)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
