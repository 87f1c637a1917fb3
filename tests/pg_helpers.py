"""A real PostgreSQL server for the tests: a fresh database per run, a fresh log per test.

The server is the one at $PROCEDURA_TEST_POSTGRES (default
postgresql://postgres@127.0.0.1:5432/postgres, trust authentication). The first test
that asks for it creates a database of the run's own (`procedura_test_<pid>`), which is
dropped when the run ends; each log is a schema of its own in it (`fresh_url`). Where no
server answers, those tests skip, saying how to run them; with
PROCEDURA_REQUIRE_POSTGRES=1 (as .ci/run sets it) they fail instead.

Test modules take the fixtures by importing them: `from pg_helpers import pg_url`.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from urllib.parse import quote

import pytest

ADMIN = os.environ.get("PROCEDURA_TEST_POSTGRES",
                       "postgresql://postgres@127.0.0.1:5432/postgres")
HOW = ("set PROCEDURA_TEST_POSTGRES to a PostgreSQL server's URL (default "
       "postgresql://postgres@127.0.0.1:5432/postgres), or run .ci/run, which starts one")
_run: dict[str, str] = {}
_counter = itertools.count(1)
_used: list[str] = []


def _probe() -> str | None:
    """Why no server can be used, or None."""
    try:
        import psycopg
    except ImportError:
        return 'psycopg is not installed (pip install ".[test]")'
    try:
        psycopg.connect(ADMIN, connect_timeout=3).close()
    except psycopg.Error as e:
        return str(e).strip().splitlines()[-1].strip() if str(e).strip() else type(e).__name__
    return None


def require_server() -> None:
    """Skip the test (fail it, with PROCEDURA_REQUIRE_POSTGRES=1) if no server answers."""
    reason = _run.get("absent")
    if reason is None:
        reason = _run["absent"] = _probe() or ""
    if reason:
        message = f"no PostgreSQL server at {ADMIN} ({reason}): {HOW}"
        if os.environ.get("PROCEDURA_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)


def database_url() -> str:
    """The URL of this run's database, created on first use."""
    require_server()
    if "url" not in _run:
        import psycopg

        name = f"procedura_test_{os.getpid()}"
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f"drop database if exists {name} with (force)")
            conn.execute(f"create database {name}")
        _run["name"], _run["url"] = name, ADMIN.rsplit("/", 1)[0] + "/" + name
    return _run["url"]


def fresh_url() -> str:
    """The URL of a new, empty log: a schema of its own in this run's database."""
    import psycopg

    from events.postgres import close_pools

    close_pools(_used)  # the earlier tests' logs are closed: their connections can go
    _used.clear()
    base = database_url()
    schema = f"log_{next(_counter)}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"create schema {schema}")
    url = f"{base}?options={quote(f'-csearch_path={schema}')}"
    _used.append(url)
    return url


def drop_database() -> None:
    """Drop this run's database (when the run made one)."""
    if "url" not in _run:
        return
    import psycopg

    from events.postgres import close_pools

    close_pools()
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f"drop database if exists {_run.pop('name')} with (force)")
    _run.pop("url")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """This run's database, dropped at the end of the run."""
    try:
        yield database_url()
    finally:
        drop_database()


@pytest.fixture
def pg_url(pg_database: str) -> str:
    """The URL of a new, empty PostgreSQL log."""
    return fresh_url()


# -- a writer process for tests/store/test_store_postgres_concurrency.py ----------------


def writer(url: str, worker: int, start: int, transactions: bool) -> None:
    """Append commands to the case "shared" until killed, command i with the command id
    "w{worker}-{i}" (also its note), from i = `start`: the first is re-sent, as a client
    re-sends the command whose answer it never saw. Prints "ready", then "ack ID" once
    each command returned. With `transactions`, commands 9k, 9k + 1 and 9k + 2 go in
    one transaction (acknowledged together), which holds the append lock longer."""
    import random
    import time

    import engine

    log = engine.open(url)
    print("ready", flush=True)
    rnd, i = random.Random(worker * 7919 + start), start

    def send(case_ids: list[str]) -> None:
        for command_id in case_ids:
            while True:
                case = log.case("shared")
                try:
                    case.add_sponsors(sponsors=["Norway"], actor=f"worker {worker}",
                                      note=command_id, command_id=command_id)
                    break
                except engine.ConcurrencyError:
                    time.sleep(rnd.uniform(0, 0.002))  # another writer first: reload

    while True:
        if transactions and i % 9 == 0:
            ids = [f"w{worker}-{i}", f"w{worker}-{i + 1}", f"w{worker}-{i + 2}"]
            while True:
                try:
                    with log.transaction():
                        send(ids)
                    break
                except engine.ConcurrencyError:
                    continue
            i += 3
        else:
            ids = [f"w{worker}-{i}"]
            send(ids)
            i += 1
        print("ack", *ids, flush=True)


if __name__ == "__main__":
    import sys

    writer(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1")
