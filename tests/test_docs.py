"""The documentation, run: its command-line transcripts, its Python blocks, the site build.

How the pages are read (write new examples the same way):

- A ```console block is a transcript. Each line starting with ``$ `` is a command, and it
  must be a ``procedura`` command; the lines after it, up to the next command, are output
  that must appear in what the command prints (spaces collapsed; a line ``...`` stands for
  lines left out, ``...`` within a line for text left out). A command must exit 0 unless
  the line ends with a comment ``# exit N``.
  ``< FILE`` and ``> FILE`` redirect standard input and output, as in a shell. Interactive
  commands without ``<`` get scripted keys: ``replay --step`` Enter, Enter, b, q;
  ``play`` quit.
- A fenced block with a title (```toml title="mun.toml") is a file: it is written under
  that name before the commands after it run.
- A ```python block is run. The blocks of one page share one namespace and run in order
  in a temporary folder; use ```pycon or ```text for code that must not run.
- The pages in TRANSCRIPTS are lessons: their blocks of every kind run in page order in
  one fresh folder, so each page is self-contained (cli.md makes un.db with its first
  example). The Python blocks of README.md and of the other pages run on their own.
- ``unvotes-69/`` is ready in every transcript's folder: the General Assembly's roll calls
  of the 69th session in the unvotes layout, cut from ../shared/data/unvotes (or, where
  that folder is absent, made from the plenary vote recorded in the bundled dprk-2014).
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import importlib.util
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import click
import pytest

from engine.cli import cli

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
UNVOTES = ROOT.parent / "shared" / "data" / "unvotes"
DPRK = ROOT / "replays" / "scenarios" / "dprk-2014.toml"
# The package has no __main__; call main() as the console script does, under its name.
COMMAND = [sys.executable, "-c",
           "import sys; sys.argv[0] = 'procedura'; from engine.cli import main; main()"]
TRANSCRIPTS = ("cli.md", "tutorial.md", "teaching.md")
KEYS = {"--step": "\n\nb\nq\n", "play": "quit\n"}
PAGES_IN_NAV = ("index.md", "tutorial.md", "teaching.md", "scenarios.md", "cli.md", "research.md",
                "serve.md", "rules.md", "api.md", "architecture.md", "performance.md",
                "postgres.md", "reliability.md")

FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
TITLE = re.compile(r'title="([^"]+)"')
EXIT = re.compile(r"#\s*exit\s+(\d+)\s*$")


class Block(NamedTuple):
    """A fenced block of a page: its language, its file name (if titled), its text."""

    page: str
    line: int
    lang: str
    title: str | None
    body: str


class Command(NamedTuple):
    """One ``$ procedura ...`` line of a transcript and what it must print and exit with."""

    where: str
    line: str
    args: list[str]
    stdin: str | None
    stdout: str | None
    code: int
    shown: list[str]


def blocks(path: Path) -> list[Block]:
    """The fenced blocks of a Markdown file, in order."""
    text = path.read_text(encoding="utf-8")
    found = []
    for m in FENCE.finditer(text):
        info, indent = m["info"].strip(), len(m["indent"])
        body = "".join(line[indent:] + "\n" for line in m["body"].splitlines())
        title = TITLE.search(info)
        found.append(Block(path.name, text.count("\n", 0, m.start()) + 1,
                           info.split()[0] if info else "", title and title[1], body))
    return found


def commands(block: Block) -> list[Command]:
    """The commands of a console block, with the output shown after each."""
    out: list[Command] = []
    for n, raw in enumerate(block.body.splitlines()):
        if not raw.startswith("$ "):
            if out and raw.strip() and raw.strip() != "...":
                out[-1].shown.append(raw)
            continue
        where = f"{block.page}, line {block.line + 1 + n}"
        line = raw[2:].strip()
        code = EXIT.search(line)
        words = shlex.split(line, comments=True)
        assert words and words[0] == "procedura", \
            f"{where}: a console block runs procedura commands only: {line!r}"
        stdin = stdout = None
        while len(words) > 2 and words[-2] in ("<", ">"):
            if words[-2] == "<":
                stdin = words[-1]
            else:
                stdout = words[-1]
            words = words[:-2]
        assert "<" not in words and ">" not in words, f"{where}: put < and > at the end"
        out.append(Command(where, line, words[1:], stdin, stdout,
                           int(code[1]) if code else 0, []))
    return out


def squeeze(text: str) -> str:
    """Text with every run of spaces and tabs made one space, lines stripped."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def run(command: Command, folder: Path) -> None:
    """Run one documented command in `folder` and check its exit code and output."""
    if command.stdin is not None:
        keys = (folder / command.stdin).read_text(encoding="utf-8")
    elif command.args[0] == "play":
        keys = KEYS["play"]
    elif "--step" in command.args:
        keys = KEYS["--step"]
    else:
        keys = ""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([*COMMAND, *command.args], cwd=folder, input=keys, text=True,
                            capture_output=True, timeout=300, env=env, check=False)
    printed = result.stdout + result.stderr
    if result.returncode != command.code:
        pytest.fail(f"{command.where}: `{command.line}` exited {result.returncode}, "
                    f"not {command.code}\n{printed[-3000:]}")
    if "Traceback" in printed:
        pytest.fail(f"{command.where}: `{command.line}` printed a traceback\n{printed}")
    if command.stdout is not None:
        (folder / command.stdout).write_text(result.stdout, encoding="utf-8")
    got = squeeze(printed)
    for shown in command.shown:
        parts = " ".join(shown.split()).split("...")
        if not re.search(".*".join(re.escape(part) for part in parts), got):
            pytest.fail(f"{command.where}: `{command.line}` does not print\n  {shown.strip()}"
                        f"\nIt printed:\n{printed[-3000:]}")


