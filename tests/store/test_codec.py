"""Tests for events.codec: the event registry, the JSON codec and the upcasters."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import attrs
import pytest

import events.codec as codec
from events import catalog
from events.catalog import (
    AdoptedWithoutVote,
    AgendaItemSubmitted,
    AmendmentLapsed,
    AmendmentSubmitted,
    AttendanceTaken,
    BallotCast,
    Body,
    CaseOpened,
    Decision,
    DeemedRejected,
    DraftAdded,
    DraftRevisedOrally,
    DraftSubmitted,
    DraftTakenUp,
    DraftTransmitted,
    MotionMoved,
    SeparateVoteRequested,
    SpeakerCalled,
    SpeakerInscribed,
    SpeakersListClosed,
    SpeakingTimeLimited,
    SponsorsAdded,
    VoteExplained,
    VoteOpened,
    VoteTaken,
    Withdrawn,
)
from events.codec import Event, decode, encode, event, registered, to_dict, upcaster
from events.errors import CodecError

# --- samples: one of each catalogue event, every field set away from its default ---------

VETO = Decision(
    outcome="vetoed", majority="nine-votes", needed=9, present_and_voting=15,
    rule="Charter Art. 27(3)", vetoed_by=("China", "Russian Federation"), tie=False,
)
TIE = Decision("rejected", "simple", 84, 166, "rule 133", tie=True)

SAMPLES: dict[type[Event], Event] = {
    CaseOpened: CaseOpened(
        title="Situation of human rights in the DPRK (2014)",
        council=("Argentina", "Australia", "Chad"),
        bodies=(
            Body(id="mun-hrc", name="Model Human Rights Council", rules="committee",
                 members=("Delegation A", "Delegation B", "Delegation C")),
            Body(id="mun-sc", name="Model Security Council", rules="council",
                 veto=("Delegation A",)),
        ),
    ),
    DraftSubmitted: DraftSubmitted(
        body="security-council", symbol="S/2014/1", title="Referral to the ICC",
        sponsors=("France", "Türkiye"), chapter="VII",
        referral="International Criminal Court", operative_paragraphs=8,
        parties=("Democratic People's Republic of Korea",),
    ),
    DraftRevisedOrally: DraftRevisedOrally(
        symbol="A/C.3/1", text="In OP3, replace 'urges' with 'encourages'", by="Japan",
    ),
    SeparateVoteRequested: SeparateVoteRequested(
        parts=("OP7", "OP8"), by="Cuba", objection=True,
    ),
    AmendmentLapsed: AmendmentLapsed(
        symbol="amendment-2", because="amendment-1", rule="rule 130",
    ),
    DeemedRejected: DeemedRejected(
        on="A/C.3/1", body="third-committee", reason="all operative parts were rejected",
        decision=Decision("rejected", "simple", 0, 0, "rule 129"),
    ),
    VoteExplained: VoteExplained(
        on="A/C.3/1", by="Cuba", when="before", text="We will vote against.",
    ),
    SponsorsAdded: SponsorsAdded(symbol="A/C.3/69/L.28/Rev.1", sponsors=("Japan", "Italy")),
    VoteOpened: VoteOpened(on="MUN/1", kind="draft", body="mun-committee", majority=None),
    BallotCast: BallotCast(on="MUN/1", member="Genovia", vote="abstain"),
    AttendanceTaken: AttendanceTaken(body="mun-committee", present=("Atlantis", "Genovia")),
    SpeakerInscribed: SpeakerInscribed(body="third-committee", member="Cuba"),
    SpeakerCalled: SpeakerCalled(body="plenary", member="Japan", reply=True),
    SpeakersListClosed: SpeakersListClosed(body="third-committee"),
    SpeakingTimeLimited: SpeakingTimeLimited(body="plenary", minutes=5),
    AmendmentSubmitted: AmendmentSubmitted(
        symbol="cuba-amendment", proposers=("Cuba",), text="Delete OP7 and OP8",
        implies_rejection_of=("other-amendment",),
    ),
    MotionMoved: MotionMoved(motion="adjourn-debate", by="Cuba", target="A/C.3/69/L.28/Rev.1"),
    Withdrawn: Withdrawn(symbol="cuba-amendment", kind="amendment"),
    VoteTaken: VoteTaken(
        on="S/2014/1", kind="draft", body="security-council", method="recorded",
        yes=13, no=2, abstain=0, decision=VETO,
        yes_members=("France", "United Kingdom of Great Britain and Northern Ireland"),
        no_members=("China", "Russian Federation"), abstain_members=("Chad",),
        present=15, as_amended=True, warnings=("a member voted twice",),
    ),
    AdoptedWithoutVote: AdoptedWithoutVote(
        on="A/C.3/69/L.28/Rev.1", kind="draft", body="third-committee",
        decision=Decision("adopted", "consensus", 0, 0, "adopted without a vote"),
        as_amended=True,
    ),
    DraftTransmitted: DraftTransmitted(to="plenary", document="A/69/488/Add.2"),
    DraftAdded: DraftAdded("A/L.631", "Restoration of the rights of the Republic of China",
                           ("United States of America", "Japan"), 2),
    DraftTakenUp: DraftTakenUp("A/L.632"),
    AgendaItemSubmitted: AgendaItemSubmitted(
        "security-council", "The situation in the Democratic People's Republic of Korea",
        ("Chile", "France"), "S/2015/931"),
}


def _catalog_classes() -> set[type[Event]]:
    return {cls for cls in registered().values() if cls.__module__ == catalog.__name__}


def _tuple_fields(value: Any) -> Iterator[tuple[str, Any]]:
    """Every (dotted name, value) of an attrs object's fields, nested records included."""
    for f in attrs.fields(type(value)):
        item = getattr(value, f.name)
        yield f.name, item
        nested = [(f.name, item)] if attrs.has(type(item)) else []
        if isinstance(item, tuple):
            nested = [(f"{f.name}[{i}]", v) for i, v in enumerate(item) if attrs.has(type(v))]
        for prefix, record in nested:
            for name, sub in _tuple_fields(record):
                yield f"{prefix}.{name}", sub


