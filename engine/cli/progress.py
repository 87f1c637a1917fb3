"""Progress bars on standard error for work that takes more than a moment.

Silent when standard error is not a terminal, with `--quiet`, or for small jobs; rich
is imported only when a bar is actually shown, so quick commands start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["progress"]

# Below this many steps a job finishes in well under a second: no bar.
THRESHOLD = 20_000


@contextmanager
def progress(total: int | None, label: str, quiet: bool = False) -> Iterator[Callable[[], None]]:
    """Yield a `tick()` to call once per step; draws a bar when it is worth it."""
    if quiet or not sys.stderr.isatty() or (total is not None and total < THRESHOLD):
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = (f"[bold]{label}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, console=_stderr()) as bar:
        task = bar.add_task(label, total=total)
        count = 0

        def tick() -> None:
            nonlocal count
            count += 1
            if count % 1000 == 0:
                bar.update(task, completed=count)

        yield tick


def _stderr():  # type: ignore[no-untyped-def] - rich.console.Console, imported lazily
    from rich.console import Console

    return Console(stderr=True)
