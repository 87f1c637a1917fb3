"""Fixtures shared by the test files."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import engine
from engine import ProcedureLog


@pytest.fixture
def log() -> Iterator[ProcedureLog]:
    """A fresh log in memory, closed after the test."""
    with engine.open(":memory:") as opened:
        yield opened