# --- the registry ------------------------------------------------------------------------


def test_every_catalog_event_has_a_sample() -> None:
    assert _catalog_classes() == set(SAMPLES)


def test_catalog_type_names_are_stable_and_not_module_paths() -> None:
    names = {cls.type for cls in _catalog_classes()}
    assert {
        "CaseOpened", "DraftSubmitted", "SponsorsAdded", "AmendmentSubmitted", "MotionMoved",
        "Withdrawn", "VoteTaken", "AdoptedWithoutVote", "DraftTransmitted",
    } <= names
    assert not any("." in name for name in names)


def test_registered_maps_type_names_to_classes() -> None:
    found = registered()
    for cls in SAMPLES:
        assert found[cls.type] is cls
        assert isinstance(cls.version, int) and cls.version >= 1


def test_registered_returns_a_copy() -> None:
    found = registered()
    found.pop("CaseOpened")
    assert "CaseOpened" in registered()


def test_a_type_name_cannot_be_registered_twice() -> None:
    @attrs.frozen
    class Impostor(Event):
        title: str

    with pytest.raises(ValueError, match="registered twice"):
        event("CaseOpened")(Impostor)
    assert registered()["CaseOpened"] is CaseOpened


# --- round trips -------------------------------------------------------------------------


@pytest.mark.parametrize("sample", SAMPLES.values(), ids=lambda ev: type(ev).__name__)
def test_round_trip_through_json_text(sample: Event) -> None:
    text = encode(sample)
    back = decode(sample.type, sample.version, text)
    assert type(back) is type(sample)
    assert back == sample
    assert encode(back) == text


