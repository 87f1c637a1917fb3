"""The central invariant: replaying the log gives exactly the live state, for every prefix.

Hypothesis drives random sequences of commands, legal and illegal, against a case. After
every command the live state must equal the state rebuilt from the log, every earlier
version must rebuild to the state the case had then, and a refused command must append
nothing.
"""

from __future__ import annotations

import hypothesis.strategies as st
from hypothesis import HealthCheck, event, given, settings

import engine
from engine.procedure.bodies import PERMANENT_FIVE

ELECTED = ("Argentina", "Australia", "Chad", "Chile", "Jordan", "Lithuania", "Luxembourg",
           "Nigeria", "Republic of Korea", "Rwanda")
SEATS = (*PERMANENT_FIVE, *ELECTED)
ITEMS = ("D1", "A1", "A2", "adjourn-debate", "agenda", "D2")


@st.composite
def council_lists(draw: st.DrawFn) -> dict[str, list[str]]:
    seats = draw(st.permutations(SEATS))
    a = draw(st.integers(0, 15))
    b = draw(st.integers(a, 15))
    return {"yes_members": list(seats[:a]), "no_members": list(seats[a:b]),
            "abstain_members": list(seats[b:])}


@st.composite
def quorate_counts(draw: st.DrawFn) -> dict[str, int]:
    total = draw(st.integers(97, 193))
    yes = draw(st.integers(0, total))
    no = draw(st.integers(0, total - yes))
    return {"yes": yes, "no": no, "abstain": total - yes - no}


counts = st.one_of(
    quorate_counts(),
    st.fixed_dictionaries(
        {"yes": st.integers(-1, 200), "no": st.integers(0, 120), "abstain": st.integers(0, 80)}
    ),
)

submit = st.one_of(
    st.builds(
        lambda body, sym: ("submit_draft", {"body": body, "symbol": sym, "title": "t",
                                            "sponsors": ["Japan"]}),
        st.sampled_from(["third-committee", "plenary", "security-council", "nowhere"]),
        st.sampled_from(["D1", "D2"]),
    ),
    # a case that opens on a Council agenda item, with no text yet (S/96/Rev.7 rule 7)
    st.builds(lambda body: ("submit_agenda_item", {"body": body, "item": "i",
                                                   "requested_by": ["France"]}),
              st.sampled_from(["security-council", "plenary"])),
)
commands = st.one_of(
    submit,
    st.builds(lambda sym: ("submit_amendment", {"symbol": sym, "proposers": ["Cuba"],
                                                "text": "x"}), st.sampled_from(["A1", "A2"])),
    st.builds(lambda: ("move", {"motion": "adjourn-debate", "by": "Uzbekistan"})),
    st.builds(lambda sym: ("withdraw", {"symbol": sym}), st.sampled_from(ITEMS)),
    st.builds(lambda on, c: ("vote", {"on": on, **c}), st.sampled_from(ITEMS), counts),
    st.builds(lambda on, c: ("vote", {"on": on, **c}), st.sampled_from(ITEMS), council_lists()),
    st.builds(lambda on: ("adopt_without_vote", {"on": on}), st.sampled_from(ITEMS)),
    st.builds(lambda to: ("transmit", {"to": to}),
              st.sampled_from(["plenary", "security-council"])),
    st.builds(lambda: ("add_sponsors", {"sponsors": ["Norway"]})),
    # the list of speakers and a vote taken live
    st.builds(lambda m: ("inscribe", {"member": m}), st.sampled_from(["Cuba", "Japan", "Chad"])),
    st.builds(lambda: ("speak", {})),
    st.builds(lambda: ("close_list", {})),
    st.builds(lambda m: ("reply", {"member": m}), st.sampled_from(["Cuba", "Japan"])),
    st.builds(lambda n: ("limit_speeches", {"minutes": n}), st.integers(0, 10)),
    st.builds(lambda on: ("open_vote", {"on": on}), st.sampled_from(ITEMS)),
    st.builds(lambda m, v: ("cast_ballot", {"member": m, "vote": v}),
              st.sampled_from(SEATS), st.sampled_from(["yes", "no", "abstain"])),
    st.builds(lambda on: ("close_vote", {"on": on}), st.sampled_from(ITEMS)),
    # an agenda item with several drafts and the motions about it
    st.builds(lambda sym: ("add_draft", {"symbol": sym, "title": "t"}),
              st.sampled_from(["D2", "D3"])),
    st.builds(lambda: ("take_up", {})),
    st.builds(lambda m, t: ("move", {"motion": m, "by": "Cuba", **t}),
              st.sampled_from(["priority", "important-question", "postpone", "adjourn-debate"]),
              st.sampled_from([{}, {"target": "D2"}, {"target": "D3"}])),
    st.builds(lambda on, c: ("vote", {"on": on, **c}),
              st.sampled_from(["priority", "important-question", "postpone", "D3"]), counts),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(submit, st.lists(commands, max_size=25))
def test_replay_equals_live_state_after_every_event(first: tuple, rest: list) -> None:
    sequence = [first, *rest]
    log = engine.open(":memory:")
    case = log.new_case("c", title="random", council=list(ELECTED))
    seen: dict[int, dict] = {}
    for action, kwargs in sequence:
        before = log.events.count()
        try:
            getattr(case, action)(date="2014-11-18", **kwargs)
        except engine.ProcedureError:
            assert log.events.count() == before, f"refused {action} appended events"
            continue
        assert case.version == log.events.count()
        seen[case.version] = case.data.as_dict()
        assert log.case("c").data.as_dict() == seen[case.version]
        assert log.states()["c"].as_dict() == seen[case.version]  # the one-pass fold
    event(f"ended in {case.state}")
    for version, snapshot in seen.items():
        assert log.case("c", at=version).data.as_dict() == snapshot
        assert log.state("c", at=version) == snapshot["state"]
