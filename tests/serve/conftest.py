"""Fixtures of the `procedura serve` tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_helpers import served


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`procedura serve` in a process of its own: its address and its log."""
    with served(tmp_path) as running:
        yield running
