"""The eventsourcing yardstick: the recipe's commands as an `eventsourcing` aggregate.

The library (9.x) is configured through its environment settings, as its documentation
describes: `PERSISTENCE_MODULE=eventsourcing.sqlite` selects its SQLite persistence,
`SQLITE_DBNAME` the file and `SQLITE_LOCK_TIMEOUT` the busy timeout. It switches a file
database to WAL itself and leaves `synchronous` at SQLite's default, which for WAL in
this build is FULL (`synchronous_setting` reads it back so the report can show it).
Aggregates have UUID ids, as the library's default; `Application.save(*aggregates)`
records all their pending events in one transaction.

Import this module only when the library is installed (`harness.has_eventsourcing`).
"""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from benchmarks import recipe

__all__ = ["Case", "application", "ids", "perform", "synchronous_setting", "version"]


def version() -> str:
    """The installed eventsourcing version."""
    from importlib.metadata import version as installed

    return installed("eventsourcing")


class Case(Aggregate):
    """The same case as procedura's, reduced to what the recipe's commands change."""

    @event("CaseOpened")
    def __init__(self, title: str) -> None:
        self.title = title
        self.symbol = ""
        self.sponsors: list[str] = []
        self.motions: dict[str, str] = {}

    @event("DraftSubmitted")
    def submit_draft(self, body: str, symbol: str, title: str, sponsors: list[str]) -> None:
        """A draft submitted to a body."""
        self.body, self.symbol, self.draft_title = body, symbol, title
        self.sponsors = list(sponsors)

    @event("SponsorsAdded")
    def add_sponsors(self, symbol: str, sponsors: list[str]) -> None:
        """Sponsors joined the draft."""
        self.sponsors.extend(s for s in sponsors if s not in self.sponsors)

    @event("MotionMoved")
    def move(self, motion: str, by: str) -> None:
        """A procedural motion moved."""
        self.motions[motion] = by

    @event("Withdrawn")
    def withdraw(self, symbol: str, kind: str) -> None:
        """A motion withdrawn."""
        self.motions.pop(symbol, None)


def application(path: Path) -> Application:
    """An application whose events go to a SQLite file at `path`."""
    return Application(env={
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "10",
    })


def synchronous_setting(app: Application) -> tuple[str, int]:
    """(journal_mode, synchronous) of the application's SQLite connections."""
    datastore = app.recorder.datastore  # type: ignore[attr-defined]
    with datastore.transaction(commit=False) as cursor:
        cursor.execute("pragma journal_mode")
        mode = cursor.fetchone()[0]
        cursor.execute("pragma synchronous")
        return mode, cursor.fetchone()[0]


def perform(cases: dict[int, Case], index: int, kind: str) -> Case:
    """Issue one recipe command on an aggregate (created for `open`); return it."""
    if kind == recipe.OPEN:
        case = Case(title=recipe.TITLE)
        case.submit_draft(body=recipe.BODY, symbol=recipe.symbol(index), title="d",
                          sponsors=[recipe.SPONSOR])
        cases[index] = case
        return case
    case = cases[index]
    if kind == "sponsor":
        case.add_sponsors(symbol=case.symbol, sponsors=[recipe.ADDED])
    elif kind == "move":
        case.move(motion=recipe.MOTION, by=recipe.MOVER)
    else:
        case.withdraw(symbol=recipe.MOTION, kind="motion")
    return case


def ids(cases: dict[int, Case]) -> list[UUID]:
    """The aggregates' ids in case order."""
    return [cases[i].id for i in sorted(cases)]