@pytest.mark.parametrize("sample", SAMPLES.values(), ids=lambda ev: type(ev).__name__)
def test_round_trip_through_a_dict(sample: Event) -> None:
    data = to_dict(sample)
    assert json.loads(encode(sample)) == data
    assert decode(sample.type, sample.version, data) == sample


@pytest.mark.parametrize("sample", SAMPLES.values(), ids=lambda ev: type(ev).__name__)
def test_tuples_come_back_as_tuples(sample: Event) -> None:
    back = decode(sample.type, sample.version, encode(sample))
    originals = dict(_tuple_fields(sample))
    for name, value in _tuple_fields(back):
        if isinstance(originals[name], tuple):
            assert type(value) is tuple, name
            assert value == originals[name], name


def test_tuples_are_json_lists_in_the_payload() -> None:
    payload = json.loads(encode(SAMPLES[VoteTaken]))
    assert payload["no_members"] == ["China", "Russian Federation"]
    assert payload["decision"]["vetoed_by"] == ["China", "Russian Federation"]


def test_nested_bodies_come_back_as_bodies() -> None:
    back = decode("CaseOpened", 1, encode(SAMPLES[CaseOpened]))
    assert isinstance(back, CaseOpened)
    assert all(type(b) is Body for b in back.bodies)
    assert back.bodies[0].members == ("Delegation A", "Delegation B", "Delegation C")
    assert back.bodies[1].members is None
    assert back.bodies[1].veto == ("Delegation A",)


def test_nested_decision_comes_back_as_a_decision() -> None:
    back = decode("VoteTaken", 1, encode(SAMPLES[VoteTaken]))
    assert isinstance(back, VoteTaken)
    assert type(back.decision) is Decision
    assert back.decision == VETO


def test_tie_flag_survives_a_round_trip() -> None:
    vote = attrs.evolve(SAMPLES[VoteTaken], decision=TIE)
    back = decode("VoteTaken", 1, encode(vote))
    assert isinstance(back, VoteTaken)
    assert back.decision.tie is True


def test_decoded_defaults_fill_missing_optional_fields() -> None:
    back = decode("DraftSubmitted", 1, '{"body":"plenary","symbol":"A/1","title":"T"}')
    assert back == DraftSubmitted(body="plenary", symbol="A/1", title="T")
    assert back.sponsors == () and back.chapter is None  # type: ignore[attr-defined]


# --- stable encoding ---------------------------------------------------------------------


def test_encode_sorts_keys_at_every_level() -> None:
    text = encode(SAMPLES[VoteTaken])

    def check(obj: Any) -> None:
        if isinstance(obj, dict):
            assert list(obj) == sorted(obj)
            for v in obj.values():
                check(v)

    check(json.loads(text))
    assert text.index('"abstain"') < text.index('"as_amended"') < text.index('"yes_members"')


