"""Oral revision of a draft: only by a sponsor, only before voting on it began.

The engine cites the withdrawal rule for the sponsors' control of their text (rule 122 in
a Main Committee, rule 80 in the plenary, A/520/Rev.20) and rule 128 / 88 once voting
has begun.
"""

from __future__ import annotations

from procedure_helpers import CARRIED, DRAFT, LOST, assert_refused, decide, events_of, tabled

from engine import InvalidArgumentError, NotInOrderError, ProcedureLog, UnknownMemberError
from engine.present.narrate import describe
from events import DraftRevisedOrally


def test_rule_122_oral_revision_by_a_sponsor_is_recorded(log: ProcedureLog) -> None:
    case = tabled(log)
    case.revise_orally(text="Replace 'urges' by 'calls upon' in OP3", by="JPN")
    last = events_of(log, case.id)[-1]
    assert last == DraftRevisedOrally(DRAFT, "Replace 'urges' by 'calls upon' in OP3", "Japan")
    assert case.state == "committee.tabled"
    assert case.data.draft is not None
    assert case.data.draft.revisions == ["Replace 'urges' by 'calls upon' in OP3"]
    assert "Japan, a sponsor, revises L.1 orally" in describe(last)
    assert log.case(case.id).data.draft.revisions == case.data.draft.revisions


def test_rule_122_oral_revision_by_a_non_sponsor_is_refused(log: ProcedureLog) -> None:
    case = tabled(log)
    err = assert_refused(log, case, NotInOrderError, "revise_orally", rule="rule 122",
                         match="Cuba is not a sponsor of L.1", text="Delete OP7", by="Cuba")
    assert "revise_orally" in err.allowed  # type: ignore[attr-defined]


def test_rule_122_oral_revision_by_a_sponsor_who_joined_later(log: ProcedureLog) -> None:
    case = tabled(log)
    assert_refused(log, case, NotInOrderError, "revise_orally", rule="rule 122",
                   text="Delete OP7", by="France")
    case.add_sponsors(sponsors=["France"])
    case.revise_orally(text="Delete OP7", by="France")
    assert events_of(log, case.id)[-1] == DraftRevisedOrally(DRAFT, "Delete OP7", "France")


def test_rule_80_plenary_oral_revision_by_a_non_sponsor_is_refused(log: ProcedureLog) -> None:
    case = tabled(log, body="plenary")
    assert_refused(log, case, NotInOrderError, "revise_orally", rule="rule 80",
                   match="not a sponsor", text="Delete OP7", by="Cuba")


def test_rule_128_no_oral_revision_once_voting_began(log: ProcedureLog) -> None:
    case = tabled(log)
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text="Delete OP7")
    decide(case, "A1", LOST)
    assert case.state == "committee.voting"
    assert_refused(log, case, NotInOrderError, "revise_orally", rule="rule 128",
                   match="committee.voting", text="Delete OP8", by="Japan")


def test_rule_122_no_oral_revision_after_the_decision(log: ProcedureLog) -> None:
    case = tabled(log)
    decide(case, DRAFT, CARRIED)
    assert case.state == "committee.approved"
    assert_refused(log, case, NotInOrderError, "revise_orally", match="committee.approved",
                   text="Delete OP8", by="Japan")


def test_rule_122_oral_revision_needs_a_text_and_a_member(log: ProcedureLog) -> None:
    case = tabled(log)
    assert_refused(log, case, InvalidArgumentError, "revise_orally", match="text",
                   text="  ", by="Japan")
    assert_refused(log, case, UnknownMemberError, "revise_orally", match="'Japn'",
                   text="Delete OP8", by="Japn")
