"""Hostile input: whatever a user sends, only a ProcedureError comes out, and nothing is
appended unless the whole command (or scenario) is in order.

- scenario documents (TOML built from random structures, see tests/hostile_values.py)
  through the loader and `run_scenario`, through `procedura run` in this process, and a
  few through a real `procedura run` process: exit 0, 1 or 2, never a traceback, and
  exit 1/2 name the file and leave the log as it was;
- random library command sequences with random argument values;
- SQL only with bound parameters: ids, titles and symbols holding SQL are stored verbatim;
- scenario files are data: no action name reaches anything but the public actions;
- the HTML export escapes everything.

Figures: run `pytest tests/cli/test_hostile_input.py -q -s` and read the FIGURES line.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import pytest
from hostile_values import (
    LONG,
    SQL,
    commands,
    document,
    envelopes,
    hostile,
    nested,
    render,
    text,
)
from hypothesis import HealthCheck, given, settings
from reliability_helpers import cli, procedura, sample_log

import engine
from engine import ProcedureError
from engine.app.scenarios import load_scenario, run_scenario
from engine.app.verify import verify

ROOT = Path(__file__).parents[2]
ELECTED_2014 = ["Argentina", "Australia", "Chad", "Chile", "Jordan", "Lithuania", "Luxembourg",
                "Nigeria", "Republic of Korea", "Rwanda"]


def fuzz(examples: int) -> settings:
    """Bounded: a fixed number of examples, no deadline (CI machines vary)."""
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=list(HealthCheck))


TRIED: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def figures() -> Iterator[None]:
    yield
    if TRIED:
        print(f"\nFIGURES hostile-input: {sum(TRIED.values())} generated inputs tried: "
              + ", ".join(f"{n} {what}" for what, n in sorted(TRIED.items()))
              + "; 0 escaped as anything but a ProcedureError, 0 appended when refused")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


def seeded() -> engine.ProcedureLog:
    """An in-memory log that already holds a case (so "nothing appended" means something)."""
    log = engine.open(":memory:")
    case = log.new_case("existing", title="Already recorded")
    case.submit_draft(body="third-committee", symbol="E/1", title="draft", sponsors=["Japan"],
                      date="2014-11-18")
    return log


def assert_replays_to(log: engine.ProcedureLog, case: engine.Case) -> None:
    assert log.case(case.id).data.as_dict() == case.data.as_dict()


# --- scenario documents ------------------------------------------------------------------


@fuzz(200)
@given(document())
def test_scenario_documents_only_raise_procedure_errors(scratch: Path, doc: dict) -> None:
    TRIED["scenario documents (library)"] += 1
    path = scratch / "fuzz.toml"
    path.write_text(render(doc), encoding="utf-8")
    log = seeded()
    before = list(log.events.rows())
    try:
        case = run_scenario(log, load_scenario(path))
    except ProcedureError as e:
        assert str(path) in str(e), f"the message does not name the file: {e}"
        assert list(log.events.rows()) == before, "a refused scenario appended events"
        return
    assert log.events.count() > len(before)
    assert_replays_to(log, case)
    assert verify(log).ok


def _mutations() -> st.SearchStrategy[bytes]:
    base = (ROOT / "replays" / "scenarios" / "dprk-2014.toml").read_bytes()

    @st.composite
    def mutate(draw: st.DrawFn) -> bytes:
        data = bytearray(base)
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(data)))
            cut = draw(st.integers(0, 40))
            junk = draw(st.one_of(st.binary(max_size=12), st.sampled_from(
                [b"\xff\xfe", b"\x00", b"[[step]]\n", b"[case]\n", b'"', b"= 1e999\n",
                 b"\xed\xa0\x80", b"action = \"vote\"\n", b"yes = -1\n"])))
            data[at:at + cut] = junk
        return bytes(data)

    return mutate()


@fuzz(100)
@given(_mutations())
def test_mangled_scenario_files_only_raise_procedure_errors(scratch: Path, data: bytes) -> None:
    TRIED["mangled scenario files"] += 1
    path = scratch / "mangled.toml"
    path.write_bytes(data)
    log = seeded()
    count = log.events.count()
    try:
        case = run_scenario(log, load_scenario(path))
    except ProcedureError as e:
        assert str(path) in str(e)
        assert log.events.count() == count
        return
    assert_replays_to(log, case)
    assert verify(log).ok


# --- the command line ------------------------------------------------------------------------


def _run_cli(scratch: Path, doc: dict, runner: Callable[..., Any], counter: str) -> None:
    TRIED[counter] += 1
    path = scratch / "cli.toml"
    path.write_text(render(doc), encoding="utf-8")
    db = scratch / "cli.db"
    for leftover in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        leftover.unlink(missing_ok=True)
    sample_log(db)
    before = _rows(db)
    result = runner("run", path, "--db", db)
    assert not result.traceback, result.err[-3000:]
    assert result.code in (0, 1, 2), (result.code, result.err)
    if result.code:
        assert str(path) in result.err, f"the message does not name the file: {result.err}"
        assert len(result.err.strip().splitlines()) == 1, result.err
        assert _rows(db) == before, "a failed run appended events"
    else:
        assert len(_rows(db)) > len(before)


def _rows(db: Path) -> list[tuple]:
    con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return con.execute("select * from events order by position").fetchall()
    finally:
        con.close()


@fuzz(60)
@given(document())
def test_procedura_run_exits_0_1_or_2_and_appends_nothing_when_it_fails(
    scratch: Path, doc: dict,
) -> None:
    _run_cli(scratch, doc, cli, "`procedura run` (in process)")


@fuzz(5)
@given(document())
def test_procedura_run_in_a_real_process(scratch: Path, doc: dict) -> None:
    _run_cli(scratch, doc, procedura, "`procedura run` (subprocess)")


@pytest.mark.parametrize("where", ["case title", "step argument"])
def test_a_deeply_nested_scenario_is_refused_cleanly(tmp_path: Path, where: str) -> None:
    deep = "[" * 2000 + "]" * 2000
    body = (f'[case]\nid = "deep"\ntitle = {deep}\n' if where == "case title" else
            f'[case]\nid = "deep"\ntitle = "t"\n[[step]]\naction = "vote"\non = {deep}\n')
    path = tmp_path / "deep.toml"
    path.write_text(body)
    result = cli("run", path, "--db", tmp_path / "deep.db")
    assert not result.traceback, result.err[-500:]
    assert result.code == 2 and str(path) in result.err


# --- the library -------------------------------------------------------------------------------


@fuzz(150)
@given(st.lists(commands(), max_size=12))
def test_library_commands_only_raise_procedure_errors(sequence: list) -> None:
    TRIED["library command sequences"] += 1
    run_sequence(sequence)


def run_sequence(sequence: list) -> None:
    """Run the calls on a tabled case: refused ones change nothing, the log verifies."""
    log = engine.open(":memory:")
    case = log.new_case("fuzz", title="fuzz", council=ELECTED_2014)
    case.submit_draft(body="third-committee", symbol="L.1", title="draft", sponsors=["Japan"],
                      date="2014-11-18")
    for action, kwargs in sequence:
        before = (log.events.count(), case.version, case.state)
        try:
            getattr(case, action)(**kwargs)
        except ProcedureError:
            assert (log.events.count(), case.version, case.state) == before, action
            continue
        assert case.version == log.events.count() > before[0]
        assert_replays_to(log, case)
    assert verify(log).ok


@fuzz(100)
@given(st.one_of(text, hostile), st.one_of(text, hostile),
       st.lists(st.sampled_from(["Japan", "Chad", "Narnia", "China", "Russia", "", SQL]),
                max_size=12))
def test_opening_a_case_only_raises_procedure_errors(case_id: Any, title: Any,
                                                     council: list) -> None:
    TRIED["case openings"] += 1
    log = engine.open(":memory:")
    try:
        case = log.new_case(case_id, title, council=council)
        case.submit_draft(body="security-council", symbol="S/1", title="draft",
                          date="2014-12-22")
    except ProcedureError:
        assert log.events.count() == 0
        return
    assert log.events.count() == 2
    assert_replays_to(log, case)
    assert verify(log).ok


@fuzz(100)
@given(st.lists(envelopes(), min_size=1, max_size=6))
def test_any_date_actor_or_note_only_raises_procedure_errors(sequence: list) -> None:
    run_sequence(sequence)


HOSTILE_CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "note=True": ("add_sponsors", {"sponsors": ["Norway"], "note": True}),
    "actor=True": ("add_sponsors", {"sponsors": ["Norway"], "actor": True}),
    "note=nan": ("add_sponsors", {"sponsors": ["Norway"], "note": math.nan}),
    "note=inf": ("add_sponsors", {"sponsors": ["Norway"], "note": math.inf}),
    "note=[]": ("add_sponsors", {"sponsors": ["Norway"], "note": ["a"]}),
    "actor={}": ("add_sponsors", {"sponsors": ["Norway"], "actor": {"a": 1}}),
    "date=datetime": ("add_sponsors", {"sponsors": ["Norway"],
                                       "date": dt.datetime(2014, 11, 18, 10, 0)}),
    "sponsors nested 5000 deep": ("add_sponsors", {"sponsors": [nested(5000)]}),
    "on nested 5000 deep": ("vote", {"on": nested(5000), "yes": 1, "no": 0, "abstain": 0}),
}


@pytest.mark.parametrize("name", list(HOSTILE_CALLS))
def test_the_library_refuses_hostile_values_cleanly(name: str) -> None:
    """Known gaps, one per parameter:
    - note/actor True, nan, inf: recorded, then `verify` fails (SQLite stores 1/NULL,
      the hash was taken over "True"/"nan"/"inf");
    - note/actor a list or dict: sqlite3.ProgrammingError from the insert;
    - date a datetime: ValueError (datetime is a date subclass; its isoformat has a time);
    - a structure nested 5000 deep: RecursionError from repr() in the error message.
    """
    action, kwargs = HOSTILE_CALLS[name]
    log = seeded()
    case = log.case("existing")
    count = log.events.count()
    try:
        getattr(case, action)(**kwargs)
    except ProcedureError:
        assert log.events.count() == count
        return
    assert_replays_to(log, case)
    report = verify(log)
    assert report.ok, report.problem


HOSTILE_CASES: dict[str, dict[str, Any]] = {
    "council=5": {"council": 5},
    "council=[5]": {"council": [5]},
    "council=[None]": {"council": ["Japan", None]},
    "bodies=5": {"bodies": 5},
    "bodies=[5]": {"bodies": [5]},
    "bodies=['abc']": {"bodies": ["abc"]},
    "body members=5": {"bodies": [{"id": "moot", "name": "M", "rules": "committee",
                                   "members": 5}]},
    "body veto=5": {"bodies": [{"id": "moot", "name": "M", "rules": "committee", "veto": 5}]},
    "id with a lone surrogate": {"id": "case-\ud800"},
}


@pytest.mark.parametrize("name", list(HOSTILE_CASES))
def test_opening_a_case_refuses_wrong_types_cleanly(name: str) -> None:
    kwargs = {"id": "x", "title": "t", **HOSTILE_CASES[name]}
    log = engine.open(":memory:")
    with pytest.raises(ProcedureError):
        log.new_case(**kwargs)
    assert log.events.count() == 0


# --- SQL only with bound parameters --------------------------------------------------------------

INJECTIONS = (SQL, "x' or '1'='1", "\"; delete from events; --", "1; drop table meta",
              "Robert'); DROP TABLE events;--", "%' --", "\\'; --")


@pytest.mark.parametrize("hostile_text", INJECTIONS)
def test_sql_in_ids_titles_and_symbols_is_stored_verbatim(tmp_path: Path,
                                                          hostile_text: str) -> None:
    db = tmp_path / "sql.db"
    with engine.open(db) as log:
        case = log.new_case(hostile_text, title=hostile_text)
        case.submit_draft(body="third-committee", symbol=hostile_text, title=hostile_text,
                          sponsors=["Japan"], date="2014-11-18", actor=hostile_text,
                          note=hostile_text, command_id=hostile_text)
        case.submit_amendment(symbol=f"am {hostile_text}", proposers=["Cuba"],
                              text=hostile_text)
    con = sqlite3.connect(db)
    try:
        tables = {r[0] for r in con.execute("select name from sqlite_master")}
        assert {"events", "meta"} <= tables
        assert con.execute("select count(*) from events").fetchone()[0] == 3
        stored = con.execute("select stream_id, actor, note, json_extract(payload, '$.symbol')"
                             " from events where position = 2").fetchone()
        assert stored == (hostile_text, hostile_text, hostile_text, hostile_text)
    finally:
        con.close()
    with engine.open(db, readonly=True) as log:
        assert verify(log).ok
        assert log.case(hostile_text).data.draft.title == hostile_text
        assert log.cases()[0].title == hostile_text


def test_sql_through_the_command_line_is_stored_verbatim(tmp_path: Path) -> None:
    scenario = tmp_path / "sql.toml"
    scenario.write_text(render({
        "case": {"id": SQL, "title": SQL},
        "step": [{"action": "submit_draft", "body": "third-committee", "symbol": SQL,
                  "title": SQL, "sponsors": ["Japan"], "note": SQL, "actor": SQL}],
    }), encoding="utf-8")
    db = tmp_path / "sql.db"
    result = procedura("run", scenario, "--db", db)
    assert result.code == 0, result.err
    state = cli("state", "--db", db, SQL, "--json")
    assert state.code == 0, state.err
    assert json.loads(state.out)["case"] == SQL
    events = json.loads(cli("log", "--db", db, SQL, "--json").out)
    assert [e["payload"].get("symbol") for e in events] == [None, SQL]
    assert events[1]["note"] == SQL
    unknown = cli("state", "--db", db, "x' or '1'='1", "--json")
    assert unknown.code == 2 and "no case" in unknown.err
    assert cli("verify", "--db", db).code == 0


@pytest.mark.parametrize("name", ["un?mode=rwc.db", "un#frag.db", "un%20x.db", "it's.db",
                                  'quote".db', "space d.db", "مشروع.db", "🗳.db"])
def test_db_paths_with_uri_characters_open_the_right_file(tmp_path: Path, name: str) -> None:
    db = tmp_path / name
    assert cli("run", "libya-2011", "--db", db).code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    for args in (("state", "--db", db, "libya-2011", "--json"), ("verify", "--db", db),
                 ("log", "--db", db, "libya-2011", "--json")):
        result = cli(*args)
        assert result.code == 0, (args, result.err)
    assert sorted(p.name for p in tmp_path.iterdir())[0] == name


def test_a_10_kb_title_and_note_are_kept_whole(tmp_path: Path) -> None:
    db = tmp_path / "long.db"
    rtl = "مشروع قرار " * 1000
    with engine.open(db) as log:
        case = log.new_case("long", title=LONG)
        case.submit_draft(body="third-committee", symbol="L.1", title=rtl, note="🗳" * 10_000,
                          sponsors=["Japan"], date="2014-11-18")
    with engine.open(db, readonly=True) as log:
        rec = list(log.events.select("long"))
        assert rec[0].event.title == LONG
        assert rec[1].event.title == rtl and rec[1].note == "🗳" * 10_000
        assert verify(log).ok


# --- scenario files are data -----------------------------------------------------------------


@pytest.mark.parametrize("action", ["__init__", "_record", "_catch_up", "__class__", "eval",
                                    "exec", "__import__", "os.system", "data", "in_order",
                                    "Vote", "vote "])
def test_only_the_public_actions_can_be_named_in_a_scenario(tmp_path: Path, action: str) -> None:
    path = tmp_path / "evil.toml"
    path.write_text(render({"case": {"id": "evil", "title": "t"},
                            "step": [dict(VALID := {"action": "submit_draft",
                                                    "body": "third-committee", "symbol": "L",
                                                    "title": "t"}), {"action": action}]}))
    assert VALID
    log = seeded()
    count = log.events.count()
    with pytest.raises(ProcedureError, match=r"step 2: unknown action") as info:
        run_scenario(log, load_scenario(path))
    assert str(path) in str(info.value)
    assert log.events.count() == count


@pytest.mark.parametrize(("table", "key"), [("case", "__class__"), ("step", "__dict__"),
                                            ("step", "command_id"), ("step", "self")])
def test_unknown_keys_are_refused_not_passed_on(tmp_path: Path, table: str, key: str) -> None:
    step = {"action": "submit_draft", "body": "third-committee", "symbol": "L", "title": "t"}
    case = {"id": "evil", "title": "t"}
    (case if table == "case" else step)[key] = "x"
    path = tmp_path / "keys.toml"
    path.write_text(render({"case": case, "step": [step]}))
    with pytest.raises(ProcedureError, match=f"unknown key '{re.escape(key)}'"):
        load_scenario(path)


def test_the_engine_never_evaluates_or_imports_by_name() -> None:
    """No eval/exec/import-by-name/pickle/shell anywhere in the shipped packages.

    (`engine.present.diagram` runs Graphviz with an argument list, never through a shell.)
    """
    banned = re.compile(r"\b(eval|exec|__import__|import_module|pickle|marshal|os\.system|"
                        r"os\.popen|shell\s*=\s*True|yaml\.load)\b")
    found = []
    for package in ("engine", "events", "replays"):
        for source in sorted((ROOT / package).rglob("*.py")):
            for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#")[0]
                if banned.search(code) and not code.strip().startswith(('"', "'")):
                    found.append(f"{source.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


# --- the HTML export escapes everything --------------------------------------------------------

PAYLOADS = ("<script>alert(1)</script>", "</script><script>alert(2)</script>",
            "<img src=x onerror=alert(3)>", '"><svg onload=alert(4)>', "<!--", "]]>",
            "{{7*7}}", "javascript:alert(5)")


def _export_html(tmp_path: Path, hostile_text: str) -> str:
    db = tmp_path / f"html-{abs(hash(hostile_text))}.db"
    with engine.open(db) as log:
        case = log.new_case("xss", title=hostile_text)
        case.submit_draft(body="third-committee", symbol=f"L.1 {hostile_text}",
                          title=hostile_text, sponsors=["Japan"], date="2014-11-17",
                          note=hostile_text, actor=hostile_text)
        case.submit_amendment(symbol=f"am {hostile_text}", proposers=["Cuba"],
                              text=hostile_text, note=hostile_text, date="2014-11-17")
        case.vote(on=f"am {hostile_text}", yes=40, no=77, abstain=50, note=hostile_text,
                  date="2014-11-18")
    result = cli("export", "xss", "--db", db, "--format", "html")
    assert result.code == 0, result.err
    return result.out


@pytest.mark.parametrize("hostile_text", PAYLOADS)
def test_the_html_export_escapes_every_recorded_text(tmp_path: Path, hostile_text: str) -> None:
    page = _export_html(tmp_path, hostile_text)
    benign = _export_html(tmp_path, "A harmless title")
    if "<" in hostile_text or ">" in hostile_text or '"' in hostile_text:
        assert hostile_text not in page
    for tag in ("<script", "</script", "<img", "<svg", "<!--"):
        assert page.lower().count(tag) == benign.lower().count(tag), tag