@pytest.mark.parametrize("sample", SAMPLES.values(), ids=lambda ev: type(ev).__name__)
def test_encode_writes_what_the_public_json_encoder_writes(
    sample: Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `encode` calls CPython's C encoder directly; it must not differ by a byte from
    # json.dumps of the payload as plain data, nor from the pure-Python fallback that
    # serves where the accelerator is missing.
    public = json.dumps(to_dict(sample), ensure_ascii=False, sort_keys=True,
                        separators=(",", ":"))
    assert encode(sample) == public
    monkeypatch.setattr(codec, "_C_ENCODER", None)
    monkeypatch.setattr(json.encoder, "c_make_encoder", None)
    assert encode(sample) == public


def test_encode_is_compact_and_keeps_non_ascii() -> None:
    text = encode(SAMPLES[DraftSubmitted])
    assert ", " not in text and ": " not in text
    assert "Türkiye" in text
    assert "\\u" not in text


def test_encode_is_independent_of_construction_order() -> None:
    a = MotionMoved(motion="close-debate", by="Japan", target=None)
    b = MotionMoved(target=None, by="Japan", motion="close-debate")
    assert encode(a) == encode(b) == '{"by":"Japan","motion":"close-debate","target":null}'


def test_encode_is_deterministic() -> None:
    sample = SAMPLES[AmendmentSubmitted]
    assert len({encode(sample) for _ in range(5)}) == 1


# --- errors ------------------------------------------------------------------------------


def test_unknown_type_raises_codec_error() -> None:
    with pytest.raises(CodecError, match="unknown event type 'NoSuchEvent'"):
        decode("NoSuchEvent", 1, "{}")


def test_newer_schema_version_raises_codec_error_naming_it() -> None:
    with pytest.raises(CodecError, match=r"CaseOpened v2 .*newer") as info:
        decode("CaseOpened", CaseOpened.version + 1, '{"title":"t","council":[]}')
    assert f"v{CaseOpened.version}" in str(info.value)


def test_payload_with_an_unknown_field_raises_codec_error() -> None:
    with pytest.raises(CodecError, match="cannot decode Withdrawn v1"):
        decode("Withdrawn", 1, '{"symbol":"x","kind":"draft","colour":"red"}')


def test_payload_missing_a_required_field_raises_codec_error() -> None:
    with pytest.raises(CodecError, match="cannot decode Withdrawn v1"):
        decode("Withdrawn", 1, '{"symbol":"x"}')


def test_payload_with_a_misnamed_field_of_the_right_count_names_it() -> None:
    # As many keys as the class has fields, one of them wrong: the positional fast path
    # must not take it, and the error must name the stranger.
    data = to_dict(Withdrawn(symbol="x", kind="draft"))
    data["kin"] = data.pop("kind")
    assert len(data) == len(attrs.fields(Withdrawn))
    with pytest.raises(CodecError, match="kin"):
        decode("Withdrawn", 1, json.dumps(data))


def test_nested_decision_with_an_unknown_field_raises_codec_error() -> None:
    data = to_dict(SAMPLES[VoteTaken])
    data["decision"] = {**data["decision"], "colour": "red"}
    with pytest.raises(CodecError, match="colour"):
        decode("VoteTaken", VoteTaken.version, json.dumps(data))


@pytest.mark.parametrize("bad", [5, None, "x", [1, 2]])
def test_a_nested_decision_that_is_not_an_object_says_what_it_is(bad: object) -> None:
    data = {**to_dict(SAMPLES[VoteTaken]), "decision": bad}
    with pytest.raises(CodecError, match=f"must be a mapping, not {type(bad).__name__}"):
        decode("VoteTaken", VoteTaken.version, json.dumps(data))


def test_build_equals_keyword_construction_and_reports_bad_keys() -> None:
    data = to_dict(VETO)
    assert codec.build(Decision, data) == Decision(**data)
    with pytest.raises(TypeError, match="colour"):
        codec.build(Decision, {**data, "colour": "red"})
    with pytest.raises(TypeError, match="outcome"):
        codec.build(Decision, {k: v for k, v in data.items() if k != "outcome"})


def test_codec_error_is_a_procedure_error() -> None:
    from events.errors import ProcedureError

    assert issubclass(CodecError, ProcedureError)


@pytest.mark.parametrize("payload", ['{"title": "t"', '{"title":"t"} trailing', "", "[1, 2]"])
def test_malformed_payload_raises_codec_error(payload: str) -> None:
    with pytest.raises(CodecError, match="cannot decode CaseOpened v1"):
        decode("CaseOpened", 1, payload)


def test_payload_with_whitespace_still_decodes() -> None:
    assert decode("CaseOpened", 1, ' { "title" : "t" } ') == CaseOpened(title="t")


# --- upcasters (throwaway event types, registered only while this module runs) -----------


@attrs.frozen(slots=True)
class TestOnlyEvent(Event):
    """v1 had a single `label`; v2 splits it into `name` and adds `count`."""

    __test__ = False  # not a pytest test class

    name: str
    count: int


@attrs.frozen(slots=True)
class TestOnlyGap(Event):
    """v3, with an upcaster only from v2: a v1 payload cannot be read."""

    __test__ = False

    label: str
    level: int


def _test_only_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    return {"name": data["label"].upper(), "count": 0}


def _gap_v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "level": 3}


