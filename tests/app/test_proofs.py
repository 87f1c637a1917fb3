"""Inclusion proofs a reader checks with no log: `prove` and `verify-proof`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import engine
from engine import InvalidArgumentError, UnknownCaseError
from engine.app.integrity import checkpoint, prove, verify_bundle
from engine.app.notes import write_keypair
from engine.app.scenarios import load_scenario, run_scenario
from engine.cli import cli


@pytest.fixture
def logged(tmp_path: Path) -> tuple[Path, str, Path]:
    path = tmp_path / "log.db"
    write_keypair(tmp_path / "key", "un.example/test")
    with engine.open(path) as log:
        for name in ("dprk-2014", "executions-2010"):
            run_scenario(log, load_scenario(name))
        note = checkpoint(log, tmp_path / "key")
    return path, note, tmp_path / "key.pub"


def test_a_bundle_proves_every_event_of_the_case_with_no_log(
    logged: tuple[Path, str, Path], tmp_path: Path
) -> None:
    path, note, public = logged
    with engine.open(path, readonly=True) as log:
        bundle = prove(log, "executions-2010", note)
        positions = [r.position for r in log.events.select("executions-2010")]
    assert [e["position"] for e in bundle["events"]] == positions
    path.unlink()  # no log at hand
    found = verify_bundle(bundle, public)
    assert found.ok and found.signed
    assert json.loads(bundle["events"][0]["leaf"])[2] == "executions-2010"  # readable


def test_an_edited_leaf_or_proof_is_found(logged: tuple[Path, str, Path]) -> None:
    path, note, public = logged
    with engine.open(path, readonly=True) as log:
        bundle = prove(log, "dprk-2014", note)
    edited = json.loads(json.dumps(bundle))
    edited["events"][3]["leaf"] = edited["events"][3]["leaf"].replace("2014", "2015")
    found = verify_bundle(edited, public)
    assert not found.ok and found.position == bundle["events"][3]["position"]
    edited = json.loads(json.dumps(bundle))
    edited["events"][0]["proof"].reverse()
    assert not verify_bundle(edited, public).ok
    edited = json.loads(json.dumps(bundle))
    edited["events"][0]["position"] += 1  # the right leaf at the wrong place
    assert not verify_bundle(edited).ok


def test_prove_up_to_a_version_and_its_refusals(logged: tuple[Path, str, Path]) -> None:
    path, note, _ = logged
    with engine.open(path, readonly=True) as log:
        assert len(prove(log, "dprk-2014", note, version=2)["events"]) == 2
        for bad in (0, 10, 10**30, "2", True):
            with pytest.raises(InvalidArgumentError, match="--version must be from 1 to 9"):
                prove(log, "dprk-2014", note, version=bad)
        with pytest.raises(UnknownCaseError, match="no case 'nope'"):
            prove(log, "nope", note)


def test_events_after_the_checkpoint_need_a_newer_one(logged: tuple[Path, str, Path]) -> None:
    path, note, _ = logged
    with engine.open(path) as log:
        run_scenario(log, load_scenario("darfur-2005"))
        with pytest.raises(InvalidArgumentError, match="take a newer checkpoint"):
            prove(log, "darfur-2005", note)


def test_the_command_line_writes_and_checks_a_bundle(
    logged: tuple[Path, str, Path], tmp_path: Path
) -> None:
    path, note, public = logged
    cp = tmp_path / "cp.txt"
    cp.write_text(note, encoding="utf-8")
    out = tmp_path / "dprk.proof"
    runner = CliRunner()
    done = runner.invoke(cli, ["prove", "dprk-2014", "--db", str(path), "--checkpoint",
                               str(cp), "--output", str(out)])
    assert done.exit_code == 0, done.output
    done = runner.invoke(cli, ["verify-proof", str(out), "--public-key", str(public)])
    assert done.exit_code == 0 and "signature verified" in done.output
    bundle = json.loads(out.read_text())
    bundle["events"][1]["leaf"] = bundle["events"][1]["leaf"].replace("Japan", "Japon")
    out.write_text(json.dumps(bundle))
    done = runner.invoke(cli, ["verify-proof", str(out)])
    assert done.exit_code == 1 and done.output.startswith("FAILED: event 2 of the bundle")
    out.write_text("{not json")
    done = runner.invoke(cli, ["verify-proof", str(out)])  # `main` makes these exit 2
    assert isinstance(done.exception, InvalidArgumentError)
    assert "is not JSON" in str(done.exception)
    before = path.read_bytes()
    done = runner.invoke(cli, ["prove", "dprk-2014", "--db", str(path), "--checkpoint",
                               str(cp), "--output", str(path)])
    assert isinstance(done.exception, InvalidArgumentError)
    assert "is the log" in str(done.exception) and path.read_bytes() == before
