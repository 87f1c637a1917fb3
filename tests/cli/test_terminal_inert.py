"""Terminal output is inert: whatever text a log holds, no command lets it drive the
terminal or be read as Rich markup.

A log is recorded with markup and escape sequences in every kind of stored text (case
id, title, symbols, member names of a declared body, notes, actors, an amendment's text,
an explanation of vote), and every command that prints is run over it: exit 0, no
traceback, no raw escape or other control character, and the markup shown as typed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from reliability_helpers import Result, cli

import engine
from engine.cli import output

CASE = "[/x]"
TITLE = "A\x1b]0;PWNED\x07\x1b[2J [link=http://example.invalid/]x[/link] [/y]"
SYMBOL = "T [/z]"
AMENDMENT = "A\x1b[31m [/q]"
NOTE = "a note\x1b[2J with ESC\nand a forged line\r\x9b1m"
ACTOR = "chair\x1b]8;;http://example.invalid/\x07 [bold]"
MOOT = "moot [/b]"  # a second case: a declared body with hostile member names
DELEGATES = ["Freedonia\x1b[5m", "[/m] Sylvania", ":smile: Ruritania"]
# Raw control characters a terminal acts on: C0 but the line breaks and tabs a command
# writes itself, DEL, C1, and the bidirectional controls.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A log whose stored text is full of markup and escape sequences."""
    db = tmp_path_factory.mktemp("inert") / "hostile.db"
    with engine.open(db) as log:
        case = log.new_case(CASE, title=TITLE)
        case.submit_draft(body="third-committee", symbol=SYMBOL, title="t\x1b[31mred",
                          sponsors=["Japan"], date="2014-11-14", note=NOTE, actor=ACTOR)
        case.submit_amendment(symbol=AMENDMENT, proposers=["Cuba"],
                              text="Delete \x1b[2J OP7 [/t]", note="n\x9bc")
        case.explain_vote(on=AMENDMENT, by="Norway", when="before",
                          text="because\x1b[2J [link=http://example.invalid/]x[/link]")
        case.vote(on=AMENDMENT, yes=40, no=77, abstain=50, note=NOTE)
        case.vote(on=SYMBOL, yes=111, no=19, abstain=55)
        body = {"id": "moot", "name": "Moot [/n]\x1b[2J", "rules": "committee",
                "members": DELEGATES}
        moot = log.new_case(MOOT, title="Moot\x1b]0;x\x07", bodies=[body])
        moot.submit_draft(body="moot", symbol="M [/s]", title="m", sponsors=DELEGATES[:1],
                          date="2020-01-01")
        moot.vote(on="M [/s]", yes=2, no=1, abstain=0, yes_members=DELEGATES[:2],
                  no_members=DELEGATES[2:], method="recorded")
    assert cli("project", "--db", db).code == 0
    return db


def assert_inert(result: Result) -> None:
    """Exit 0, no traceback, and nothing in the output a terminal would act on."""
    assert result.code == 0, (result.out, result.err)
    assert not result.traceback, result.err
    for stream in (result.out, result.err):
        assert not RAW.search(stream), RAW.findall(stream)


def commands(db: Path, tmp: Path) -> dict[str, list[object]]:
    """Every command that prints stored text, by what it shows."""
    popolo = tmp / "doc.popolo.json"
    popolo.write_text(cli("export", CASE, "--db", db, "--format", "popolo").out,
                      encoding="utf-8")
    return {
        "cases": ["cases", "--db", db],
        "cases --json": ["cases", "--db", db, "--json"],
        "log": ["log", "--db", db],
        "log CASE": ["log", CASE, "--db", db],
        "log --json": ["log", "--db", db, "--json"],
        "replay": ["replay", CASE, "--db", db],
        "replay moot": ["replay", MOOT, "--db", db],
        "replay --to": ["replay", CASE, "--db", db, "--to", 3],
        "state": ["state", CASE, "--db", db],
        "state --at": ["state", CASE, "--db", db, "--at", 4],
        "state --json": ["state", CASE, "--db", db, "--json"],
        "votes --case": ["votes", "--db", db, "--case", CASE],
        "votes moot": ["votes", "--db", db, "--case", MOOT],
        "votes --json": ["votes", "--db", db, "--case", MOOT, "--json"],
        "verify": ["verify", "--db", db],
        "diagram --case": ["diagram", "--case", CASE, "--db", db],
        "what-if": ["what-if", CASE, "--db", db, "--at", 4, "--set", "yes=80"],
        "what-if --member": ["what-if", MOOT, "--db", db, "--at", 2, "--member",
                             f"{DELEGATES[2]}=yes"],
        "export json": ["export", CASE, "--db", db],
        "export html": ["export", CASE, "--db", db, "--format", "html"],
        "export popolo": ["export", CASE, "--db", db, "--format", "popolo"],
        "export moot": ["export", MOOT, "--db", db, "--format", "html"],
        "import popolo": ["import", "popolo", popolo, "--db", tmp / "copy.db",
                          "--case", "copy [/c]"],  # (a bidi control in an id is refused)
    }


