"""Observer States as sponsors, with the rights the General Assembly gave them on their
dates (resolutions 52/250 of 1998, 58/314 of 2004, 67/19 of 2012 and ES-10/23 of 2024)."""

from __future__ import annotations

import datetime as dt

from procedure_helpers import CARRIED, assert_refused

from engine import ProcedureLog, UnknownMemberError
from engine.procedure.observers import ObserverError, observer_name, rights


def draft(log: ProcedureLog, case_id: str, sponsors: list[str], date: str,
          body: str = "plenary") -> None:
    """Submit L.1 with these sponsors on this date."""
    log.new_case(case_id, title="t").submit_draft(body=body, symbol="L.1", title="t",
                                                  sponsors=sponsors, date=date)


def test_res_52_250_palestine_co_sponsors_from_1998(log: ProcedureLog) -> None:
    draft(log, "a", ["Egypt", "Palestine"], "1999-12-01")
    assert log.case("a").data.draft.sponsors == ["Egypt", "Palestine"]
    case = log.new_case("b", title="t")
    assert_refused(log, case, ObserverError, "submit_draft", rule="A/RES/52/250",
                   match="observer, not a Member State", body="plenary", symbol="L.1",
                   title="t", sponsors=["Egypt", "Palestine"], date="1997-12-01")


def test_res_67_19_the_state_of_palestine_keeps_its_rights_under_its_name(
    log: ProcedureLog,
) -> None:
    draft(log, "a", ["Egypt", "Palestine"], "2013-12-01")
    assert log.case("a").data.draft.sponsors == ["Egypt", "State of Palestine"]
    assert observer_name("State of Palestine", dt.date(2000, 1, 1)) == "Palestine"
    assert {r.source for r in rights("Palestine", dt.date(2013, 1, 1))} == {
        "A/RES/52/250 and A/RES/67/19"}


def test_res_es_10_23_the_state_of_palestine_submits_from_the_79th_session(
    log: ProcedureLog,
) -> None:
    case = log.new_case("early", title="t")
    assert_refused(log, case, ObserverError, "submit_draft", rule="A/RES/ES-10/23",
                   match="2024-09-10", body="plenary", symbol="L.1", title="t",
                   sponsors=["State of Palestine"], date="2024-06-01")
    draft(log, "late", ["State of Palestine"], "2024-10-01")
    assert log.case("late").data.draft.sponsors == ["State of Palestine"]


def test_res_58_314_the_holy_see_co_sponsors_from_2004(log: ProcedureLog) -> None:
    draft(log, "a", ["Italy", "Holy See"], "2005-11-01", body="third-committee")
    case = log.case("a")
    assert case.data.draft.sponsors == ["Italy", "Holy See"]
    case.add_sponsors(sponsors=["VA"])  # once, however it is named
    assert case.data.draft.sponsors == ["Italy", "Holy See"]
    early = log.new_case("early", title="t")
    assert_refused(log, early, ObserverError, "submit_draft", rule="A/RES/58/314",
                   body="plenary", symbol="L.1", title="t", sponsors=["Italy", "Holy See"],
                   date="2003-11-01")
    alone = log.new_case("alone", title="t")
    assert_refused(log, alone, ObserverError, "submit_draft", match="without a Member State",
                   body="plenary", symbol="L.1", title="t", sponsors=["Holy See"],
                   date="2005-11-01")


def test_observers_never_vote(log: ProcedureLog) -> None:
    draft(log, "a", ["Italy", "Holy See"], "2005-11-01")
    case = log.case("a")
    assert_refused(log, case, UnknownMemberError, "vote", on="L.1", date="2005-11-02",
                   yes_members=["Holy See"], **{**CARRIED, "yes": 1}, present=151)


def test_observers_are_no_sponsors_in_the_security_council(log: ProcedureLog) -> None:
    case = log.new_case("c", title="t")
    assert_refused(log, case, UnknownMemberError, "submit_draft", body="security-council",
                   symbol="S/1", title="t", sponsors=["Holy See"], date="2005-11-01")
