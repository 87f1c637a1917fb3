"""The Security Council through the case API: Charter Art. 27, S/96/Rev.7, Rome Statute.

- the agenda is adopted first, by a procedural vote (S/96/Rev.7 rule 9, Art. 27(2));
- a non-procedural draft needs nine votes and no permanent member against (Art. 27(3));
  an abstaining or absent permanent member is no veto;
- a party to a dispute abstains in decisions under Chapter VI (Art. 27(3));
- only the Council acting under Chapter VII refers a situation to the ICC (Rome
  Statute Art. 13(b)).

The pure decision functions are tested in tests/procedure/test_rules.py; the Darfur (2005) path in
tests/app/test_case.py and tests/app/test_bundled_scenarios.py.
"""

from __future__ import annotations

import pytest
from procedure_helpers import COUNCIL_2014, DRAFT, assert_refused, events_of, tabled

import engine
from engine import Case, InvalidVoteError, NotInOrderError, ProcedureLog
from engine.present.narrate import describe
from events import VoteTaken

ICC = "International Criminal Court"
DAY = "2014-12-22"



def council_draft(log: ProcedureLog, chapter: str | None = "VII",
                  parties: tuple[str, ...] | list[str] = (),
                  **kwargs: object) -> Case:
    return tabled(log, body="security-council", sponsors=["France"], date=DAY,
                  chapter=chapter, parties=list(parties), **kwargs)


def seized(log: ProcedureLog) -> Case:
    case = tabled(log)
    case.vote(on=DRAFT, yes=111, no=19, abstain=55, date="2014-11-18")
    case.transmit(to="plenary", date="2014-12-18")
    case.vote(on=DRAFT, yes=116, no=20, abstain=53, date="2014-12-18")
    case.transmit(to="security-council", date=DAY)
    assert case.state == "council.seized"
    return case


# --- the agenda (S/96/Rev.7 rule 9; Charter Art. 27(2)) -------------------------------------


def test_s96_rule_9_agenda_is_procedural_so_no_names_and_no_veto(log: ProcedureLog) -> None:
    case = seized(log)
    assert_refused(log, case, NotInOrderError, "vote", rule="S/96/Rev.7 rule 9",
                   match="first adopt its agenda", on=DRAFT, yes=11, no=2, abstain=2)
    decision = case.vote(on="agenda", yes=11, no=2, abstain=2, date=DAY)  # no names needed
    assert (decision.outcome, decision.majority, decision.vetoed_by) == (
        "adopted", "nine-votes", ())
    assert "Art. 27(2)" in decision.rule
    assert case.state == "council.on_agenda"


def test_charter_art_27_2_agenda_with_permanent_members_against_and_eight_votes(
    log: ProcedureLog,
) -> None:
    case = seized(log)
    decision = case.vote(on="agenda", yes=8, no=2, abstain=5, no_members=["China", "Russia"],
                         date=DAY)
    assert decision.outcome == "rejected"  # eight votes are too few; it is not a veto
    assert decision.vetoed_by == ()
    assert case.state == "council.agenda_rejected"


def test_s96_rule_9_only_a_council_draft_once_on_the_agenda(log: ProcedureLog) -> None:
    case = seized(log)
    case.vote(on="agenda", yes=11, no=2, abstain=2, date=DAY)
    assert_refused(log, case, NotInOrderError, "submit_draft", match="only a Council draft",
                   body="plenary", symbol="A/69/L.2", title="t")
    case.submit_draft(body="security-council", symbol="S/2014/1", title="Referral",
                      chapter="VII", referral=ICC, sponsors=["France"], date=DAY)
    assert case.state == "council.tabled"


# --- the veto (Charter Art. 27(3)) ----------------------------------------------------------


def test_charter_art_27_3_veto_by_one_permanent_member(log: ProcedureLog) -> None:
    case = council_draft(log)
    decision = case.vote(on=DRAFT, yes=13, no=2, abstain=0, no_members=["UK", "Chad"], date=DAY)
    assert decision.outcome == "vetoed"
    assert decision.vetoed_by == ("United Kingdom of Great Britain and Northern Ireland",)
    assert case.state == "council.vetoed"
    assert log.state(case.id) == "council.vetoed"
    vote = events_of(log, case.id)[-1]
    assert isinstance(vote, VoteTaken)
    assert vote.no_members == ("United Kingdom of Great Britain and Northern Ireland", "Chad")
    assert "negative vote of a permanent member" in describe(vote)


def test_charter_art_27_3_absent_permanent_member_is_not_a_veto(log: ProcedureLog) -> None:
    case = council_draft(log)
    # Nine in favour; six absent, among them two permanent members.
    decision = case.vote(on=DRAFT, yes_members=["France", "UK", "USA", *COUNCIL_2014[:6]],
                         date=DAY)
    assert (decision.outcome, decision.needed, decision.vetoed_by) == ("adopted", 9, ())
    assert case.state == "council.adopted"


def test_charter_art_27_3_eight_votes_fail_whoever_is_against(log: ProcedureLog) -> None:
    case = council_draft(log)
    decision = case.vote(on=DRAFT, yes=8, no=1, abstain=6, no_members=["Russia"], date=DAY)
    assert (decision.outcome, decision.vetoed_by) == ("rejected", ())
    assert case.state == "council.rejected"
    assert "failed to obtain the required number of votes" in describe(
        events_of(log, case.id)[-1])