NAMES = [
    "cases", "cases --json", "log", "log CASE", "log --json", "replay", "replay moot",
    "replay --to", "state", "state --at", "state --json", "votes --case", "votes moot",
    "votes --json", "verify", "diagram --case", "what-if",
    "what-if --member", "export json", "export html", "export popolo", "export moot",
    "import popolo",
]


@pytest.mark.parametrize("name", NAMES)
def test_every_command_prints_stored_text_inert(name: str, hostile: Path,
                                                tmp_path: Path) -> None:
    result = cli(*commands(hostile, tmp_path)[name])
    assert_inert(result)


def test_markup_is_shown_as_typed_and_escapes_visibly(hostile: Path) -> None:
    out = cli("cases", "--db", hostile).out
    assert "[/x]" in out and "[link=http://example.invalid/]x[/link] [/y]" in out
    assert "A\\x1b]0;PWNED\\x07\\x1b[2J" in out  # the escape is there, to be seen
    assert "chair\\x1b]8;;" in cli("log", "--db", hostile, "--json").out.replace("\\u001b", "\\x1b")


def test_a_stored_line_break_cannot_forge_a_line(hostile: Path) -> None:
    out = cli("replay", CASE, "--db", hostile).out
    assert "note: a note\\x1b[2J with ESC\\nand a forged line\\r\\x9b1m" in out
    assert not any(line.startswith("and a forged line") for line in out.splitlines())


def test_json_output_reads_back_as_the_stored_text(hostile: Path) -> None:
    events = json.loads(cli("log", CASE, "--db", hostile, "--json").out)
    assert events[0]["payload"]["title"] == TITLE
    assert events[1]["note"] == NOTE and events[1]["actor"] == ACTOR
    state = json.loads(cli("state", CASE, "--db", hostile, "--json").out)
    assert state["case"] == CASE
    page = cli("export", CASE, "--db", hostile, "--format", "html").out
    assert "&#x1b;]0;PWNED&#x7;" in page  # the same characters, as references


def test_a_scenario_whose_case_id_is_markup_runs(tmp_path: Path) -> None:
    scenario = tmp_path / "markup.toml"
    scenario.write_text('[case]\nid = "[/x]"\ntitle = "[bold]t[/bold] \\u001b[2J"\n\n'
                        '[[step]]\naction = "submit_draft"\nbody = "third-committee"\n'
                        'symbol = "[/s]"\ntitle = "x"\nsponsors = ["Japan"]\n',
                        encoding="utf-8")
    db = tmp_path / "m.db"
    result = cli("run", scenario, "--db", db)
    assert_inert(result)
    assert result.out.startswith("[/x]: 1 steps recorded")
    assert_inert(cli("cases", "--db", db))


def test_error_messages_are_inert(hostile: Path) -> None:
    result = cli("state", "no\x1b[2Jsuch [/case]", "--db", hostile)
    assert result.code == 2 and not RAW.search(result.err)
    assert "no\\x1b[2Jsuch [/case]" in result.err


def test_the_helpers() -> None:
    assert output.inert("a\x1b[2J\nb\u202ec\tz") == "a\\x1b[2J\\nb\\u202ec\\tz"
    assert output.inert("日本 🏳️‍🌈 [/x]") == "日本 🏳️‍🌈 [/x]"  # the joiner stays
    assert json.loads(output.json_text({"t": "\x9b\u2028\x1b"})) == {"t": "\x9b\u2028\x1b"}
    assert not RAW.search(output.json_text({"t": "\x9b\u202e"}))


def test_no_command_prints_around_the_output_module() -> None:
    # Printing goes through engine.cli.output (echo, table, json_text), never straight
    # to click or Rich; the lesson writes through its own terminal object.
    folder = Path(output.__file__).parent
    own_writers = {"output.py", "progress.py", "play.py", "play_input.py", "play_complete.py",
                   "proofs.py"}
    for module in sorted(folder.glob("*.py")):
        if module.name in own_writers:
            continue
        text = module.read_text(encoding="utf-8")
        assert "click.echo(" not in text and "Console(" not in text, module.name
        assert "json.dumps(" not in text or module.name == "tools.py", module.name
