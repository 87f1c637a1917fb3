"""Explanations of vote (A/520/Rev.20 rule 128 in a Main Committee, rule 88 in the plenary).

A member may explain its vote before or after the vote on an item, but never on its own
text: the sponsors of a draft (and of its parts) and the proposers of an amendment may
not. "After" is in order only once the item has been voted on, "before" only until then.
"""

from __future__ import annotations

from procedure_helpers import CARRIED, DRAFT, LOST, assert_refused, decide, events_of, tabled

from engine import Case, InvalidArgumentError, NotInOrderError, ProcedureLog
from engine.present.narrate import describe
from engine.procedure.state import Explanation
from events import VoteExplained


def with_amendment(log: ProcedureLog, body: str = "third-committee") -> Case:
    case = tabled(log, body=body)
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text="Delete OP7 and OP8")
    return case


def test_rule_128_sponsor_may_not_explain_its_vote_on_its_own_draft(log: ProcedureLog) -> None:
    case = with_amendment(log)
    for when in ("before", "after"):
        assert_refused(log, case, NotInOrderError, "explain_vote", rule="rule 128",
                       match="Japan is a sponsor of that text", on=DRAFT, by="JP", when=when)
    case.add_sponsors(sponsors=["France"])
    assert_refused(log, case, NotInOrderError, "explain_vote", rule="rule 128",
                   match="France is a sponsor", on=DRAFT, by="France", when="before")


def test_rule_128_proposer_may_not_explain_its_vote_on_its_own_amendment(
    log: ProcedureLog,
) -> None:
    case = with_amendment(log)
    assert_refused(log, case, NotInOrderError, "explain_vote", rule="rule 128",
                   match="Cuba is a sponsor of that text", on="A1", by="Cuba", when="before")
    decide(case, "A1", LOST)
    assert_refused(log, case, NotInOrderError, "explain_vote", rule="rule 128",
                   on="A1", by="Cuba", when="after")


def test_rule_128_authors_may_explain_their_votes_on_other_texts(log: ProcedureLog) -> None:
    case = with_amendment(log)
    case.explain_vote(on="A1", by="Japan", when="before", text="We shall vote against")
    case.explain_vote(on=DRAFT, by="Cuba", when="before")
    assert events_of(log, case.id)[-2] == VoteExplained("A1", "Japan", "before",
                                                        "We shall vote against")
    assert case.data.explanations == [Explanation("A1", "Japan", "before"),
                                      Explanation(DRAFT, "Cuba", "before")]
    assert describe(
        events_of(log, case.id)[-2]) == "Japan explains its vote before the vote on A1."


def test_rule_128_sponsor_may_not_explain_its_vote_on_a_part(log: ProcedureLog) -> None:
    case = tabled(log)
    case.request_separate_vote(parts=["OP7"], by="Cuba")
    assert_refused(log, case, NotInOrderError, "explain_vote", rule="rule 128",
                   on="OP7", by="Italy", when="before")
    case.explain_vote(on="OP7", by="Cuba", when="before")


def test_rule_128_explanation_after_only_once_voted(log: ProcedureLog) -> None:
    case = with_amendment(log)
    assert_refused(log, case, NotInOrderError, "explain_vote", rule="rule 128",
                   match="has not been voted on yet", on="A1", by="France", when="after")
    assert_refused(log, case, NotInOrderError, "explain_vote", rule="rule 128",
                   match="has not been voted on yet", on=DRAFT, by="France", when="after")
    case.explain_vote(on="A1", by="France", when="before")
    decide(case, "A1", LOST)
    assert_refused(log, case, NotInOrderError, "explain_vote", rule="rule 128",
                   match="explain after it", on="A1", by="France", when="before")
    case.explain_vote(on="A1", by="France", when="after")
    # The draft has not been voted yet, though voting on the amendment is over.
    assert_refused(log, case, NotInOrderError, "explain_vote", rule="rule 128",
                   match="has not been voted on yet", on=DRAFT, by="France", when="after")
    case.explain_vote(on=DRAFT, by="France", when="before")
    decide(case, DRAFT, CARRIED)
    assert_refused(log, case, NotInOrderError, "explain_vote", rule="rule 128",
                   on=DRAFT, by="Germany", when="before")
    case.explain_vote(on=DRAFT, by="Germany", when="after")
    assert [(x.on, x.by, x.when) for x in case.data.explanations] == [
        ("A1", "France", "before"), ("A1", "France", "after"), (DRAFT, "France", "before"),
        (DRAFT, "Germany", "after")]
    assert log.case(case.id).data.explanations == case.data.explanations


def test_rule_128_explanation_after_the_committee_vote_is_not_one_on_the_plenary_vote(
    log: ProcedureLog,
) -> None:
    case = tabled(log)
    decide(case, DRAFT, CARRIED)
    case.explain_vote(on=DRAFT, by="France", when="after")
    case.transmit(to="plenary", date="2014-12-18")
    assert_refused(log, case, NotInOrderError, "explain_vote", rule="rule 88",
                   match="has not been voted on yet", on=DRAFT, by="France", when="after")
    case.explain_vote(on=DRAFT, by="France", when="before")


def test_rule_128_no_explanation_of_vote_on_a_lapsed_amendment(log: ProcedureLog) -> None:
    case = tabled(log)
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text="Delete OP7 and OP8",
                          implies_rejection_of=["A2"])
    case.submit_amendment(symbol="A2", proposers=["Iran"], text="Delete OP8")
    decide(case, "A1", CARRIED)
    assert_refused(log, case, NotInOrderError, "explain_vote", rule="rule 128",
                   on="A2", by="France", when="before")


def test_rule_88_plenary_sponsor_may_not_explain(log: ProcedureLog) -> None:
    case = with_amendment(log, body="plenary")
    assert_refused(log, case, NotInOrderError, "explain_vote", rule="rule 88",
                   match="Italy is a sponsor", on=DRAFT, by="Italy", when="before")
    assert_refused(log, case, NotInOrderError, "explain_vote", rule="rule 88",
                   match="has not been voted on yet", on="A1", by="France", when="after")


def test_rule_128_explanations_are_of_a_vote_on_a_text(log: ProcedureLog) -> None:
    case = with_amendment(log)
    assert_refused(log, case, InvalidArgumentError, "explain_vote", match="when must be one of",
                   on=DRAFT, by="France", when="during")
    assert_refused(log, case, InvalidArgumentError, "explain_vote",
                   match="no draft, amendment or part 'L.9'", on="L.9", by="France",
                   when="before")


def test_rule_128_no_explanation_where_no_text_is_before_the_body(log: ProcedureLog) -> None:
    case = tabled(log)
    case.move(motion="adjourn-debate", by="Uzbekistan")
    decide(case, "adjourn-debate", CARRIED)
    assert case.state == "committee.no_action"
    assert_refused(log, case, NotInOrderError, "explain_vote", match="committee.no_action",
                   on=DRAFT, by="France", when="after")
