"""Who is asking: the chair, a delegation of one case, or nobody.

Requests carry `Authorization: Bearer TOKEN`. The chair has one token (given at start or
generated); the chair issues each delegation its own, for one member in one case. Tokens
are kept only as SHA-256 digests and compared with `hmac.compare_digest`. The chair's
lives in memory only (the server is given it, or makes one, at every start); the
delegations' are also written to the log's file (`engine.serve.store`), so a restart
keeps every delegation's token valid.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import Protocol

import attrs

__all__ = ["ApiError", "Caller", "Tokens"]


class ApiError(Exception):
    """A refusal of the API itself (no token, wrong role, body too large): its status
    and message. The library's refusals are `ProcedureError`s."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@attrs.frozen(slots=True)
class Caller:
    """The chair (case and member None) or the delegation of `member` in `case`."""

    case: str | None = None
    member: str | None = None

    @property
    def chair(self) -> bool:
        return self.member is None


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest()


class Kept(Protocol):
    """Where the delegations' digests outlive the process (`store.ServerTables`)."""

    def tokens(self) -> Iterable[tuple[bytes, str, str]]: ...

    def keep_token(self, digest: bytes, case: str, member: str) -> None: ...


class Tokens:
    """The chair's token and the delegations' tokens, as digests.

    With `kept`, the delegations' digests are read from it now and each new one is kept
    there before it is handed out; `issue` then runs where `kept` may be written (the
    log's thread), while `caller` may run anywhere.
    """

    def __init__(self, chair: str, kept: Kept | None = None) -> None:
        if not chair:
            raise ValueError("the chair's token must not be empty")
        self._chair = _digest(chair)
        self._kept = kept
        self._delegations: dict[bytes, Caller] = {
            digest: Caller(case, member) for digest, case, member in
            (kept.tokens() if kept is not None else ())}

    def issue(self, case: str, member: str) -> str:
        """A new token for `member` in `case`; the member's earlier token stops working."""
        token = secrets.token_urlsafe(24)
        digest, seat = _digest(token), Caller(case, member)
        if self._kept is not None:  # kept first: a token handed out survives a restart
            self._kept.keep_token(digest, case, member)
        # A new dict, not the old one changed: `caller` may be reading it on another thread.
        self._delegations = {**{d: c for d, c in self._delegations.items() if c != seat},
                             digest: seat}
        return token

    def caller(self, authorization: str | None) -> Caller:
        """Who holds the token of an Authorization header; ApiError 401 for none."""
        if not authorization:
            raise ApiError(401, "this needs a token: send the header Authorization: Bearer "
                                "TOKEN")
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise ApiError(401, "the Authorization header must read: Bearer TOKEN")
        digest = _digest(token)
        if hmac.compare_digest(digest, self._chair):
            return Caller()
        found = None
        for known, caller in self._delegations.items():  # every one, found or not
            if hmac.compare_digest(digest, known):
                found = caller
        if found is None:
            raise ApiError(401, "the token is not valid (a delegation's token ends when the "
                                "chair issues the member another)")
        return found

    def chair(self, authorization: str | None) -> Caller:
        """The chair, or ApiError: 401 without a valid token, 403 for a delegation."""
        caller = self.caller(authorization)
        if not caller.chair:
            raise ApiError(403, f"only the chair may do this; the token is {caller.member}'s "
                                f"in {caller.case!r}")
        return caller

    def delegation(self, authorization: str | None, case: str) -> Caller:
        """The delegation in `case`, or ApiError: 401 without a valid token, 403 for the
        chair or a delegation of another case."""
        caller = self.caller(authorization)
        if caller.chair:
            raise ApiError(403, "only a delegation casts a ballot: the chair issues each "
                                "member a token (POST /api/cases/ID/delegations)")
        if caller.case != case:
            raise ApiError(403, f"the token is {caller.member}'s in {caller.case!r}, not in "
                                f"{case!r}")
        return caller
