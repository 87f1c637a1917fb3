"""The derived tables of a PostgreSQL log: snapshots, projections, the server's own.

`events.postgres.PostgresLog` takes these methods before `EventLog`'s: the tables are
made with PostgreSQL's DDL (`events.postgres_sql.create_table_sql`, each with a trailing
`rowid`), and the statements written for SQLite that read and write them go through the
log's connection, which translates them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from events.derived import check_derived_name
from events.postgres_sql import create_table_sql

__all__ = ["DerivedTables"]


class DerivedTables:
    """`EventLog`'s derived-table methods for a log whose `conn` is a
    `events.postgres_conn.Connection` (mixed into `PostgresLog`)."""

    conn: Any

    if TYPE_CHECKING:  # EventLog's, which comes after this class in PostgresLog's order
        def transaction(self, wait: bool = True) -> Any: ...

    def has_table(self, name: str) -> bool:
        """Whether the log's schema holds a table `name`."""
        return bool(self.conn.execute(
            "select count(*) from information_schema.tables where table_schema ="
            " current_schema() and table_name = ?", (name,)).fetchone()[0])

    def ensure_table(
        self, name: str, columns: Mapping[str, type], pk: str | Sequence[str], *,
        not_null: Collection[str] = (), indexes: Mapping[str, Sequence[str]] | None = None,
        unique: Collection[str] = (), foreign_keys: Sequence[tuple[str, str, str]] = (),
        replace: bool = False,
    ) -> None:
        """`EventLog.ensure_table` in PostgreSQL: the table ends with a `rowid` column
        (see `events.postgres_sql`)."""
        check_derived_name(name)
        if not replace and self.has_table(name):
            return
        with self.transaction():
            if replace:
                self.conn.flush()  # events' rows held back go first, in order
                self.conn.raw.execute(f'drop table if exists "{name}" cascade')
            for statement in create_table_sql(name, columns, pk, not_null, indexes, unique,
                                              foreign_keys):
                self.conn.execute(statement)
            self.conn.forget(name)

    def query(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """`EventLog.query` in PostgreSQL: the statement is translated (`translate`)."""
        return self.conn.execute(sql, params)

    def write(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run `sql` for each of `rows`, all or none, in a transaction."""
        with self.transaction():
            self.conn.executemany(sql, rows)
