"""A fuzz of the command line: 10,000 generated argument lists and files, no traceback.

Each input is a command of `procedura` with arguments drawn from what breaks programs:
huge and negative numbers, NUL and escape characters, Rich markup, paths to the log
itself, a folder, a FIFO, /dev/null, a file that is not a log, a truncated log, a
foreign SQLite file, files that do not exist, and the real sample log. Every run must
end as the project promises: exit 0, 1 or 2 (or click's own 2 for a bad option), never
a traceback, and the sample log is never changed by a command that only reads.

The inputs come from a seeded generator (PROCEDURA_FUZZ_SEED replays a run; the seed is
printed) and run in this process, as the console script runs them. Figures: `pytest
tests/cli/test_cli_fuzz.py -s` prints a FIGURES line.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from reliability_helpers import cli, sample_log, sha256

RUNS = int(os.environ.get("PROCEDURA_FUZZ_RUNS", "10000"))
# Commands that only read a log, and their arguments' shapes (a case, an option...).
READERS = {
    "replay": ["CASE"], "state": ["CASE", "--at", "INT"], "log": ["CASE?"], "cases": [],
    "votes": ["--member", "TEXT", "--session", "INT"], "verify": [],
    "what-if": ["CASE", "--at", "INT", "--set", "TEXT"],
    "export": ["CASE", "--format", "FORMAT"], "diagram": ["--case", "CASE"],
    "checkpoint": [], "prove": ["CASE", "--version", "INT", "--checkpoint", "FILE",
                                "--output", "OUT"],
}
OTHERS = {
    "verify-proof": ["FILE", "--public-key", "FILE"], "keygen": ["--out", "OUT"],
    "scenarios": [], "run": ["FILE", "--db", "OUT"], "import": ["popolo", "FILE", "--db", "OUT"],
}
TEXTS = ["dprk-2014", "libya-2011", "[/x]", "[link=http://example.invalid/]x[/link]",
         "\x1b]0;PWNED\x07", "\x1b[2J", "a\x00b", "", " ", "Japan", "JPN", "Côte d'Ivoire",
         "Cote\u0301 d'Ivoire", "\u200bdprk-2014", "x" * 5000, "../../etc/passwd", "-",
         "--db", "%s%n", "'; drop table events; --", "\ud800".encode("utf-8", "surrogatepass")
         .decode("utf-8", "replace")]
INTS = ["0", "1", "-1", "9", "99", "10" * 20, "-" + "9" * 40, "1e9", "0x10", "nan", "", " 3"]
FORMATS = ["json", "html", "popolo", "xml", ""]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("fuzz")
    log = sample_log(root / "sample.db")
    truncated = root / "truncated.db"
    truncated.write_bytes(log.read_bytes()[:5000])
    foreign = root / "foreign.db"
    with sqlite3.connect(foreign) as db:
        db.execute("create table events (x)")
        db.execute("create table meta (key, value)")
    text = root / "text.txt"
    text.write_text("not a log\n")
    folder = root / "folder"
    folder.mkdir()
    fifo = root / "fifo"
    os.mkfifo(fifo)
    scenario = root / "s.toml"
    scenario.write_text('[case]\nid = "[/x]"\ntitle = "\x1b[2J"\n\n[[step]]\naction = "vote"\n')
    return {"log": log, "truncated": truncated, "foreign": foreign, "text": text,
            "folder": folder, "fifo": fifo, "null": Path("/dev/null"),
            "missing": root / "missing" / "x.db", "scenario": scenario, "root": root}


def _value(rng: random.Random, shape: str, files: dict[str, Path], out: Path) -> str:
    if shape in ("CASE", "CASE?", "TEXT"):
        return rng.choice(TEXTS)
    if shape == "INT":
        return rng.choice(INTS)
    if shape == "FORMAT":
        return rng.choice(FORMATS)
    if shape == "OUT":  # a fresh file, or one that must never be written over
        return str(rng.choice([out, files["log"], files["folder"], files["null"], out]))
    return str(rng.choice([files[k] for k in ("log", "truncated", "foreign", "text", "folder",
                                               "null", "missing", "scenario")]))


def _args(rng: random.Random, files: dict[str, Path], out: Path) -> list[str]:
    table = READERS if rng.random() < 0.8 else OTHERS
    command = rng.choice(list(table))
    shapes = table[command]
    args = [command]
    i = 0
    while i < len(shapes):
        shape = shapes[i]
        if shape.startswith("--"):
            if rng.random() < 0.6:
                args += [shape, _value(rng, shapes[i + 1], files, out)]
            i += 2
            continue
        if not shape.endswith("?") or rng.random() < 0.5:
            args.append(_value(rng, shape, files, out))
        i += 1
    if table is READERS:
        db = rng.choice([files["log"]] * 4 + [files[k] for k in (
            "truncated", "foreign", "text", "folder", "fifo", "null", "missing")])
        args += ["--db", str(db)]
    if rng.random() < 0.1:
        args.insert(rng.randrange(len(args) + 1), rng.choice(TEXTS + INTS))  # a stray one
    return args


def test_ten_thousand_generated_command_lines_end_without_a_traceback(
    files: dict[str, Path],
) -> None:
    seed = int(os.environ.get("PROCEDURA_FUZZ_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    before = {k: sha256(files[k]) for k in ("log", "truncated", "foreign", "text")}
    codes: Counter[int] = Counter()
    for n in range(RUNS):
        out = files["root"] / f"out-{n}"
        args = _args(rng, files, out)
        if "fifo" in " ".join(args) and args[0] in OTHERS:
            continue  # only --db is checked for special files before it is opened
        result = cli(*args)
        assert not result.traceback, f"seed {seed}, run {n}: procedura {args!r}\n{result.err}"
        assert result.code in (0, 1, 2), (seed, n, args, result.code, result.err[-500:])
        codes[result.code] += 1
        if out.is_dir():
            shutil.rmtree(out)
        else:
            out.unlink(missing_ok=True)
            Path(f"{out}.pub").unlink(missing_ok=True)
    for name, digest in before.items():
        assert sha256(files[name]) == digest, f"{name} was changed (seed {seed})"
    print(f"\nFIGURES cli-fuzz: {sum(codes.values())} command lines, exits "
          f"{dict(sorted(codes.items()))}, 0 tracebacks; seed {seed}")
