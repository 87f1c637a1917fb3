"""Circulation (A/520/Rev.20 rule 120 in a Main Committee, rule 78 in the plenary).

A proposal is circulated the day before it is voted on; the chair may permit a vote the
same day. The engine records such a vote with a warning citing the rule in the
`VoteTaken` event's `warnings`; it does not refuse it.
"""

from __future__ import annotations

import json

from procedure_helpers import CARRIED, DRAFT, LOST, SUBMITTED, decide, events_of, tabled

from engine import ProcedureLog
from engine.present.narrate import describe
from events import VoteTaken


def last_vote(log: ProcedureLog, case_id: str) -> VoteTaken:
    vote = events_of(log, case_id)[-1]
    assert isinstance(vote, VoteTaken)
    return vote


def test_rule_120_draft_voted_the_day_it_was_submitted_is_recorded_with_a_warning(
    log: ProcedureLog,
) -> None:
    case = tabled(log, date=SUBMITTED)
    decision = decide(case, DRAFT, CARRIED, date=SUBMITTED)
    assert decision.outcome == "adopted"  # recorded, not refused
    assert case.state == "committee.approved"
    vote = last_vote(log, case.id)
    assert len(vote.warnings) == 1
    warning = vote.warnings[0]
    assert "rule 120" in warning
    assert SUBMITTED in warning
    assert DRAFT in warning
    assert f"Note: {warning}." in describe(vote)


def test_rule_120_draft_circulated_the_day_before_has_no_warning(log: ProcedureLog) -> None:
    case = tabled(log, date="2014-11-17")
    decide(case, DRAFT, CARRIED, date="2014-11-18")
    assert last_vote(log, case.id).warnings == ()
    assert "Note:" not in describe(last_vote(log, case.id))


def test_rule_120_amendment_voted_the_day_it_was_submitted(log: ProcedureLog) -> None:
    case = tabled(log, date="2014-11-14")
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text="Delete OP7",
                          date="2014-11-18")
    decide(case, "A1", LOST, date="2014-11-18")
    warnings = last_vote(log, case.id).warnings
    assert len(warnings) == 1
    assert "A1" in warnings[0]
    assert "rule 120" in warnings[0]
    # The draft itself was circulated days before: no warning on its vote.
    decide(case, DRAFT, CARRIED, date="2014-11-18")
    assert last_vote(log, case.id).warnings == ()


def test_rule_120_motions_need_no_circulation(log: ProcedureLog) -> None:
    case = tabled(log, date=SUBMITTED)
    case.move(motion="adjourn-debate", by="Uzbekistan", date=SUBMITTED)
    decide(case, "adjourn-debate", LOST, date=SUBMITTED)
    assert last_vote(log, case.id).warnings == ()


def test_rule_78_plenary_warning_cites_rule_78(log: ProcedureLog) -> None:
    case = tabled(log, body="plenary", date=SUBMITTED)
    decide(case, DRAFT, CARRIED, date=SUBMITTED)
    warnings = last_vote(log, case.id).warnings
    assert len(warnings) == 1
    assert "rule 78" in warnings[0]
    assert "rule 120" not in warnings[0]
    assert case.state == "plenary.adopted"


def test_rule_78_a_text_transmitted_by_a_committee_needs_no_new_circulation(
    log: ProcedureLog,
) -> None:
    case = tabled(log, date="2014-11-14")
    decide(case, DRAFT, CARRIED, date="2014-11-18")
    case.transmit(to="plenary", date="2014-12-18")
    decide(case, DRAFT, CARRIED, date="2014-12-18")
    assert last_vote(log, case.id).warnings == ()


def test_rule_120_does_not_apply_in_the_security_council(log: ProcedureLog) -> None:
    case = tabled(log, body="security-council", sponsors=["France"], date="2014-12-22")
    case.vote(on=DRAFT, yes=15, no=0, abstain=0, date="2014-12-22")
    assert last_vote(log, case.id).warnings == ()


def test_rule_120_warning_is_kept_in_the_log(log: ProcedureLog) -> None:
    case = tabled(log, date=SUBMITTED)
    decide(case, DRAFT, CARRIED, date=SUBMITTED)
    row = list(log.events.select(case.id))[-1]
    assert row.occurred_at == SUBMITTED
    payload = json.loads(row.payload)
    assert [w for w in payload["warnings"] if "rule 120" in w]
