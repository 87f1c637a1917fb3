"""Popolo JSON (engine.app.popolo): the export validates against the Popolo schemas,
and a document read back re-records every vote, decided again by the rules.

The schemas are the draft-03 files of popolo-project/popolo-spec in tests/fixtures/popolo
(see its README); their `$ref`s are resolved to those files, as the acceptance check does.
"""

from __future__ import annotations

import copy
import json
import re
import warnings
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from procedure_helpers import CARRIED, COUNCIL_2014, LOST

import engine
from engine import ExpectationError, ProcedureError, ProcedureLog
from engine.app.popolo import EXTENSION, PopoloError, from_popolo, to_popolo
from engine.app.scenarios import load_scenario, run_scenario

SCHEMAS = Path(__file__).parents[1] / "fixtures" / "popolo"
BASE = "http://www.popoloproject.com/schemas/"
BUNDLED = ["dprk-2014", "executions-2010", "libya-2011", "darfur-2005", "uzbekistan-2006"]
HOSTILE = " </script><script>alert(\"x\")</script> & <b>'DPRK'</b> \u202e\u00e9 "


# -- helpers -------------------------------------------------------------------------


def _store() -> dict[str, Any]:
    store = {}
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        store[f"{BASE}{path.name}#"] = schema
        store[f"{BASE}{path.name}"] = schema
    return store


STORE = _store()


def validate(doc: dict[str, Any]) -> int:
    """Validate every organization, motion and vote event; return the vote events' count."""
    with warnings.catch_warnings():  # RefResolver is deprecated, but the acceptance uses it
        warnings.simplefilter("ignore", DeprecationWarning)
        resolver = jsonschema.RefResolver("", {}, store=STORE)
        for key, schema in (("organizations", "organization"), ("motions", "motion"),
                            ("vote_events", "vote_event")):
            validator = jsonschema.Draft3Validator(STORE[f"{BASE}{schema}.json#"],
                                                   resolver=resolver)
            for item in doc[key]:
                validator.validate(item)
    return len(doc["vote_events"])


def bundled(name: str) -> tuple[ProcedureLog, dict[str, Any]]:
    log = engine.open(":memory:")
    run_scenario(log, load_scenario(name))
    return log, to_popolo(log, name)


def reimported(doc: dict[str, Any], case_id: str | None = None) -> tuple[ProcedureLog, Any]:
    log = engine.open(":memory:")
    case = from_popolo(log, json.loads(json.dumps(doc)), case_id=case_id)
    return log, case


def foreign(doc: dict[str, Any]) -> dict[str, Any]:
    """The document without procedura's extension key: as another tool would write it."""
    doc = copy.deepcopy(doc)
    doc.pop(EXTENSION, None)
    for item in (*doc["vote_events"], *doc["motions"]):
        item.pop(EXTENSION, None)
    return doc


