"""Bad input through `procedura run`: exit code 2, a message naming the step and the rule,
and nothing appended (issue 3, acceptance).

Each scenario below is valid up to its last step, which the rules refuse. Where the
refusal is a vote's own impossibility (a negative count, a member listed twice), there is
no procedural rule to cite and the message's reason is checked instead.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

COMMAND = [sys.executable, "-c", "from engine.cli import main; main()"]
COUNCIL_2014 = ["Argentina", "Australia", "Chad", "Chile", "Jordan", "Lithuania", "Luxembourg",
                "Nigeria", "Republic of Korea", "Rwanda"]
DELEGATIONS = [f"Delegation {n}" for n in range(1, 31)]


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "[" + ", ".join(toml_value(v) for v in value) + "]"


def table(header: str, fields: dict[str, Any]) -> str:
    return "\n".join([f"[{header}]", *(f"{k} = {toml_value(v)}" for k, v in fields.items())])


def scenario(steps: list[dict[str, Any]], bodies: list[dict[str, Any]] = (),
             date: str = "2014-11-18") -> str:
    case = {"id": "refused", "title": "A scenario with a refused step", "date": date,
            "council": COUNCIL_2014}
    parts = [table("case", case), *(table("[body]", b) for b in bodies),
             *(table("[step]", s) for s in steps)]
    return "\n\n".join(parts) + "\n"


def draft(body: str = "third-committee", **extra: Any) -> dict[str, Any]:
    return {"action": "submit_draft", "body": body, "symbol": "L.1", "title": "A draft",
            "sponsors": ["Japan"], "date": "2014-11-14", **extra}


def amendment(symbol: str = "A1", **extra: Any) -> dict[str, Any]:
    return {"action": "submit_amendment", "symbol": symbol, "proposers": ["Cuba"],
            "text": "Delete OP7", **extra}


def vote(on: str, yes: int = 90, no: int = 60, abstain: int = 10, **extra: Any) -> dict[str, Any]:
    return {"action": "vote", "on": on, "yes": yes, "no": no, "abstain": abstain, **extra}


def lost(on: str) -> dict[str, Any]:
    return vote(on, yes=60, no=90)


def move(motion: str, by: str = "Cuba") -> dict[str, Any]:
    return {"action": "move", "motion": motion, "by": by}


def explain(when: str, by: str = "France", on: str = "L.1") -> dict[str, Any]:
    return {"action": "explain_vote", "on": on, "by": by, "when": when}


def council_draft(**extra: Any) -> dict[str, Any]:
    return {"action": "submit_draft", "body": "security-council", "symbol": "S/1",
            "title": "A Council draft", "sponsors": ["France"], "date": "2014-12-22", **extra}


TO_THE_COUNCIL = [draft(), vote("L.1"), {"action": "transmit", "to": "plenary"},
                  vote("L.1"), {"action": "transmit", "to": "security-council"}]
MUN = {"id": "mun", "name": "Model UN Committee", "rules": "committee", "members": DELEGATIONS}
MUN_DRAFT = {"action": "submit_draft", "body": "mun", "symbol": "M/1", "title": "A draft",
             "sponsors": ["Delegation 1"], "date": "2014-11-14"}

# (name, steps, declared bodies, what the message must say)
BAD: list[tuple[str, list[dict[str, Any]], list[dict[str, Any]], tuple[str, ...]]] = [
    ("oral revision by a non-sponsor", [draft(), {"action": "revise_orally", "text": "t",
                                                  "by": "Cuba"}], [], ("rule 122",)),
    ("oral revision once voting began", [draft(), amendment(), lost("A1"),
                                         {"action": "revise_orally", "text": "t", "by": "Japan"}],
     [], ("rule 128",)),
    ("whole before its parts", [draft(), {"action": "request_separate_vote", "parts": ["OP7"],
                                          "by": "Cuba"}, vote("L.1")], [], ("rule 129",)),
    ("part before the amendments", [draft(), amendment(), {"action": "request_separate_vote",
                                                           "parts": ["OP7"], "by": "Cuba"},
                                    vote("OP7")], [], ("rule 130",)),
    ("part before the motion for division", [draft(), {"action": "request_separate_vote",
                                                       "parts": ["OP7"], "by": "Cuba",
                                                       "objection": True}, vote("OP7")],
     [], ("rule 119", "division")),
    ("vote on a lapsed amendment", [draft(), amendment("A1", implies_rejection_of=["A2"]),
                                    amendment("A2"), vote("A1"), vote("A2")],
     [], ("rule 130", "lapsed")),
    ("plenary draft before its amendment", [draft("plenary"), amendment(), vote("L.1")], [],
     ("rule 90",)),
    ("draft while the no-action motion is pending", [draft(), move("adjourn-debate"),
                                                     vote("L.1")], [], ("rule 116",)),
    ("plenary draft while the no-action motion is pending",
     [draft("plenary"), move("adjourn-debate"), vote("L.1")], [], ("rule 74",)),
    ("amendment while a motion is pending", [draft(), move("close-debate"), amendment()], [],
     ("rule 116",)),
    ("motion once voting began", [draft(), amendment(), lost("A1"), move("adjourn-debate")],
     [], ("rule 128",)),
    ("withdrawal once voting began", [draft(), amendment(), lost("A1"),
                                      {"action": "withdraw", "symbol": "L.1"}],
     [], ("rule 122",)),
    ("plenary withdrawal once voting began", [draft("plenary"), amendment(), lost("A1"),
                                              {"action": "withdraw", "symbol": "L.1"}],
     [], ("rule 80",)),
    ("reconsideration before a decision", [draft(), move("reconsider")], [], ("rule 123",)),
    ("plenary reconsideration before a decision", [draft("plenary"), move("reconsider")], [],
     ("rule 81",)),
    ("explanation by a sponsor", [draft(), explain("before", by="Japan")], [], ("rule 128",)),
    ("explanation after, before the vote", [draft(), explain("after")], [], ("rule 128",)),
    ("plenary explanation by a sponsor", [draft("plenary"), explain("before", by="Japan")], [],
     ("rule 88",)),
    ("committee quorum", [draft(), vote("L.1", yes=50, no=40, abstain=6)], [], ("rule 108",)),
    ("plenary quorum", [draft("plenary"), vote("L.1", yes=50, no=40, abstain=6)], [],
     ("rule 67",)),
    ("Council draft before the agenda", [*TO_THE_COUNCIL, vote("L.1", yes=11, no=0,
                                                              abstain=4)],
     [], ("rule 9",)),
    ("party to a dispute votes", [council_draft(chapter="VI", parties=["Chad"]), {
        "action": "vote", "on": "S/1", "date": "2014-12-22",
        "yes_members": [*COUNCIL_2014, "France", "United Kingdom", "United States"],
        "no_members": ["China"], "abstain_members": ["Russia"]}], [], ("Art. 27(3)", "Chad")),
    ("Council votes against unnamed", [council_draft(chapter="VII"),
                                       vote("S/1", yes=13, no=2, abstain=0,
                                            date="2014-12-22")],
     [], ("Art. 27(3)", "no_members must name")),
    ("ICC referral under Chapter VI", [council_draft(chapter="VI",
                                                     referral="International Criminal Court")],
     [], ("Rome Statute Art. 13(b)",)),
    ("ICC referral by a committee", [draft(chapter="VII",
                                           referral="International Criminal Court")],
     [], ("Rome Statute Art. 13(b)",)),
    ("Model UN committee quorum", [MUN_DRAFT, vote("M/1", yes=10, no=5, abstain=0)], [MUN],
     ("rule 108", "16")),
    ("unknown delegation", [MUN_DRAFT, {"action": "vote", "on": "M/1", "present": 16,
                                        "yes_members": ["Delegation 31"]}], [MUN],
     ("'Delegation 31'", "did you mean", "Model UN Committee")),
    ("member before its admission", [draft(date="2011-07-01"), {
        "action": "vote", "on": "L.1", "yes_members": ["South Sudan"], "present": 100,
        "date": "2011-07-13"}], [], ("admitted on 2011-07-14",)),
    ("more votes than members", [draft(), vote("L.1", yes=100, no=90, abstain=4)], [],
     ("194 votes", "193 members")),
    ("negative count", [draft(), vote("L.1", yes=-1)], [], ("cannot be negative",)),
    ("member listed twice", [draft(), {"action": "vote", "on": "L.1", "present": 100,
                                       "yes_members": ["France"], "no_members": ["FRA"]}], [],
     ("listed twice", "Charter Art. 18(1)")),
    ("list and count disagree", [draft(), vote("L.1", no_members=["Cuba"])], [],
     ("no = 60 but no_members names 1",)),
]


def events_or_none(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from events").fetchone()[0]


@pytest.mark.parametrize(("steps", "bodies", "says"),
                         [pytest.param(s, b, w, id=name) for name, s, b, w in BAD])
def test_issue_3_bad_input_exits_2_names_the_step_and_the_rule_and_appends_nothing(
    tmp_path: Path, steps: list[dict[str, Any]], bodies: list[dict[str, Any]],
    says: tuple[str, ...],
) -> None:
    path = tmp_path / "refused.toml"
    path.write_text(scenario(steps, bodies), encoding="utf-8")
    db = tmp_path / "refused.db"
    result = subprocess.run([*COMMAND, "run", str(path), "--db", str(db)], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 2, (result.stdout, result.stderr)
    message = result.stderr
    assert "Traceback" not in message
    assert f"step {len(steps)} ({steps[-1]['action']})" in message, message
    for fragment in says:
        assert fragment in message, message
    assert events_or_none(db) == 0


def test_issue_3_declared_bodies_run_through_the_cli(tmp_path: Path) -> None:
    council = {"id": "mun-council", "name": "Model UN Council", "rules": "council",
               "members": DELEGATIONS[:9], "veto": DELEGATIONS[:3]}
    steps = [MUN_DRAFT, vote("M/1", yes=10, no=5, abstain=1, expect="adopted")]
    path = tmp_path / "mun.toml"
    text = scenario(steps, [MUN, council]) + '\n[expect]\nstate = "committee.approved"\n'
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "mun.db"
    result = subprocess.run([*COMMAND, "run", str(path), "--db", str(db)], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert events_or_none(db) == 3
