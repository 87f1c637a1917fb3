"""A checkpoint finds every rewrite of the events it was taken over, even one whose
author recomputed the hash chain and the Merkle tree to match (the attacker of
docs/reliability.md: someone who can write the file and knows how procedura hashes it).

Hypothesis draws a tampering (edit, delete, insert, swap, truncate) of a log of real
proceedings; the forger renumbers the positions, recomputes every row's chain hash and
rebuilds the tree from scratch, so that `verify` alone may no longer see it. Checked
against a checkpoint taken before, every one is found.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

import hypothesis.strategies as st
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

import engine
from engine.app.integrity import checkpoint, verify_checkpoint
from engine.app.scenarios import load_scenario, run_scenario
from engine.cli import cli
from events.chain import GENESIS, chain_hash

COLUMNS = ("position, event_id, stream_id, version, type, schema_version, occurred_at, "
           "recorded_at, actor, note, payload, hash")


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("tamper") / "log.db"
    with engine.open(path) as log:
        for name in ("dprk-2014", "executions-2010"):
            run_scenario(log, load_scenario(name))
        note = checkpoint(log)
    return path, note


def forge(path: Path, rows: list[list]) -> None:
    """Write `rows` as the whole log, positions and versions renumbered, the chain and the
    tree recomputed."""
    db = sqlite3.connect(path)
    for (name,) in db.execute("select name from sqlite_master where type = 'trigger'"):
        db.execute(f'drop trigger "{name}"')
    db.execute("delete from events")
    db.execute("delete from merkle_nodes")
    previous, versions = GENESIS, {}
    for position, row in enumerate(rows, 1):  # positions and each case's versions renumbered
        versions[row[2]] = versions.get(row[2], 0) + 1
        row = [position, row[1], row[2], versions[row[2]], *row[4:11]]
        row.append(chain_hash(previous, row[1:11]))
        previous = row[11]
        db.execute(f"insert into events ({COLUMNS}) values ({', '.join('?' * 12)})", row)
    db.execute("delete from snapshots") if db.execute(
        "select 1 from sqlite_master where name = 'snapshots'").fetchone() else None
    db.commit()
    db.close()
    with engine.open(path) as log:  # the triggers come back; the tree is built anew
        log.events.extend_tree()
        assert log.events.verify_tree() is None, "the forger's tree is consistent"


def _rows(path: Path) -> list[list]:
    db = sqlite3.connect(path)
    try:
        return [list(r) for r in db.execute(f"select {COLUMNS} from events order by position")]
    finally:
        db.close()


@st.composite
def tamperings(draw: st.DrawFn, n: int) -> tuple[str, tuple[int, ...]]:
    kind = draw(st.sampled_from(["edit", "delete", "insert", "swap", "truncate"]))
    i = draw(st.integers(0, n - 1))
    j = draw(st.integers(0, n - 1).filter(lambda j: j != i))
    return kind, (i, j)


def tamper(rows: list[list], kind: str, i: int, j: int) -> list[list]:
    rows = [list(r) for r in rows]
    if kind == "edit":  # a legal-looking change: another actor, or a figure in a payload
        rows[i][8] = f"{rows[i][8] or ''}x"
    elif kind == "delete":
        del rows[i]
    elif kind == "insert":
        rows.insert(j, [*rows[i][:1], f"{rows[i][1]}-copy", *rows[i][2:]])
    elif kind == "swap":
        rows[i], rows[j] = rows[j], rows[i]
    else:
        rows = rows[:i]
    return rows


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_tampering_is_found_against_an_earlier_checkpoint(
    original: tuple[Path, str], tmp_path: Path, data: st.DataObject
) -> None:
    path, note = original
    rows = _rows(path)
    kind, (i, j) = data.draw(tamperings(len(rows)))
    copy = Path(tempfile.mkdtemp(dir=tmp_path)) / "forged.db"  # a folder per example
    shutil.copy(path, copy)
    forge(copy, tamper(rows, kind, i, j))
    with engine.open(copy, readonly=True) as log:
        found = verify_checkpoint(log, note)
    assert not found.ok, f"{kind} at {i}, {j} was not found"


def test_an_untouched_copy_passes(original: tuple[Path, str], tmp_path: Path) -> None:
    path, note = original
    copy = tmp_path / "copy.db"
    shutil.copy(path, copy)
    forge(copy, _rows(path))  # rewritten identically: nothing to find
    with engine.open(copy, readonly=True) as log:
        assert verify_checkpoint(log, note).ok


def test_a_forged_decision_with_the_chain_and_tree_recomputed_fails_verify(
    original: tuple[Path, str], tmp_path: Path
) -> None:
    """The acceptance case: a legal-looking decision (the Council's 11-2-2 becomes 12-1-2,
    still adopted) with everything recomputed: verify alone passes, the checkpoint not."""
    path, note = original
    rows = _rows(path)
    vote = next(r for r in rows if r[4] == "VoteTaken" and '"yes":11' in r[10])
    vote[10] = vote[10].replace('"yes":11', '"yes":12').replace('"no":2', '"no":1')
    copy = tmp_path / "forged.db"
    shutil.copy(path, copy)
    forge(copy, rows)
    cp = tmp_path / "cp.txt"
    cp.write_text(note, encoding="utf-8")
    result = CliRunner().invoke(cli, ["verify", "--db", str(copy), "--checkpoint", str(cp)])
    assert result.exit_code == 1, result.output
    assert "are not the ones the checkpoint was taken over" in result.output