def votes_of(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    """What a round trip must keep: each vote's body, item, result, counts and positions."""
    motions = {m["id"]: m for m in doc["motions"]}
    names = {o["id"]: o["name"] for o in doc["organizations"]}
    return [(v["organization_id"], motions[v["motion_id"]]["identifier"],
             motions[v["motion_id"]]["classification"], v["result"],
             {c["option"]: c["value"] for c in v["counts"]},
             sorted((names[x["voter_id"]], x["option"]) for x in v.get("votes", [])))
            for v in doc["vote_events"]]



# -- the export ----------------------------------------------------------------------


def test_the_fixture_schemas_resolve_locally_and_allow_an_extension_key() -> None:
    for path in SCHEMAS.glob("*.json"):
        text = path.read_text(encoding="utf-8")
        for ref in re.findall(r'"\$ref":\s*"([^"]+)"', text):
            assert ref in STORE, f"{path.name}: {ref} is not among the fixtures"
        assert "additionalProperties" not in text  # so draft 03 allows other properties
    assert len(list(SCHEMAS.glob("*.json"))) == 16


def test_dprk_2014_export_validates_with_four_vote_events() -> None:
    _, doc = bundled("dprk-2014")
    assert validate(doc) >= 4
    assert set(doc) == {"organizations", "motions", "vote_events", EXTENSION}


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_case_validates(name: str) -> None:
    _, doc = bundled(name)
    validate(doc)
    assert json.loads(json.dumps(doc)) == doc  # plain JSON data


def test_dprk_2014_bodies_members_motions_and_vote_events() -> None:
    _, doc = bundled("dprk-2014")
    orgs = {o["id"]: o for o in doc["organizations"]}
    assert [o["id"] for o in doc["organizations"][:3]] == [
        "un-third-committee", "un-plenary", "un-security-council"]
    assert orgs["un-third-committee"]["classification"] == "committee"
    assert orgs["un-member-JP"]["name"] == "Japan"
    assert {"identifier": "JPN", "scheme": "ISO 3166-1 alpha-3"} in orgs["un-member-JP"][
        "identifiers"]
    assert orgs["un-member-KP"]["name"] == "Democratic People's Republic of Korea"
    # 189 members voted in the plenary; the Council's voters are among them.
    assert sum(o["classification"] == "member state" for o in orgs.values()) == 189

    motions = {m["id"]: m for m in doc["motions"]}
    assert [(m["organization_id"], m["identifier"], m["classification"], m["result"])
            for m in doc["motions"]] == [
        ("un-third-committee", "A/C.3/69/L.28/Rev.1", "draft", "pass"),
        ("un-third-committee", "cuba-amendment", "amendment", "fail"),
        ("un-plenary", "A/C.3/69/L.28/Rev.1", "draft", "pass"),
        ("un-security-council", "agenda", "agenda", "pass"),
    ]
    amendment = motions["dprk-2014:third-committee:cuba-amendment"]
    assert amendment["requirement"] == "simple majority of members present and voting (rule 125)"
    assert amendment["text"].startswith("Replace the paragraphs on referral")
    assert amendment["date"] == "2014-11-14"

    events = doc["vote_events"]
    assert [e["start_date"] for e in events] == ["2014-11-18", "2014-11-18", "2014-12-18",
                                                 "2014-12-22"]
    assert all(e["motion_id"] in motions for e in events)
    assert [[c["value"] for c in e["counts"]] for e in events] == [
        [40, 77, 50], [111, 19, 55], [116, 20, 53], [11, 2, 2]]
    assert [c["option"] for c in events[0]["counts"]] == ["yes", "no", "abstain"]
    assert "votes" not in events[0]  # the committee's positions are not in the record
    plenary = {orgs[v["voter_id"]]["name"]: v["option"] for v in events[2]["votes"]}
    assert len(plenary) == 189
    assert (plenary["Japan"], plenary["China"], plenary["India"]) == ("yes", "no", "abstain")
    assert events[3]["procedura"]["decision"]["rule"] == "Charter Art. 27(2)"


def test_a_veto_is_a_fail(log: ProcedureLog) -> None:
    case = log.new_case("veto", "A vetoed draft", council=COUNCIL_2014)
    case.submit_draft(body="security-council", symbol="S/2014/1", title="A draft",
                      date="2014-05-22")
    case.vote(on="S/2014/1", yes_members=[*COUNCIL_2014, "France", "United Kingdom",
                                          "United States"], no_members=["China", "Russia"],
              date="2014-05-22")
    assert case.state == "council.vetoed"
    doc = to_popolo(log, "veto")
    validate(doc)
    assert doc["vote_events"][0]["result"] == "fail"
    assert doc["motions"][0]["result"] == "fail"
    assert doc["motions"][0]["requirement"] == (
        "9 votes in favour and no permanent member against (Charter Art. 27(3))")
    assert doc["vote_events"][0]["procedura"]["decision"]["vetoed_by"] == [
        "China", "Russian Federation"]
    _, again = reimported(doc)
    assert again.state == "council.vetoed"


def test_former_members_and_free_seats_get_ids_of_their_own(log: ProcedureLog) -> None:
    case = log.new_case("zanzibar", "A vote of 1964")
    case.submit_draft(body="plenary", symbol="A/L.1", title="A draft", date="1964-01-10")
    case.vote(on="A/L.1", yes_members=["Zanzibar", "Czechoslovakia"], no_members=["Japan"],
              present=100, date="1964-01-10")
    doc = to_popolo(log, "zanzibar")
    validate(doc)
    assert [o["id"] for o in doc["organizations"][1:]] == [
        "un-member-zanzibar", "un-member-CS", "un-member-JP"]
    assert doc["organizations"][1] == {"id": "un-member-zanzibar", "name": "Zanzibar",
                                       "classification": "member state"}
    assert doc["vote_events"][0]["counts"][-1] == {"option": "not voting", "value": 97}
    second, _ = reimported(doc)
    assert votes_of(to_popolo(second, "zanzibar")) == votes_of(doc)

    mun = log.new_case("mun", "Model UN", bodies=[{
        "id": "mun-third", "name": "Model UN Third Committee", "rules": "committee",
        "members": ["Delegation of Atlantis", "Delegation of Freedonia", "Japan"]}])
    mun.submit_draft(body="mun-third", symbol="D/1", title="A draft", date="2024-03-01")
    mun.vote(on="D/1", yes_members=["Delegation of Atlantis", "Japan"],
             no_members=["Delegation of Freedonia"], date="2024-03-02")
    doc = to_popolo(log, "mun")
    validate(doc)
    assert [(o["id"], o["classification"]) for o in doc["organizations"]] == [
        ("body-mun-third", "committee"), ("seat-delegation-of-atlantis", "delegation"),
        ("un-member-JP", "member state"), ("seat-delegation-of-freedonia", "delegation")]
    second, _ = reimported(doc)
    assert to_popolo(second, "mun") == doc


# -- reading a document back ------------------------------------------------------------


@pytest.mark.parametrize("name", BUNDLED)
def test_round_trip_of_every_bundled_case_keeps_everything(name: str) -> None:
    original, doc = bundled(name)
    log, case = reimported(doc)
    assert case.id == name
    assert case.state == original.state(name)
    assert to_popolo(log, name) == doc  # same items, counts, positions, results, steps
    assert [rec.type for rec in log.events.select(name)] == [
        rec.type for rec in original.events.select(name)]


@pytest.mark.parametrize("name", ["dprk-2014", "executions-2010"])
def test_round_trip_keeps_every_vote(name: str) -> None:
    original, doc = bundled(name)
    log, case = reimported(doc)
    again = to_popolo(log, name)
    assert votes_of(again) == votes_of(doc)
    decisions = [(d.body, d.on, d.decision) for d in case.data.decisions]
    assert decisions == [(d.body, d.on, d.decision) for d in original.case(name).data.decisions]
    plenary = {o["name"]: v["option"] for v in again["vote_events"][-1]["votes"]
               for o in again["organizations"] if o["id"] == v["voter_id"]}
    assert plenary["Saudi Arabia" if name == "executions-2010" else "China"] == "no"


@pytest.mark.parametrize("name", ["dprk-2014", "executions-2010", "libya-2011", "darfur-2005"])
def test_a_document_without_the_extension_is_read_by_inference(name: str) -> None:
    original, doc = bundled(name)
    log, case = reimported(foreign(doc), case_id=name)
    assert case.state == original.state(name)
    assert votes_of(to_popolo(log, name)) == votes_of(doc)


def test_a_whole_procedure_round_trips(log: ProcedureLog) -> None:
    """Division with an objection, a lapsing amendment, parts, reconsideration by a
    two-thirds majority, present and not voting, explanations, adoption without a vote, the
    Council's agenda and a veto."""
    case = log.new_case("full", title=HOSTILE, council=COUNCIL_2014)
    case.submit_draft(body="third-committee", symbol="L.1", title=HOSTILE,
                      sponsors=["Japan", "Italy"], operative_paragraphs=3, date="2014-11-14")
    case.submit_amendment(symbol="A1", proposers=["Cuba"], text=f"Amend: {HOSTILE}",
                          implies_rejection_of=["A2"])
    case.submit_amendment(symbol="A2", proposers=["China"], text="Another amendment")
    case.request_separate_vote(parts=["OP2"], by="Cuba", objection=True)
    case.vote(on="division", **CARRIED, date="2014-11-18")
    case.vote(on="A1", **CARRIED, present=170, date="2014-11-18")
    case.vote(on="OP2", **LOST, date="2014-11-18")
    case.vote(on="L.1", yes=110, no=40, abstain=10, date="2014-11-18")
    case.move(motion="reconsider", by="Cuba", date="2014-11-19")
    case.vote(on="reconsider", yes=120, no=30, abstain=10, date="2014-11-19")
    case.explain_vote(on="L.1", by="France", when="before", date="2014-11-19")
    case.vote(on="L.1", **CARRIED, date="2014-11-19", note=HOSTILE)
    case.transmit(to="plenary", document="A/69/100", date="2014-12-18")
    case.adopt_without_vote(on="L.1", date="2014-12-18")
    case.transmit(to="security-council", date="2014-12-22")
    case.vote(on="agenda", yes=11, no=2, abstain=2, date="2014-12-22")
    case.submit_draft(body="security-council", symbol="S/2014/1", title="A Council draft",
                      chapter="VII", date="2014-12-23")
    case.vote(on="S/2014/1", yes=13, no_members=["China", "Russian Federation"],
              date="2014-12-23")
    assert case.state == "council.vetoed"
    doc = to_popolo(log, "full")
    validate(doc)
    assert doc[EXTENSION]["case"]["title"] == HOSTILE  # JSON keeps the text as it is
    assert doc["motions"][0]["text"] == HOSTILE
    assert HOSTILE in json.loads(json.dumps(doc, ensure_ascii=False))["motions"][0]["text"]
    kinds = [(m["organization_id"].removeprefix("un-"), m["identifier"], m["classification"],
              m.get("result")) for m in doc["motions"]]
    assert kinds == [
        ("third-committee", "L.1", "draft", "pass"),
        ("third-committee", "division", "motion", "pass"),
        ("third-committee", "A1", "amendment", "pass"),
        ("third-committee", "OP2", "part", "fail"),
        ("third-committee", "reconsider", "motion", "pass"),
        ("plenary", "L.1", "draft", "pass"),
        ("security-council", "agenda", "agenda", "pass"),
        ("security-council", "S/2014/1", "draft", "fail"),
    ]
    requirements = {m["identifier"]: m["requirement"] for m in doc["motions"]}
    assert requirements["reconsider"] == (
        "two-thirds majority of members present and voting (rule 123)")
    assert "A2" not in requirements  # it lapsed: no decision was taken on it
    assert len(doc["vote_events"]) == 8
    a1 = doc["vote_events"][1]
    assert a1["counts"][-1] == {"option": "not voting", "value": 10}

    second, again = reimported(doc)
    assert again.state == "council.vetoed"
    assert to_popolo(second, "full") == doc
    assert again.title == HOSTILE


def test_a_foreign_document_with_counts(log: ProcedureLog) -> None:
    doc = {
        "organizations": [{"id": "ga", "name": "General Assembly"}],
        "motions": [{"id": "m1", "organization_id": "ga", "identifier": "A/RES/69/188",
                     "classification": "resolution", "text": "Human rights in the DPRK",
                     "date": "2014-12-18T10:00:00-05:00"}],
        "vote_events": [{"id": "v1", "motion_id": "m1", "start_date": "2014-12-18",
                         "result": "passed",
                         "counts": [{"option": "yes", "value": 116},
                                    {"option": "no", "value": 20},
                                    {"option": "abstain", "value": 53}]}],
    }
    validate(doc)
    case = from_popolo(log, doc)
    assert (case.id, case.title, case.state) == ("A/RES/69/188", "Human rights in the DPRK",
                                                 "plenary.adopted")
    assert to_popolo(log, case.id)["vote_events"][0]["counts"] == doc["vote_events"][0]["counts"]


def test_a_foreign_document_with_votes_only(log: ProcedureLog) -> None:
    doc = {
        "organizations": [{"id": "unsc", "name": "Security Council"}],
        "persons": [{"id": "p-fr", "name": "France"}],
        "motions": [{"id": "m", "organization_id": "unsc", "text": "A Council draft"}],
        "vote_events": [{"id": "v", "motion_id": "m", "start_date": "2011-02-26",
                         "votes": [
                             *({"voter_id": code, "option": "aye"} for code in (
                                 "BA", "BR", "CO", "GA", "DE", "IN", "LB", "NG", "PT", "ZA",
                                 "CN", "RU", "GB", "US")),
                             {"voter_id": "p-fr", "option": "yes"},
                         ]}],
    }
    case = from_popolo(log, doc, case_id="libya")
    assert case.state == "council.adopted"
    event = to_popolo(log, "libya")["vote_events"][0]
    assert event["counts"][0] == {"option": "yes", "value": 15}
    assert len(event["votes"]) == 15


# -- refusals ------------------------------------------------------------------------


def _bad(mutate: Any) -> dict[str, Any]:
    _, doc = bundled("dprk-2014")
    doc = foreign(doc)
    mutate(doc)
    return doc


def _drop(key: str, n: int = 0) -> Any:
    return lambda d: d["vote_events"][n].pop(key)


BAD = [
    ("not a document", lambda d: d.clear() or d.update({"x": 1}), "no vote events"),
    ("no motion", _drop("motion_id"), "no motion_id"),
    ("unknown motion", lambda d: d["vote_events"][0].update(motion_id="nope"),
     "names no motion"),
    ("no figures", lambda d: d["vote_events"][0].pop("counts"), "no counts for yes, no"),
    ("bad option", lambda d: d["vote_events"][2]["votes"][0].update(option="maybe"),
     "'maybe' is not an option"),
    ("bad count", lambda d: d["vote_events"][0]["counts"][0].update(value="40"),
     "must be a whole number"),
    ("bad date", lambda d: d["vote_events"][0].update(start_date="18/11/2014"),
     "is not an ISO 8601 date"),
    ("unknown body", lambda d: [v.update(organization_id="un-fourth-estate")
                                for v in d["vote_events"]], "is not a body procedura knows"),
    ("no voter", lambda d: d["vote_events"][2]["votes"][0].pop("voter_id"), "names no voter"),
    ("unknown voter", lambda d: d["vote_events"][2]["votes"][0].update(voter_id="Atlantis"),
     "unknown member 'Atlantis'"),
    ("counts disagree", lambda d: d["vote_events"][2]["counts"][0].update(value=115),
     "yes = 115 but yes_members names 116"),
    ("vote events not a list", lambda d: d.update(vote_events={"a": 1}), "must be an array"),
    ("two drafts", lambda d: d["motions"][2].update(identifier="A/69/L.99"), "2 drafts"),
]


@pytest.mark.parametrize(("mutate", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_document_is_refused_clearly(log: ProcedureLog, mutate: Any,
                                           message: str) -> None:
    doc = _bad(mutate)
    with pytest.raises(PopoloError, match=re.escape(message)) as info:
        from_popolo(log, doc, case_id="dprk-2014")
    assert isinstance(info.value, ProcedureError)
    assert log.events.count() == 0  # nothing recorded


@pytest.mark.parametrize("doc", [None, [], "text", 3])
def test_what_is_not_a_json_object_is_refused(log: ProcedureLog, doc: Any) -> None:
    with pytest.raises(PopoloError, match="must be a JSON object"):
        from_popolo(log, doc)


def test_a_result_the_rules_do_not_give_is_refused(log: ProcedureLog) -> None:
    _, doc = bundled("dprk-2014")
    doc["vote_events"][0]["result"] = "pass"  # the amendment was rejected, 40-77-50
    with pytest.raises(ExpectationError, match="the document gives the result 'pass', but the "
                       "rules give rejected: 40 in favour, 77 against"):
        from_popolo(log, doc)
    assert log.events.count() == 0


def test_a_bad_step_is_refused(log: ProcedureLog) -> None:
    _, doc = bundled("dprk-2014")
    doc[EXTENSION]["steps"][1]["action"] = "rm -rf"
    with pytest.raises(PopoloError, match="action 'rm -rf' is not one of"):
        from_popolo(log, doc)
    doc[EXTENSION]["steps"][1].update(action="submit_amendment", args={"colour": "red"})
    with pytest.raises(PopoloError, match="submit_amendment takes no argument 'colour'"):
        from_popolo(log, doc)
    assert log.events.count() == 0


def test_an_existing_case_is_not_overwritten() -> None:
    log, doc = bundled("dprk-2014")
    before = log.events.count()
    with pytest.raises(ProcedureError, match="already holds a case 'dprk-2014'"):
        from_popolo(log, doc)
    assert log.events.count() == before
    assert from_popolo(log, doc, case_id="copy").state == "council.on_agenda"


def test_a_vote_in_another_body_than_the_steps_say_is_refused(log: ProcedureLog) -> None:
    _, doc = bundled("dprk-2014")
    doc["vote_events"][0]["organization_id"] = "un-plenary"
    with pytest.raises(PopoloError, match="the vote is in plenary, but by the document's steps "
                       "the case is before third-committee then"):
        from_popolo(log, doc)
    assert log.events.count() == 0


def test_the_actor_is_recorded(log: ProcedureLog) -> None:
    _, doc = bundled("executions-2010")
    from_popolo(log, doc, actor="popolo import")
    assert {rec.actor for rec in log.events.select("executions-2010")} == {"popolo import"}