@contextlib.contextmanager
def inside(folder: Path) -> Iterator[None]:
    """Work in `folder`, then go back."""
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def run_python(block: Block, namespace: dict[str, object]) -> None:
    """Run a Python block in `namespace`, in the current folder, its printing captured."""
    code = compile(block.body, f"{block.page} (block at line {block.line})", "exec")
    with contextlib.redirect_stdout(io.StringIO()):
        exec(code, namespace)


# --- the data the transcripts use ---------------------------------------------------------


def _excerpt_of_the_data(folder: Path) -> None:
    """The 69th session's roll calls, cut from the shared unvotes data."""
    def rows(name: str) -> Iterator[dict[str, str]]:
        with gzip.open(UNVOTES / f"{name}.csv.gz", "rt", encoding="utf-8", newline="") as f:
            yield from csv.DictReader(f)

    def write(name: str, keep: set[str]) -> None:
        selected = [r for r in rows(name) if r["rcid"] in keep]
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, list(selected[0]))
            writer.writeheader()
            writer.writerows(selected)

    calls = {r["rcid"] for r in rows("roll_calls") if r["session"] == "69"}
    for name in ("roll_calls", "unvotes", "issues"):
        write(name, calls)


def _excerpt_from_the_scenario(folder: Path) -> None:
    """Roll call 5377 (A/RES/69/188) in the unvotes layout, from the bundled scenario."""
    steps = tomllib.loads(DPRK.read_text(encoding="utf-8"))["step"]
    plenary = next(s for s in steps if s.get("yes_members") and s.get("date") == "2014-12-18")
    (folder / "roll_calls.csv").write_text(
        "rcid,session,importantvote,date,unres,amend,para,short,descr\n"
        "5377,69,0,2014-12-18,R/69/188,0,0,Human rights situation in the DPRK,"
        "Situation of human rights in the Democratic People's Republic of Korea\n",
        encoding="utf-8")
    (folder / "issues.csv").write_text("rcid,short_name,issue\n5377,hr,Human rights\n",
                                       encoding="utf-8")
    with open(folder / "unvotes.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["rcid", "country", "country_code", "vote"])
        for option in ("yes", "no", "abstain"):
            for member in plenary[f"{option}_members"]:
                writer.writerow([5377, member, "", option])


@pytest.fixture(scope="module")
def unvotes_69(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder in the unvotes layout with the roll calls of the 69th session."""
    folder = tmp_path_factory.mktemp("data") / "unvotes-69"
    folder.mkdir()
    if (UNVOTES / "roll_calls.csv.gz").exists():
        _excerpt_of_the_data(folder)
    else:
        _excerpt_from_the_scenario(folder)
    return folder


# --- the transcripts: cli.md, tutorial.md, teaching.md -----------------------------------


@pytest.mark.parametrize("page", TRANSCRIPTS)
def test_every_example_of_the_page_runs(page: str, tmp_path: Path, unvotes_69: Path) -> None:
    shutil.copytree(unvotes_69, tmp_path / "unvotes-69")
    namespace: dict[str, object] = {"__name__": "__docs__"}
    ran = 0
    for block in blocks(DOCS / page):
        if block.title:
            target = tmp_path / block.title
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.body, encoding="utf-8")
        elif block.lang == "console":
            for command in commands(block):
                run(command, tmp_path)
                ran += 1
        elif block.lang == "python":
            with inside(tmp_path):
                run_python(block, namespace)
    assert ran, f"{page} has no console examples"


def _command_paths(group: click.Group, prefix: str = "") -> Iterator[str]:
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _command_paths(command, f"{prefix}{name} ")
        else:
            yield prefix + name


def test_cli_md_shows_every_command_and_the_exit_codes() -> None:
    documented = [" ".join(c.args) for b in blocks(DOCS / "cli.md") if b.lang == "console"
                  for c in commands(b)]
    missing = [name for name in _command_paths(cli)
               if not any(f"{d} ".startswith(f"{name} ") for d in documented)]
    assert not missing, f"docs/cli.md has no example of: {', '.join(missing)}"
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert "## Exit codes" in text
    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in text
    codes = {c.code for b in blocks(DOCS / "cli.md") if b.lang == "console"
             for c in commands(b)}
    assert {0, 1, 2} <= codes, "cli.md shows an example of each exit code"


def test_the_interactive_examples_are_scripted() -> None:
    interactive = [c for page in TRANSCRIPTS for b in blocks(DOCS / page)
                   if b.lang == "console" for c in commands(b)
                   if c.args[0] == "play" or "--step" in c.args]
    assert any(c.args[0] == "play" for c in interactive)
    assert any("--step" in c.args for c in interactive)


# --- the Python blocks of README.md and the other pages ----------------------------------


def _pages_with_python() -> list[Path]:
    pages = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    return [p for p in pages if p.name not in TRANSCRIPTS
            and any(b.lang == "python" for b in blocks(p))]


@pytest.mark.parametrize("page", _pages_with_python(), ids=lambda p: p.name)
def test_the_python_blocks_of_the_page_run(page: Path, tmp_path: Path) -> None:
    namespace: dict[str, object] = {"__name__": "__docs__"}
    with inside(tmp_path):
        for block in blocks(page):
            if block.lang == "python":
                run_python(block, namespace)


# --- the site -------------------------------------------------------------------------------


def _missing_site_tools() -> list[str]:
    missing = []
    for module in ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python"):
        try:
            if importlib.util.find_spec(module) is None:
                missing.append(module)
        except ModuleNotFoundError:
            missing.append(module)
    return missing


def test_the_nav_names_every_page_of_the_site() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    named = re.findall(r"^\s+- [\w ]+: (\S+\.md)\s*$", config, re.MULTILINE)
    assert tuple(named) == PAGES_IN_NAV


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    missing = _missing_site_tools()
    if missing:
        pytest.skip(f"the site tools are not installed ({', '.join(missing)}); "
                    "pip install '.[docs]' to build the site")
    absent = [p for p in PAGES_IN_NAV if not (DOCS / p).exists()]
    assert not absent, f"pages in the nav of mkdocs.yml are missing: {', '.join(absent)}"
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
         str(ROOT / "mkdocs.yml"), "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    for anchor in ("engine.open", "engine.Case.vote", "engine.procedure.rules.decide_council",
                   "events.EventLog", "replays.load"):
        assert f'id="{anchor}"' in api, f"the API page has no entry {anchor}"
    assert "fonts.googleapis.com" not in (site / "index.html").read_text(encoding="utf-8")
