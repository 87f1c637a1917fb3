"""Helpers shared by the rule tests (tests/procedure/test_amendments.py, test_division.py, ...).

Not a test module: pytest puts tests/ on sys.path, so the rule tests import it by name.
The rule tests are named after the rule they check (A/520/Rev.20 rule numbers for the
Main Committees and the plenary, Charter articles, S/96/Rev.7, the Rome Statute); each
refusal is checked to append nothing.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from engine import Case, ProcedureLog
from events import Event

DRAFT = "L.1"
SUBMITTED = "2014-11-14"  # the day the draft is tabled
VOTED = "2014-11-18"  # a later day: no circulation warning (rule 120)
SPONSORS = ("Japan", "Italy")
COUNCIL_2014 = ["Argentina", "Australia", "Chad", "Chile", "Jordan", "Lithuania", "Luxembourg",
                "Nigeria", "Republic of Korea", "Rwanda"]
PERMANENT = ["China", "France", "Russian Federation",
             "United Kingdom of Great Britain and Northern Ireland", "United States of America"]

# Tallies that meet the quorum of a body of 193 (97 present, rule 108 / 67).
CARRIED = {"yes": 90, "no": 60, "abstain": 10}
LOST = {"yes": 60, "no": 90, "abstain": 10}


def tabled(log: ProcedureLog, case_id: str = "case", body: str = "third-committee",
           sponsors: tuple[str, ...] | list[str] = SPONSORS, date: str = SUBMITTED,
           **draft: Any) -> Case:
    """A case with draft L.1 tabled in `body` (by default the Third Committee, 2014)."""
    case = log.new_case(case_id, title=f"A test case ({case_id})", council=COUNCIL_2014)
    case.submit_draft(body=body, symbol=DRAFT, title="A draft resolution",
                      sponsors=list(sponsors), date=date, **draft)
    return case


def decide(case: Case, on: str, tally: dict[str, int], date: str = VOTED, **kwargs: Any):
    """Vote on `on` with one of the tallies above; return the decision."""
    return case.vote(on=on, date=date, **tally, **kwargs)


def _cites(text: str, rule: str) -> bool:
    return re.search(re.escape(rule) + r"(?![0-9])", text) is not None


def assert_refused(log: ProcedureLog, case: Case, error: type[Exception], action: str, *,
                   rule: str | None = None, match: str | None = None,
                   **kwargs: Any) -> Exception:
    """`case.<action>(**kwargs)` raises `error`, cites `rule`, and nothing moves.

    The log's event count, the case's state, version and whole rebuilt state are the
    same after the refusal as before it.
    """
    events, state, version = log.events.count(), case.state, case.version
    before = case.data.as_dict()
    with pytest.raises(error) as info:
        getattr(case, action)(**kwargs)
    text = str(info.value)
    assert log.events.count() == events, "a refused command appended events"
    assert (case.state, case.version) == (state, version), "a refused command moved the case"
    assert case.data.as_dict() == before, "a refused command changed the case's state"
    if rule is not None:
        assert _cites(text, rule), f"{rule!r} not cited in: {text}"
        cited = getattr(info.value, "rule", None)
        if cited is not None:
            assert _cites(cited, rule), f"{rule!r} is not the error's rule: {cited!r}"
    if match is not None:
        assert re.search(match, text), f"{match!r} not in: {text}"
    return info.value


def events_of(log: ProcedureLog, case_id: str) -> list[Event]:
    """The events of a case as the log holds them (decoded again from the file)."""
    return [rec.event for rec in log.events.select(case_id)]


def event_types(log: ProcedureLog, case_id: str) -> list[str]:
    return [type(e).__name__ for e in events_of(log, case_id)]


def assert_replays(log: ProcedureLog, case: Case) -> None:
    """The case rebuilt from the log is the live case."""
    assert log.case(case.id).data.as_dict() == case.data.as_dict()


def citations(decision: Any) -> str:
    """Every citation a decision carries: the deciding rule and any others, "; "-joined."""
    return "; ".join((decision.rule, *getattr(decision, "also", ())))
