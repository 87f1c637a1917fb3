"""Who is asking: the chair, a delegation of one case, or nobody.

Requests carry `Authorization: Bearer TOKEN`. The chair has one token (given at start or
generated); the chair issues each delegation its own, for one member in one case. Tokens
are kept only as SHA-256 digests, in memory (a restart ends every delegation's token),
and compared with `hmac.compare_digest`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

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


class Tokens:
    """The chair's token and the delegations' tokens, as digests."""

    def __init__(self, chair: str) -> None:
        if not chair:
            raise ValueError("the chair's token must not be empty")
        self._chair = _digest(chair)
        self._delegations: dict[bytes, Caller] = {}

    def issue(self, case: str, member: str) -> str:
        """A new token for `member` in `case`; the member's earlier token stops working."""
        for digest, caller in list(self._delegations.items()):
            if caller == Caller(case, member):
                del self._delegations[digest]
        token = secrets.token_urlsafe(24)
        self._delegations[_digest(token)] = Caller(case, member)
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
                                "chair issues it again or the server restarts)")
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
