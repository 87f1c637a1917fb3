"""A case that opens on a Security Council agenda item, with no Assembly text before it
(S/96/Rev.7 rules 2, 3, 7 and 9; Charter Art. 27(2)), through the case API.

- `submit_agenda_item` places the item on the provisional agenda (rule 7): the case is
  `council.seized`, and the first decision is the adoption of the agenda (rule 9);
- that vote is procedural: nine votes in favour, no veto (Art. 27(2)); not adopted, the
  case ends in `council.agenda_rejected`; adopted, a Council draft may follow;
- each refusal cites its rule and appends nothing.
"""

from __future__ import annotations

from procedure_helpers import PERMANENT, assert_refused, assert_replays, events_of

from engine import Case, InvalidArgumentError, NotInOrderError, ProcedureLog, UnknownMemberError
from engine.app.snapshots import state_from_dict
from engine.present.narrate import describe
from engine.procedure.commands import command_of
from engine.procedure.council import NotCouncilMemberError
from events.catalog import AgendaItemSubmitted

DAY = "2018-03-19"
ITEM = "The situation in the Middle East"
# The Council of 19 March 2018 as the UN press release on its 8209th meeting divides it.
IN_FAVOUR = ["France", "Kuwait", "Netherlands (Kingdom of the)", "Peru", "Poland", "Sweden",
             "United Kingdom of Great Britain and Northern Ireland", "United States of America"]
AGAINST = ["Bolivia (Plurinational State of)", "China", "Kazakhstan", "Russian Federation"]
ABSTAINING = ["Côte d'Ivoire", "Equatorial Guinea", "Ethiopia"]


def seized(log: ProcedureLog, day: str = DAY, **item: object) -> Case:
    case = log.new_case("c", title="A Council item")
    case.submit_agenda_item(body="security-council", item=ITEM, requested_by=["France"],
                            date=day, **item)
    return case


def test_s96_rule_7_a_case_opens_on_a_council_agenda_item(log: ProcedureLog) -> None:
    case = seized(log, document="S/2018/1")
    assert case.state == "council.seized"
    assert case.data.council_item == ITEM and case.data.draft is None
    assert case.in_order()[0] == "vote on agenda"  # rule 9: the agenda comes first
    event = events_of(log, "c")[-1]
    assert isinstance(event, AgendaItemSubmitted)
    assert (event.requested_by, event.document) == (("France",), "S/2018/1")
    sentence = describe(event)
    assert "S/96/Rev.7 rules 7 and 9" in sentence and "at the request of France" in sentence
    assert command_of(event).item == ITEM  # the event goes back to its command
    assert_replays(log, case)
    assert state_from_dict(case.data.as_dict()).council_item == ITEM  # snapshots keep it


def test_s96_rule_9_the_agenda_not_adopted_ends_the_case(log: ProcedureLog) -> None:
    case = seized(log)
    decision = case.vote(on="agenda", yes_members=IN_FAVOUR, no_members=AGAINST,
                         abstain_members=ABSTAINING)
    assert (decision.outcome, decision.needed, decision.vetoed_by) == ("rejected", 9, ())
    assert case.state == "council.agenda_rejected"
    assert_refused(log, case, NotInOrderError, "submit_draft", rule="S/96/Rev.7 rule 9",
                   match="did not adopt its agenda", body="security-council", symbol="S/1",
                   title="A draft")
    assert_refused(log, case, NotInOrderError, "vote", rule="S/96/Rev.7 rule 9",
                   on="agenda", yes=9, no=0, abstain=6)
    assert_replays(log, case)


