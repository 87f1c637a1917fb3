"""Hostile unvotes CSV input: each is one clear line naming file, row and field, exit 2,
and nothing appended to the log (issue 13)."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

import engine
from engine.app.importers.unvotes import import_unvotes
from engine.procedure.errors import InvalidArgumentError

ROLL_CALLS = ("rcid,session,importantvote,date,unres,amend,para,short,descr\n"
              "5377,69,1,2014-12-18,R/69/188,,,,Situation of human rights in the DPRK\n")
UNVOTES = ("rcid,country,country_code,vote\n"
           "5377,Japan,JP,yes\n5377,China,CN,no\n5377,India,IN,abstain\n")
ISSUES = "rcid,short_name,issue\n5377,hr,Human rights\n"


def folder(tmp: Path, **files: str | bytes) -> Path:
    """A data folder with the three files, any of them replaced (bytes written as they are)."""
    data = {"roll_calls.csv": ROLL_CALLS, "unvotes.csv": UNVOTES, "issues.csv": ISSUES}
    for name, content in files.items():
        data.pop(name.removesuffix(".gz"), None)
        data[name] = content
    for name, content in data.items():
        raw = content.encode("utf-8") if isinstance(content, str) else content
        (tmp / name).write_bytes(raw)
    return tmp


def refused(tmp: Path, data: Path, match: str) -> str:
    """Import through the command line: exit 2, one line matching, nothing appended."""
    db = tmp / "log.db"
    done = subprocess.run(
        [sys.executable, "-c", "from engine.cli import main; main()", "import", "unvotes",
         str(data), "--db", str(db)], capture_output=True, text=True, check=False)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert match in lines[0], lines[0]
    if db.exists():
        with engine.open(db, readonly=True) as log:
            assert log.events.count() == 0
    with engine.open(":memory:") as log, pytest.raises(InvalidArgumentError):
        import_unvotes(log, data)
    return lines[0]


def test_the_small_folder_imports(tmp_path: Path) -> None:
    with engine.open(":memory:") as log:
        report = import_unvotes(log, folder(tmp_path))
        assert (report.roll_calls, report.positions) == (1, 3)


def test_an_unknown_vote_option(tmp_path: Path) -> None:
    data = folder(tmp_path, **{"unvotes.csv": UNVOTES + "5377,France,FR,maybe\n"})
    refused(tmp_path, data, "unvotes.csv, row 5, field vote: 'maybe' is not a vote")


def test_a_bad_rcid(tmp_path: Path) -> None:
    data = folder(tmp_path, **{"unvotes.csv": UNVOTES + "53x7,France,FR,yes\n"})
    refused(tmp_path, data, "unvotes.csv, row 5, field rcid: '53x7' is not a roll-call number")


def test_an_rcid_with_no_roll_call(tmp_path: Path) -> None:
    data = folder(tmp_path, **{"unvotes.csv": UNVOTES + "9999,France,FR,yes\n"})
    refused(tmp_path, data, "unvotes.csv, row 5, field rcid: roll call 9999 is not in roll_calls")


def test_no_header(tmp_path: Path) -> None:
    data = folder(tmp_path, **{"unvotes.csv": UNVOTES.split("\n", 1)[1]})
    refused(tmp_path, data, "unvotes.csv, row 1: no header")


def test_a_short_row(tmp_path: Path) -> None:
    data = folder(tmp_path, **{"roll_calls.csv": ROLL_CALLS + "5378,69,,2014-12-18,R/69/189\n"})
    refused(tmp_path, data, "roll_calls.csv, row 3: 5 fields where the header has 9: field "
                            "amend is missing")


def test_latin_1_bytes(tmp_path: Path) -> None:
    data = folder(tmp_path, **{"unvotes.csv": (UNVOTES + "5377,C\xf4te d'Ivoire,CI,yes\n")
                               .encode("latin-1")})
    refused(tmp_path, data, "unvotes.csv, row 5, field country: byte 0xf4 is not UTF-8")


def test_a_truncated_gzip(tmp_path: Path) -> None:
    rows = "".join(f"5377,Country {i},C{i},yes\n" for i in range(2000))
    whole = gzip.compress((UNVOTES + rows).encode("utf-8"))
    data = folder(tmp_path, **{"unvotes.csv.gz": whole[: len(whole) // 2]})
    refused(tmp_path, data, "unvotes.csv.gz, row ")
    assert "cut short" in refused(tmp_path, data, "the gzip data is damaged or cut short")


def test_a_bad_date(tmp_path: Path) -> None:
    data = folder(tmp_path, **{"roll_calls.csv": ROLL_CALLS.replace("2014-12-18", "18/12/2014")})
    refused(tmp_path, data, "roll_calls.csv, row 2, field date: '18/12/2014' is not a date")
