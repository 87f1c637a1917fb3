"""Fixtures shared by the test files."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pg_helpers import pg_database, pg_url  # noqa: F401 - PostgreSQL fixtures, for every test

import engine
from engine import ProcedureLog


@pytest.fixture
def log() -> Iterator[ProcedureLog]:
    """A fresh log in memory, closed after the test."""
    with engine.open(":memory:") as opened:
        yield opened


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Drop the PostgreSQL database the run made, if it made one (tests/pg_helpers.py)."""
    import sys

    helpers = sys.modules.get("pg_helpers")
    if helpers is not None:
        helpers.drop_database()
