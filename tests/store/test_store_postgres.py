"""PostgreSQL beyond the store contract: copies, checkpoints, the role, opening and errors.

- A log copied SQLite -> PostgreSQL -> SQLite has the same root in all three, the same
  cases and states; a checkpoint taken on one verifies on the others; a copy into a log
  that holds events is refused (exit 2, one line) and changes nothing.
- The insert-and-select role of docs/postgres.md appends and reads, and the server
  refuses it UPDATE, DELETE and TRUNCATE by privilege, before any trigger.
- `import engine` loads no psycopg; without psycopg, opening a URL is one clear error.
"""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
from reliability_helpers import PYTHON, ROOT, procedura

import engine
from engine.app.copy import CopyError, copy
from engine.app.integrity import checkpoint, verify_checkpoint
from engine.app.scenarios import load_scenario, run_scenario
from engine.app.verify import verify
from events import LogError
from events.postgres_sql import ROLE

SCENARIOS = ("dprk-2014", "darfur-2005", "executions-2010")


def _sqlite_log(path: Path) -> None:
    """Bundled cases and one long case: more events than a copy's batch (2000), and
    tree blocks of every size, so the roots compare stored nodes, not only leaves."""
    with engine.open(path) as log:
        for name in SCENARIOS:
            run_scenario(log, load_scenario(name))
        case = log.new_case("long", title="a long case")
        case.submit_draft(body="third-committee", symbol="L/1", title="draft",
                          sponsors=["Japan"], date="2014-11-18")
        with log.transaction():
            for n in range(2100):
                case.add_sponsors(sponsors=["Norway"], note=f"n{n}")


def _states(path: str) -> dict[str, tuple[str, int]]:
    with engine.open(path, readonly=True) as log:
        return {c.id: (c.state, c.version) for c in log.cases()}


def test_a_copy_there_and_back_keeps_the_root_and_a_checkpoint_verifies_on_each(
        tmp_path: Path, pg_url: str) -> None:
    first, back = tmp_path / "first.db", tmp_path / "back.db"
    _sqlite_log(first)
    there = copy(first, pg_url)
    again = copy(pg_url, back)
    assert there.events == again.events > 2100
    assert there.root == again.root
    with engine.open(first, readonly=True) as log:
        rows = list(log.events.rows())
    roots = []
    for where in (str(first), pg_url, str(back)):
        with engine.open(where, readonly=True) as log:
            roots.append(log.events.root().hex())
            assert list(log.events.rows()) == rows  # every column, as recorded
            assert log.events.verify_tree() is None
            assert verify(log).problem is None
    assert roots == [there.root] * 3
    assert _states(str(first)) == _states(pg_url) == _states(str(back))
    with engine.open(pg_url) as pg, engine.open(back, readonly=True) as lite:
        from_lite, from_pg = checkpoint(lite), checkpoint(pg)
        assert verify_checkpoint(pg, from_lite).ok  # taken on SQLite, verified on PG
        assert verify_checkpoint(lite, from_pg).ok  # and the other way
        pg.case("long").add_sponsors(sponsors=["Chile"])  # the log goes on
        assert verify_checkpoint(pg, from_lite).ok  # and still extends it
        assert not verify_checkpoint(lite, checkpoint(pg)).ok  # lite lacks that event


def test_a_copy_into_a_log_that_holds_events_is_refused(tmp_path: Path, pg_url: str) -> None:
    first = tmp_path / "first.db"
    with engine.open(first) as log:
        run_scenario(log, load_scenario("dprk-2014"))
    copy(first, pg_url)
    with engine.open(pg_url, readonly=True) as log:
        before = list(log.events.rows())
    with pytest.raises(CopyError, match="already holds 9 events"):
        copy(first, pg_url)
    result = procedura("copy", "--from", str(first), "--to", pg_url)
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.startswith("error: ") and result.err.count("\n") == 1
    with pytest.raises(CopyError, match="same log"):
        copy(pg_url, pg_url)
    with engine.open(pg_url, readonly=True) as log:
        assert list(log.events.rows()) == before


def test_the_insert_and_select_role_appends_and_is_refused_every_change(
        pg_database: str, pg_url: str) -> None:
    import psycopg

    with engine.open(pg_url) as owner:  # the owner makes the tables
        owner.new_case("c", title="t").submit_draft(
            body="third-committee", symbol="L/1", title="d", sponsors=["Japan"],
            date="2014-11-18")
    role = f"procedura_clerk_{uuid.uuid4().hex[:8]}"
    schema = pg_url.rsplit("%3D", 1)[1]
    database = pg_database.rsplit("/", 1)[1]
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for statement in ROLE.format(role=role, database=database).split(";\n"):
            conn.execute(statement.replace("schema public", f"schema {schema}"))
    as_role = pg_url.replace("postgres@", f"{role}@", 1)
    try:
        with engine.open(as_role) as log:
            log.case("c").add_sponsors(sponsors=["Chile"])  # insert and select: enough
            assert log.events.count() == 3 and verify(log).problem is None
        with psycopg.connect(as_role, autocommit=True) as conn:
            for sql in ("update events set actor = 'x'", "delete from events",
                        "truncate events", "delete from merkle_nodes",
                        "update meta set value = '9'"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(sql)
    finally:
        from events.postgres import close_pools

        close_pools([as_role])
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"drop owned by {role}")
            conn.execute(f"drop role {role}")


def test_opening_refuses_what_is_not_a_log_and_read_only_refuses_writes(
        pg_url: str) -> None:
    with pytest.raises(LogError, match="not a procedura log: it is empty"):
        engine.open(pg_url, readonly=True)
    with engine.open(pg_url, durable=False) as log:
        assert log.events.durable is False
        log.new_case("c", title="t").submit_draft(
            body="third-committee", symbol="L/1", title="d", sponsors=["Japan"],
            date="2014-11-18")
    with engine.open(pg_url, readonly=True) as log:
        with pytest.raises(LogError, match="read-only"):
            log.case("c").add_sponsors(sponsors=["Chile"])
        with pytest.raises(LogError, match="read-only"):
            log.events.conn.execute("insert into meta values ('x', 'y')")
        assert log.events.count() == 2
    with pytest.raises(LogError, match="cannot connect"):
        engine.open(pg_url.replace("/procedura_test_", "/no_such_database_"))


def test_import_engine_loads_no_psycopg_and_without_it_a_url_is_one_clear_error(
        pg_url: str) -> None:
    code = ("import sys, engine\n"
            "assert 'psycopg' not in sys.modules\n"
            "sys.modules['psycopg'] = None\n"
            "try:\n"
            f"    engine.open({pg_url!r})\n"
            "except engine.ProcedureError as e:\n"
            "    print(e)\n")
    done = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == \
        'PostgreSQL logs need psycopg 3: pip install "procedura[postgres]"'
