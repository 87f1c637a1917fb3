"""What the server keeps in the log's file besides the events: its own two tables.

A restart must lose nothing, so the server writes down, in the same SQLite file:

- `delegation_tokens`: each delegation's token as its SHA-256 digest (never the token),
  with its case and member: one row per member of a case, the newest token's;
- `pending_cases`: each case opened through the API whose opening is not recorded yet
  (a case is recorded with its first action, `ProcedureLog.new_case`), as the arguments
  of its `OpenCase` command, in JSON.

Neither is a proceeding, so neither goes in the `events` table: a token is a secret, and
an opening not yet recorded has not happened in the record (it gets its date from the
first action). Neither is derived data either: they cannot be rebuilt from the events,
and dropping `delegation_tokens` ends every delegation's token. The tables are made the
first time something is kept, through the store (`EventLog.ensure_table`), and written in
its transactions. Everything here runs on the server's log thread.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from events import EventLog

__all__ = ["PENDING", "TOKENS", "ServerTables", "opening_fields"]

TOKENS = "delegation_tokens"
PENDING = "pending_cases"
_TOKEN_COLUMNS = {"digest": bytes, "case_id": str, "member": str}
_PENDING_COLUMNS = {"case_id": str, "opening": str}


def opening_fields(title: str, council: Any, bodies: Any) -> dict[str, Any]:
    """An `OpenCase`'s arguments besides its id, as JSON values (bodies as mappings)."""
    return {"title": title, "council": None if council is None else list(council),
            "bodies": [attrs.asdict(b) if attrs.has(type(b)) else dict(b) for b in bodies]}


class ServerTables:
    """The server's own tables in one log's file."""

    def __init__(self, events: EventLog) -> None:
        self.events = events

    # -- delegation tokens ---------------------------------------------------------------

    def tokens(self) -> Iterator[tuple[bytes, str, str]]:
        """Every delegation token kept: (digest, case, member)."""
        if self.events.has_table(TOKENS):
            yield from self.events.query(f"select digest, case_id, member from {TOKENS}")

    def keep_token(self, digest: bytes, case: str, member: str) -> None:
        """Keep a delegation's new token (its digest), ending the member's earlier one."""
        with self.events.transaction():  # the old one ends as the new one is kept, or neither
            self.events.ensure_table(TOKENS, _TOKEN_COLUMNS, pk="digest",
                                     not_null=_TOKEN_COLUMNS,
                                     indexes={"delegation_tokens_seat": ("case_id", "member")},
                                     unique=("delegation_tokens_seat",))
            self.events.write(f"delete from {TOKENS} where case_id = ? and member = ?",
                              [(case, member)])
            self.events.write(f"insert into {TOKENS} values (?, ?, ?)",
                              [(digest, case, member)])

    # -- cases opened, not recorded yet --------------------------------------------------

    def openings(self) -> dict[str, dict[str, Any]]:
        """Each pending case's id and its opening's arguments (see `opening_fields`)."""
        if not self.events.has_table(PENDING):
            return {}
        return {id: json.loads(fields) for id, fields in
                self.events.query(f"select case_id, opening from {PENDING} order by rowid")}

    def keep_opening(self, id: str, fields: Mapping[str, Any]) -> None:
        """Keep a case opened but not recorded yet."""
        with self.events.transaction():
            self.events.ensure_table(PENDING, _PENDING_COLUMNS, pk="case_id",
                                     not_null=_PENDING_COLUMNS)
            self.events.write(f"insert or replace into {PENDING} values (?, ?)",
                              [(id, json.dumps(dict(fields), ensure_ascii=False))])

    def drop_opening(self, id: str) -> None:
        """Forget a pending case: its opening is recorded now (or it never will be)."""
        if self.events.has_table(PENDING):
            self.events.write(f"delete from {PENDING} where case_id = ?", [(id,)])
