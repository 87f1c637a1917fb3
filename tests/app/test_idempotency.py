"""Idempotency: a command sent again with the same `command_id` appends nothing.

A client that timed out does not know whether its command was recorded; it sends it
again with the same id. The retry must append nothing and return what the first one
returned (the same Decision for a vote): in the same process, from a freshly loaded case,
from another process, after other events were appended in between, and when two
processes send it at the same moment.
"""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path

import pytest
from reliability_helpers import PYTHON, ROOT

import engine
from engine import InvalidArgumentError, ProcedureError, ProcedureLog
from engine.app.case import Case
from engine.app.verify import verify

DRAFT = "A/C.3/69/L.28/Rev.1"


def tabled(log: ProcedureLog, case_id: str = "dprk") -> Case:
    case = log.new_case(case_id, title="Human rights in the DPRK")
    case.submit_draft(body="third-committee", symbol=DRAFT, title="Situation of human rights",
                      sponsors=["Japan"], date="2014-11-14", command_id=f"{case_id}-submit")
    return case


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "idem.db"
    with engine.open(path) as log:
        tabled(log)
    return path


def test_a_vote_sent_twice_is_recorded_once_and_returns_the_same_decision(db: Path) -> None:
    with engine.open(db) as log:
        case = log.case("dprk")
        first = case.vote(on=DRAFT, yes=111, no=19, abstain=55, date="2014-11-18",
                          command_id="vote-1")
        count, version = log.events.count(), case.version
        again = case.vote(on=DRAFT, yes=111, no=19, abstain=55, date="2014-11-18",
                          command_id="vote-1")
        assert again == first and again.outcome == "adopted"
        assert (log.events.count(), case.version) == (count, version)
        assert case.state == "committee.approved"


def test_a_retry_returns_the_original_decision_even_with_other_arguments(db: Path) -> None:
    with engine.open(db) as log:
        case = log.case("dprk")
        first = case.vote(on=DRAFT, yes=111, no=19, abstain=55, command_id="vote-1")
        count = log.events.count()
        again = case.vote(on=DRAFT, yes=1, no=150, abstain=0, command_id="vote-1")
        assert again == first and again.outcome == "adopted"
        assert log.events.count() == count


def test_a_retry_on_a_freshly_loaded_case_appends_nothing(db: Path) -> None:
    with engine.open(db) as log:
        first = log.case("dprk").vote(on=DRAFT, yes=111, no=19, abstain=55, command_id="v")
        count = log.events.count()
    with engine.open(db) as log:  # the client restarted
        case = log.case("dprk")
        assert case.vote(on=DRAFT, yes=111, no=19, abstain=55, command_id="v") == first
        assert log.events.count() == count
        assert case.state == "committee.approved"


def test_a_retry_after_other_events_were_appended_returns_the_original(db: Path) -> None:
    with engine.open(db) as log:
        stale = log.case("dprk")  # loaded before anything below happened
        other = log.case("dprk")
        first = other.vote(on=DRAFT, yes=111, no=19, abstain=55, command_id="vote-1")
        other.transmit(to="plenary", date="2014-12-18", command_id="transmit-1")
        count = log.events.count()
        # The stale copy retries the vote: nothing is appended, the original comes back,
        # and the case catches up with everything recorded since it was loaded.
        again = stale.vote(on=DRAFT, yes=111, no=19, abstain=55, command_id="vote-1")
        assert again == first
        assert log.events.count() == count
        assert (stale.state, stale.version) == ("plenary.tabled", other.version)
        assert stale.transmit(to="plenary", command_id="transmit-1") is None
        assert log.events.count() == count


def test_a_retried_action_without_a_result_returns_none_and_appends_nothing(db: Path) -> None:
    with engine.open(db) as log:
        case = log.case("dprk")
        assert case.submit_amendment(symbol="am", proposers=["Cuba"], text="Delete OP7",
                                     command_id="am-1") is None
        count = log.events.count()
        assert case.submit_amendment(symbol="am", proposers=["Cuba"], text="Delete OP7",
                                     command_id="am-1") is None
        assert log.events.count() == count
        # Without the id, the same amendment is a second command and is refused as such.
        with pytest.raises(InvalidArgumentError, match="already used"):
            case.submit_amendment(symbol="am", proposers=["Cuba"], text="Delete OP7")


def test_the_first_command_of_a_new_case_retried_after_a_restart(db: Path) -> None:
    with engine.open(db) as log:
        count = log.events.count()
        # The case and its opening were recorded by the first attempt; the retry finds it.
        case = log.case("dprk")
        assert case.submit_draft(body="third-committee", symbol=DRAFT, title="again",
                                 command_id="dprk-submit") is None
        assert log.events.count() == count
        assert [r.type for r in log.events.select("dprk")] == \
            ["CaseOpened", "DraftSubmitted"]


