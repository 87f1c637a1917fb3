"""The `procedura` command through real subprocesses (exit codes, output, the log file)."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
DPRK = ROOT / "replays" / "scenarios" / "dprk-2014.toml"

# The package has no __main__, so `python -m engine.cli` would do nothing; call main().
COMMAND = [sys.executable, "-c", "from engine.cli import main; main()"]


def procedura(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a subprocess; never raises on a non-zero exit."""
    return subprocess.run(
        [*COMMAND, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120,
        check=False,
    )


def count_events(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from events").fetchone()[0]


def events_or_none(db: Path) -> int:
    """How many events a log holds; 0 when the file does not exist."""
    return count_events(db) if db.exists() else 0


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_user_error(result: subprocess.CompletedProcess[str], code: int = 2) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout
    assert result.stderr.strip(), "a user error says what went wrong"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A log holding the bundled dprk-2014 case (not to be written to by tests)."""
    db = tmp_path_factory.mktemp("recorded") / "un.db"
    result = procedura("run", DPRK, "--db", db)
    assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def fresh(recorded: Path, tmp_path: Path) -> Path:
    """A private copy of the recorded log."""
    db = tmp_path / "copy.db"
    shutil.copy(recorded, db)
    return db


SCENARIO_HEAD = """
[case]
id = "{id}"
title = "A test case"
date = "2014-11-18"

[[step]]
action = "submit_draft"
body = "third-committee"
symbol = "L.1"
title = "A draft"
sponsors = ["Japan"]

[[step]]
action = "submit_amendment"
symbol = "am"
proposers = ["Cuba"]
text = "Delete OP7"
"""

# Cuba's amendment as the Third Committee voted on it on 18 November 2014 (40-77-50, the
# seed case): the step several of these scenarios begin with, some with a key added.
AMENDMENT_VOTE = """
[[step]]
action = "vote"
on = "am"
yes = 40
no = 77
abstain = 50
"""
AMENDMENT_REJECTED = AMENDMENT_VOTE + 'expect = "rejected"\n'

# The draft put to the vote (111-19-55) while the amendment is pending: out of order.
DRAFT_VOTE_TOO_EARLY = """
[[step]]
action = "vote"
on = "L.1"
yes = 111
no = 19
abstain = 55
"""



def write_scenario(tmp_path: Path, name: str, body: str, case_id: str = "test") -> Path:
    path = tmp_path / name
    path.write_text(SCENARIO_HEAD.format(id=case_id) + body, encoding="utf-8")
    return path


# --- run ------------------------------------------------------------------------------


def test_run_bundled_scenario(tmp_path: Path) -> None:
    db = tmp_path / "un.db"
    result = procedura("run", DPRK, "--db", db)
    assert result.returncode == 0, result.stderr
    assert "council.on_agenda" in result.stdout
    assert count_events(db) == 9
    state = procedura("state", "--db", db, "dprk-2014", "--json")
    assert state.returncode == 0, state.stderr
    assert '"state": "council.on_agenda"' in state.stdout
    data = json.loads(state.stdout)
    assert (data["case"], data["state"], data["version"]) == ("dprk-2014", "council.on_agenda", 9)


def test_run_by_bundled_name(tmp_path: Path) -> None:
    db = tmp_path / "un.db"
    result = procedura("run", "dprk-2014", "--db", db)
    assert result.returncode == 0, result.stderr
    assert count_events(db) == 9


def test_run_again_exits_2_and_appends_nothing(fresh: Path) -> None:
    before = count_events(fresh)
    assert before == 9
    result = procedura("run", DPRK, "--db", fresh)
    assert_user_error(result)
    assert "dprk-2014" in result.stderr
    assert count_events(fresh) == before


def test_log_is_append_only_at_the_sqlite_level(fresh: Path) -> None:
    conn = sqlite3.connect(fresh)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("delete from events")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("update events set actor = 'me'")
        conn.rollback()
    finally:
        conn.close()
    assert count_events(fresh) == 9


def test_run_step_not_in_order_exits_2_and_appends_nothing(tmp_path: Path) -> None:
    scenario = write_scenario(tmp_path, "bad.toml", DRAFT_VOTE_TOO_EARLY)
    db = tmp_path / "bad.db"
    result = procedura("run", scenario, "--db", db)
    assert_user_error(result)
    assert "step 3" in result.stderr
    assert "rule 130" in result.stderr
    assert events_or_none(db) == 0


def test_run_step_not_in_order_leaves_an_existing_log_alone(fresh: Path, tmp_path: Path) -> None:
    scenario = write_scenario(tmp_path, "bad.toml", DRAFT_VOTE_TOO_EARLY)
    before = digest(fresh)
    result = procedura("run", scenario, "--db", fresh)
    assert_user_error(result)
    assert count_events(fresh) == 9
    assert digest(fresh) == before


def test_run_failing_expectation_exits_1_and_appends_nothing(tmp_path: Path) -> None:
    scenario = write_scenario(tmp_path, "expect.toml", AMENDMENT_VOTE + 'expect = "adopted"\n')
    db = tmp_path / "expect.db"
    result = procedura("run", scenario, "--db", db)
    assert_user_error(result, code=1)
    assert "step 3" in result.stderr
    assert "adopted" in result.stderr
    assert "rejected" in result.stderr
    assert events_or_none(db) == 0


def test_run_failing_final_state_expectation_exits_1(tmp_path: Path) -> None:
    scenario = write_scenario(tmp_path, "final.toml", AMENDMENT_REJECTED + """
[expect]
state = "committee.approved"
""")
    db = tmp_path / "final.db"
    result = procedura("run", scenario, "--db", db)
    assert_user_error(result, code=1)
    assert "committee.voting" in result.stderr
    assert events_or_none(db) == 0


def test_run_good_scenario_of_our_own(tmp_path: Path) -> None:
    scenario = write_scenario(tmp_path, "good.toml", AMENDMENT_REJECTED + """
[[step]]
action = "vote"
on = "L.1"
yes = 111
no = 19
abstain = 55
expect = "adopted"

[expect]
state = "committee.approved"
""")
    db = tmp_path / "good.db"
    result = procedura("run", scenario, "--db", db)
    assert result.returncode == 0, result.stderr
    assert count_events(db) == 5


# --- replay, state, log, cases, scenarios ---------------------------------------------


def test_replay_without_db(tmp_path: Path) -> None:
    result = procedura("replay", "dprk-2014", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "council.on_agenda" in result.stdout
    assert "117 members present and voting" in result.stdout
    assert "rule 126" in result.stdout
    assert "Final state: council.on_agenda" in result.stdout
    assert list(tmp_path.iterdir()) == []  # the temporary log is not left behind


def test_replay_from_a_log_does_not_change_it(recorded: Path) -> None:
    before = digest(recorded)
    result = procedura("replay", "dprk-2014", "--db", recorded)
    assert result.returncode == 0, result.stderr
    assert "117 members present and voting" in result.stdout
    assert "Final state: council.on_agenda" in result.stdout
    assert digest(recorded) == before


def test_state_at_4_is_committee_voting(recorded: Path) -> None:
    result = procedura("state", "--db", recorded, "dprk-2014", "--at", 4)
    assert result.returncode == 0, result.stderr
    assert "committee.voting" in result.stdout
    as_json = procedura("state", "--db", recorded, "dprk-2014", "--at", 4, "--json")
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert (data["state"], data["version"]) == ("committee.voting", 4)


@pytest.mark.parametrize(
    ("at", "state"),
    [(1, "new"), (2, "committee.tabled"), (5, "committee.approved"), (6, "plenary.tabled"),
     (7, "plenary.adopted"), (8, "council.seized"), (9, "council.on_agenda")],
)
def test_state_at_each_version(recorded: Path, at: int, state: str) -> None:
    result = procedura("state", "--db", recorded, "dprk-2014", "--at", at, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["state"] == state


def test_state_at_0_is_empty(recorded: Path) -> None:
    result = procedura("state", "--db", recorded, "dprk-2014", "--at", 0, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["state"], data["version"]) == ("new", 0)
    assert data["decisions"] == []
    assert data["draft"] is None


def test_log_json_prints_nine_events(recorded: Path) -> None:
    result = procedura("log", "--db", recorded, "dprk-2014", "--json")
    assert result.returncode == 0, result.stderr
    events = json.loads(result.stdout)
    assert isinstance(events, list)
    assert len(events) == 9
    assert [e["version"] for e in events] == list(range(1, 10))
    assert {e["case"] for e in events} == {"dprk-2014"}
    assert events[0]["type"] == "CaseOpened"
    assert events[1]["type"] == "DraftSubmitted"
    assert events[3]["payload"]["yes"] == 40


def test_log_text(recorded: Path) -> None:
    result = procedura("log", "--db", recorded)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].split()[:3] == ["pos", "case", "v"]
    assert len(lines) == 1 + 9


def test_scenarios_lists_dprk_2014() -> None:
    result = procedura("scenarios")
    assert result.returncode == 0, result.stderr
    assert "dprk-2014" in result.stdout
    as_json = json.loads(procedura("scenarios", "--json").stdout)
    assert "dprk-2014" in [row["name"] for row in as_json]


def test_cases_lists_the_case(recorded: Path) -> None:
    result = procedura("cases", "--db", recorded)
    assert result.returncode == 0, result.stderr
    assert "dprk-2014" in result.stdout
    assert "council.on_agenda" in result.stdout
    rows = json.loads(procedura("cases", "--db", recorded, "--json").stdout)
    assert rows == [{"case": "dprk-2014", "title": rows[0]["title"],
                     "state": "council.on_agenda", "version": 9}]


def test_reading_commands_do_not_change_the_file(recorded: Path) -> None:
    before = digest(recorded)
    for args in (("state", "--db", recorded, "dprk-2014"),
                 ("state", "--db", recorded, "dprk-2014", "--at", 3, "--json"),
                 ("log", "--db", recorded, "dprk-2014", "--json"),
                 ("cases", "--db", recorded)):
        result = procedura(*args)
        assert result.returncode == 0, result.stderr
        assert digest(recorded) == before, args


def test_console_script_is_installed() -> None:
    script = shutil.which("procedura") or shutil.which(
        "procedura", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the procedura console script is not installed next to this Python")
    result = subprocess.run([script, "scenarios"], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "dprk-2014" in result.stdout


# --- user errors -------------------------------------------------------------------------


def test_state_with_a_missing_db(tmp_path: Path) -> None:
    db = tmp_path / "missing.db"
    result = procedura("state", "--db", db, "dprk-2014")
    assert_user_error(result)
    assert "missing.db" in result.stderr
    assert not db.exists()  # reading never creates a log


def test_state_with_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("this is not a database\n" * 10)
    before = digest(junk)
    result = procedura("state", "--db", junk, "dprk-2014")
    assert_user_error(result)
    assert "not a SQLite database" in result.stderr
    assert digest(junk) == before


def test_state_of_an_unknown_case(recorded: Path) -> None:
    result = procedura("state", "--db", recorded, "nope")
    assert_user_error(result)
    assert "'nope'" in result.stderr


def test_log_of_an_unknown_case(recorded: Path) -> None:
    result = procedura("log", "--db", recorded, "nope")
    assert_user_error(result)
    assert "'nope'" in result.stderr


def test_run_scenario_with_a_bad_key(tmp_path: Path) -> None:
    scenario = write_scenario(tmp_path, "key.toml", AMENDMENT_VOTE + 'colour = "red"\n')
    db = tmp_path / "key.db"
    result = procedura("run", scenario, "--db", db)
    assert_user_error(result)
    assert "key.toml" in result.stderr
    assert "step 3" in result.stderr
    assert "'colour'" in result.stderr
    assert events_or_none(db) == 0


def test_run_a_scenario_that_does_not_exist(tmp_path: Path) -> None:
    result = procedura("run", tmp_path / "nothing.toml", "--db", tmp_path / "x.db")
    assert_user_error(result)
    assert "nothing.toml" in result.stderr


def test_replay_of_an_unknown_name(tmp_path: Path) -> None:
    result = procedura("replay", "no-such-case", cwd=tmp_path)
    assert_user_error(result)
    assert "no-such-case" in result.stderr