def test_charter_art_27_2_the_agenda_adopted_over_permanent_members_against(
        log: ProcedureLog) -> None:
    case = seized(log, day="2015-12-10")
    # Counts, with only those against and abstaining named: no veto, so no names needed.
    decision = case.vote(on="agenda", yes=9, no=4, abstain=2,
                         no_members=["Angola", "China", "Russian Federation", "Venezuela"],
                         abstain_members=["Chad", "Nigeria"])
    assert (decision.outcome, decision.rule) == ("adopted", "Charter Art. 27(2)")
    assert case.state == "council.on_agenda"
    case.submit_draft(body="security-council", symbol="S/2015/1", title="A draft",
                      sponsors=["France"])
    assert case.state == "council.tabled" and case.data.council_item == ITEM
    vetoed = case.vote(on="S/2015/1", yes=13, no=1, abstain=1,
                       no_members=["China"], abstain_members=["Chad"])
    assert (vetoed.outcome, vetoed.vetoed_by) == ("vetoed", ("China",))
    assert_replays(log, case)


def test_s96_rule_9_the_agenda_adopted_without_a_vote(log: ProcedureLog) -> None:
    case = seized(log)
    assert case.adopt_without_vote(on="agenda").outcome == "adopted"
    assert case.state == "council.on_agenda"


def test_s96_rule_9_no_draft_before_the_agenda_is_adopted(log: ProcedureLog) -> None:
    case = seized(log)
    assert_refused(log, case, NotInOrderError, "submit_draft", rule="S/96/Rev.7 rule 9",
                   match="must first adopt its agenda", body="security-council",
                   symbol="S/1", title="A draft")


def test_s96_rule_9_nothing_is_voted_before_the_agenda(log: ProcedureLog) -> None:
    case = seized(log)
    assert_refused(log, case, NotInOrderError, "vote", rule="S/96/Rev.7 rule 9",
                   on="suspend-meeting", yes=9, no=0, abstain=6)


def test_charter_art_27_2_eight_votes_do_not_adopt_the_agenda(log: ProcedureLog) -> None:
    case = seized(log)
    decision = case.vote(on="agenda", yes=8, no=0, abstain=7)
    assert (decision.outcome, decision.needed) == ("rejected", 9)


def test_charter_art_23_only_the_council_of_the_day_votes_on_its_agenda(
        log: ProcedureLog) -> None:
    case = seized(log)
    assert_refused(log, case, NotCouncilMemberError, "vote", rule="Charter Art. 23", on="agenda",
                   yes_members=[*IN_FAVOUR, "Germany"], no_members=AGAINST)


def test_s96_rule_7_the_provisional_agenda_is_the_councils(log: ProcedureLog) -> None:
    case = log.new_case("c", title="Not a Council item")
    assert_refused(log, case, NotInOrderError, "submit_agenda_item", rule="S/96/Rev.7 rule 7",
                   body="third-committee", item=ITEM, date=DAY)
    assert_refused(log, case, InvalidArgumentError, "submit_agenda_item", match="unknown body",
                   body="nowhere", item=ITEM, date=DAY)


def test_one_question_a_case_the_item_opens_it(log: ProcedureLog) -> None:
    case = log.new_case("first", title="A draft first")
    case.submit_draft(body="security-council", symbol="S/1", title="A draft", date=DAY)
    assert_refused(log, case, NotInOrderError, "submit_agenda_item",
                   rule="procedura's cases", body="security-council", item=ITEM)
    item = seized(log)
    assert_refused(log, item, NotInOrderError, "submit_agenda_item",
                   rule="procedura's cases", body="security-council", item="Another")


def test_charter_art_4_the_requesting_states_are_members_on_the_day(
        log: ProcedureLog) -> None:
    case = log.new_case("c", title="Before South Sudan's admission")
    assert_refused(log, case, UnknownMemberError, "submit_agenda_item", rule="Charter Art. 4",
                   body="security-council", item=ITEM, requested_by=["South Sudan"],
                   date="2010-01-05")
    assert_refused(log, case, InvalidArgumentError, "submit_agenda_item",
                   match="non-empty", body="security-council", item="", date=DAY)


def test_s96_rule_3_a_state_outside_the_council_may_ask(log: ProcedureLog) -> None:
    case = log.new_case("c", title="Asked for by a State not on the Council")
    case.submit_agenda_item(body="security-council", item="Letter from Ukraine",
                            requested_by=["Ukraine"], date="2025-02-24")
    assert case.state == "council.seized"
    assert not set(case.data.council) & {"Ukraine", *PERMANENT}