def test_s96_rule_33_no_no_action_motion_in_the_council(log: ProcedureLog) -> None:
    # Amendments to Council drafts are in order (tests/procedure/test_council_procedure.py);
    # the Assembly's no-action motion is not one of the Council's motions.
    case = council_draft(log)
    assert_refused(log, case, NotInOrderError, "move", rule="S/96/Rev.7 rule 33",
                   match="motion to adjourn the debate is the General Assembly's",
                   motion="adjourn-debate", by="Russia")


# --- parties to a dispute (Charter Art. 27(3)) ----------------------------------------------

NINE_ELECTED = [m for m in COUNCIL_2014 if m != "Chad"]  # nine elected members


def test_charter_art_27_3_party_to_dispute_abstains(log: ProcedureLog) -> None:
    case = council_draft(log, chapter="VI", parties=["Chad", "Sudan"])
    assert case.data.draft.parties == ("Chad", "Sudan")  # type: ignore[union-attr]
    for option in ("yes_members", "no_members"):
        lists = {"yes_members": [*NINE_ELECTED, "France", "UK", "USA"],
                 "no_members": ["China"], "abstain_members": ["Russia", "Chad"]}
        lists["abstain_members"].remove("Chad")
        lists[option].append("Chad")
        err = assert_refused(log, case, InvalidVoteError, "vote", match="Chad voted on a "
                             "Chapter VI draft", on=DRAFT, date=DAY, **lists)
        assert "Charter Art. 27(3)" in str(err)
    # With its members listed and the party abstaining, the vote is recorded.
    decision = case.vote(on=DRAFT, yes_members=[*NINE_ELECTED, "France", "UK", "USA", "China"],
                         abstain_members=["Russia", "Chad"], date=DAY)
    assert decision.outcome == "adopted"
    assert case.state == "council.adopted"


def test_charter_art_27_3_party_to_dispute_vote_must_show_the_abstention(
    log: ProcedureLog,
) -> None:
    case = council_draft(log, chapter="VI", parties=["Chad"])
    assert_refused(log, case, InvalidVoteError, "vote", match="must be seen to abstain",
                   on=DRAFT, yes=13, no=0, abstain=2, date=DAY)


def test_charter_art_27_3_party_listed_as_abstaining_is_enough(log: ProcedureLog) -> None:
    case = council_draft(log, chapter="VI", parties=["Chad"])
    decision = case.vote(on=DRAFT, yes=13, no=0, abstain=2, abstain_members=["Chad", "Russia"],
                         date=DAY)
    assert decision.outcome == "adopted"


def test_charter_art_27_3_party_hidden_in_the_yes_count_is_refused(log: ProcedureLog) -> None:
    case = council_draft(log, chapter="VI", parties=["Chad"])
    # All fifteen voted; Chad is in neither list shown, so it is among the ten in favour.
    assert_refused(log, case, InvalidVoteError, "vote", match="Chad", on=DRAFT, yes=10, no=1,
                   abstain=4, no_members=["Rwanda"],
                   abstain_members=["China", "Russia", "Jordan", "Nigeria"], date=DAY)


def test_charter_art_27_3_parties_may_vote_outside_chapter_vi(log: ProcedureLog) -> None:
    case = council_draft(log, chapter="VII", parties=["Chad"])
    decision = case.vote(on=DRAFT, yes_members=[*COUNCIL_2014, *engine.BODIES[
        "security-council"].veto], date=DAY)
    assert decision.outcome == "adopted"
    assert "Chad" in events_of(log, case.id)[-1].yes_members  # type: ignore[attr-defined]


# --- ICC referral (Rome Statute Art. 13(b)) -------------------------------------------------


@pytest.mark.parametrize("chapter", [None, "VI"])
def test_rome_statute_art_13_b_referral_only_under_chapter_vii(log: ProcedureLog,
                                                               chapter: str | None) -> None:
    case = log.new_case("referral", title="Referral")
    err = assert_refused(log, case, NotInOrderError, "submit_draft",
                         rule="Rome Statute Art. 13(b)", match="Chapter VII",
                         body="security-council", symbol="S/1", title="Referral",
                         chapter=chapter, referral=ICC, date=DAY)
    assert err.allowed == (  # type: ignore[attr-defined]
        'submit_draft(body="security-council", chapter="VII", referral=...)',)
    assert log.events.count() == 0


@pytest.mark.parametrize("body", ["third-committee", "plenary"])
def test_rome_statute_art_13_b_referral_only_in_the_council(log: ProcedureLog,
                                                            body: str) -> None:
    case = log.new_case("referral", title="Referral")
    assert_refused(log, case, NotInOrderError, "submit_draft", rule="Rome Statute Art. 13(b)",
                   match="only the Security Council", body=body, symbol="A/1",
                   title="Referral", chapter="VII", referral=ICC, date=DAY)
    assert log.events.count() == 0


def test_rome_statute_art_13_b_referral_under_chapter_vii_is_recorded(
    log: ProcedureLog,
) -> None:
    case = council_draft(log, chapter="VII", referral=ICC)
    assert (case.data.draft.chapter, case.data.draft.referral) == (  # type: ignore[union-attr]
        "VII", ICC)
    assert log.case(case.id).data.draft.referral == ICC  # type: ignore[union-attr]
    decision = case.vote(on=DRAFT, yes=11, no=0, abstain=4, date=DAY)
    assert decision.outcome == "adopted"