def test_a_refused_command_does_not_use_up_its_id(db: Path) -> None:
    with engine.open(db) as log:
        case = log.case("dprk")
        count = log.events.count()
        with pytest.raises(engine.ExpectationError):
            case.vote(on=DRAFT, yes=111, no=19, abstain=55, expect="rejected", command_id="v")
        assert log.events.count() == count
        decision = case.vote(on=DRAFT, yes=111, no=19, abstain=55, expect="adopted",
                             command_id="v")
        assert decision.outcome == "adopted"
        assert log.events.count() == count + 1


def test_command_ids_are_recorded_in_the_log_and_verify_passes(db: Path) -> None:
    with engine.open(db) as log:
        case = log.case("dprk")
        for _ in range(3):
            case.vote(on=DRAFT, yes=111, no=19, abstain=55, command_id="vote-1")
        assert [r.type for r in log.events.select("dprk")] == \
            ["CaseOpened", "DraftSubmitted", "VoteTaken"]
        assert verify(log).ok


@pytest.mark.parametrize("bad", ["", "   ", 7, b"vote-1", ["vote-1"]])
def test_a_command_id_must_be_a_non_empty_string(db: Path, bad: object) -> None:
    with engine.open(db) as log:
        case = log.case("dprk")
        count = log.events.count()
        with pytest.raises(InvalidArgumentError, match="command_id"):
            case.vote(on=DRAFT, yes=111, no=19, abstain=55, command_id=bad)  # type: ignore[arg-type]
        assert log.events.count() == count


def test_the_same_command_id_on_another_case_is_refused(db: Path) -> None:
    with engine.open(db) as log:
        log.case("dprk").vote(on=DRAFT, yes=111, no=19, abstain=55, command_id="shared-id")
        other = tabled(log, "other")
        count = log.events.count()
        with pytest.raises(ProcedureError, match="another case"):
            other.vote(on=DRAFT, yes=111, no=19, abstain=55, command_id="shared-id")
        assert log.events.count() == count


def test_a_retry_that_lost_the_race_returns_the_recorded_decision(
    db: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    with engine.open(db) as log:
        late = log.case("dprk")
        first = log.case("dprk").vote(on=DRAFT, yes=111, no=19, abstain=55, command_id="v")
        looked_up = log.events.find
        # The race window: `late` looked the id up just before the first client committed.
        monkeypatch.setattr(log.events, "find", lambda event_id: None)
        count = log.events.count()
        again = late.vote(on=DRAFT, yes=1, no=150, abstain=0, command_id="v")
        monkeypatch.setattr(log.events, "find", looked_up)
        assert log.events.count() == count
        assert late.state == "committee.approved"
        assert again == first


# --- from other processes ---------------------------------------------------------------

CLIENT = r"""
import json, sys, engine
log = engine.open(sys.argv[1])
d = log.case("dprk").vote(on=sys.argv[2], yes=111, no=19, abstain=55, date="2014-11-18",
                          command_id=sys.argv[3])
print(json.dumps({"outcome": d.outcome, "majority": d.majority, "needed": d.needed,
                  "rule": d.rule, "count": log.events.count()}))
"""


def _client(db: Path, command_id: str) -> dict[str, object]:
    done = subprocess.run([PYTHON, "-c", CLIENT, str(db), DRAFT, command_id],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_retry_from_a_fresh_process_returns_the_original_decision(db: Path) -> None:
    first = _client(db, "vote-1")
    again = _client(db, "vote-1")
    assert again == first
    assert first["outcome"] == "adopted" and first["count"] == 3
    with engine.open(db, readonly=True) as log:
        assert log.events.count() == 3
        decision = log.case("dprk").data.decisions[0].decision
        assert (decision.outcome, decision.needed, decision.rule) == \
            (first["outcome"], first["needed"], first["rule"])


def test_the_same_command_sent_at_the_same_moment_is_recorded_once(tmp_path: Path) -> None:
    """Two clients send one command at once: one records it, the other gets its result."""
    rounds, clients = 12, 4
    db = tmp_path / "twice.db"
    with engine.open(db) as log:
        for n in range(rounds):
            tabled(log, f"c{n}")
    for n in range(rounds):
        barrier = threading.Barrier(clients)
        results: list[object] = []

        def send(n: int = n, barrier: threading.Barrier = barrier,
                 results: list[object] = results) -> None:
            with engine.open(db) as log:
                case = log.case(f"c{n}")  # every client loads the case before any sends
                barrier.wait()
                try:
                    results.append(case.vote(on=DRAFT, yes=111, no=19, abstain=55,
                                             command_id=f"vote-{n}"))
                except engine.ConcurrencyError:
                    # Lost the race to an identical command; the retry gets its result.
                    results.append(log.case(f"c{n}").vote(
                        on=DRAFT, yes=111, no=19, abstain=55, command_id=f"vote-{n}"))
                except Exception as e:  # anything else breaks the guarantee
                    results.append(e)

        threads = [threading.Thread(target=send) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert len(results) == clients
        assert all(r == results[0] for r in results), results
        assert getattr(results[0], "outcome", None) == "adopted", results
    with engine.open(db, readonly=True) as log:
        for n in range(rounds):
            assert [r.type for r in log.events.select(f"c{n}")] == \
                ["CaseOpened", "DraftSubmitted", "VoteTaken"]
        assert verify(log).ok