@attrs.frozen(slots=True)
class TestOnlyChain(Event):
    """v3, with upcasters v1 -> v2 -> v3 applied in turn."""

    __test__ = False

    steps: tuple[str, ...] = attrs.field(converter=tuple)


def _chain_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    return {"steps": [*data["steps"], "v2"]}


def _chain_v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    return {"steps": [*data["steps"], "v3"]}


@pytest.fixture(scope="module", autouse=True)
def _test_only_events() -> Iterator[None]:
    event("TestOnlyEvent", version=2)(TestOnlyEvent)
    upcaster("TestOnlyEvent", 1)(_test_only_v1_to_v2)
    event("TestOnlyGap", version=3)(TestOnlyGap)
    upcaster("TestOnlyGap", 2)(_gap_v2_to_v3)
    event("TestOnlyChain", version=3)(TestOnlyChain)
    upcaster("TestOnlyChain", 1)(_chain_v1_to_v2)
    upcaster("TestOnlyChain", 2)(_chain_v2_to_v3)
    yield
    for name in ("TestOnlyEvent", "TestOnlyGap", "TestOnlyChain"):
        codec._TYPES.pop(name, None)
    for key in (("TestOnlyEvent", 1), ("TestOnlyGap", 2), ("TestOnlyChain", 1),
                ("TestOnlyChain", 2)):
        codec._UPCASTERS.pop(key, None)


def test_event_decorator_sets_type_and_version() -> None:
    assert TestOnlyEvent.type == "TestOnlyEvent"
    assert TestOnlyEvent.version == 2
    assert registered()["TestOnlyEvent"] is TestOnlyEvent


def test_upcaster_upgrades_a_v1_payload_on_decode() -> None:
    back = decode("TestOnlyEvent", 1, '{"label":"old"}')
    assert back == TestOnlyEvent(name="OLD", count=0)


def test_upcaster_upgrades_a_v1_dict_payload_without_mutating_it() -> None:
    payload = {"label": "old"}
    assert decode("TestOnlyEvent", 1, payload) == TestOnlyEvent(name="OLD", count=0)
    assert payload == {"label": "old"}


def test_current_version_is_decoded_without_upcasting() -> None:
    assert decode("TestOnlyEvent", 2, '{"name":"new","count":5}') == TestOnlyEvent("new", 5)


def test_upcast_event_encodes_as_the_current_version() -> None:
    back = decode("TestOnlyEvent", 1, '{"label":"old"}')
    assert encode(back) == '{"count":0,"name":"OLD"}'


def test_upcasting_starts_from_the_stored_version() -> None:
    assert decode("TestOnlyGap", 2, '{"label":"x"}') == TestOnlyGap(label="x", level=3)


def test_upcasters_are_applied_in_turn() -> None:
    back = decode("TestOnlyChain", 1, '{"steps":["v1"]}')
    assert back == TestOnlyChain(steps=("v1", "v2", "v3"))
    assert decode("TestOnlyChain", 2, '{"steps":["v2"]}') == TestOnlyChain(steps=("v2", "v3"))


def test_missing_upcaster_raises_codec_error() -> None:
    with pytest.raises(CodecError, match="no upcaster for TestOnlyGap from v1 to v2"):
        decode("TestOnlyGap", 1, '{"label":"x"}')


def test_missing_upcaster_below_the_first_raises_codec_error() -> None:
    with pytest.raises(CodecError, match="no upcaster for TestOnlyEvent from v0 to v1"):
        decode("TestOnlyEvent", 0, "{}")


def test_newer_version_of_a_test_event_raises_codec_error() -> None:
    with pytest.raises(CodecError, match="TestOnlyEvent v3 was written by a newer procedura"):
        decode("TestOnlyEvent", 3, '{"name":"x","count":1}')
