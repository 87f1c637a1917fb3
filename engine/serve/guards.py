"""What every request goes through before and after its route: the API's own guards.

- every failure is answered as `{"error": message}` JSON, a traceback never leaves the
  server (`endpoint`, `http_error`);
- a request that changes anything (any method but GET and HEAD) must be one that only the
  server's own pages or a program could send, never a form of another site
  (`refuse_cross_site`): its body is declared JSON (`Content-Type: application/json`,
  which an HTML form cannot send) and, when the browser says where it comes from
  (`Origin`), it comes from the server itself;
- a body is at most MAX_BODY bytes and a JSON object (`json_body`); a query number is a
  whole number (`whole`);
- every response says: no content sniffing, no referrer (`SecurityHeaders`).

Together with tokens sent in a header, never in a cookie (`engine.serve.auth`), these are
the protection against cross-site request forgery: docs/serve.md says why.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any, Protocol
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from engine.procedure.errors import (
    CaseExistsError,
    ConcurrencyError,
    ExpectationError,
    NotInOrderError,
    ProcedureError,
    UnknownCaseError,
)
from engine.serve.auth import ApiError

__all__ = ["MAX_BODY", "SecurityHeaders", "endpoint", "error", "http_error", "json_body",
           "refuse_cross_site", "status_of", "whole"]

MAX_BODY = 64 * 1024  # the largest request body, in bytes
SAFE_METHODS = ("GET", "HEAD")  # the methods that change nothing
_WHOLE = re.compile(r"[0-9]{1,18}")
logger = logging.getLogger("procedura.serve")


class Routes(Protocol):
    """What `endpoint` needs of the object whose methods it wraps (`app.Api`)."""

    def plain(self, message: str) -> str: ...


Endpoint = Callable[[Any, Request], Awaitable[Response]]


def status_of(error: ProcedureError) -> int:
    """The HTTP status of a library refusal."""
    if isinstance(error, UnknownCaseError):
        return 404
    if isinstance(error, NotInOrderError | CaseExistsError | ConcurrencyError |
                  ExpectationError):
        return 409
    return 400  # bad input: arguments, votes, members, scenarios, and any other refusal


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """A refusal: `{"error": message}` with its status."""
    return JSONResponse({"error": message}, status, headers=headers)


def endpoint(method: Endpoint) -> Endpoint:
    """A route: refuse what a form of another site could send (before anything is read
    or done), answer every failure as `{"error": ...}`; log, never send, a traceback."""
    @functools.wraps(method)
    async def handle(self: Routes, request: Request) -> Response:
        try:
            if request.method not in SAFE_METHODS:
                refuse_cross_site(request)
            return await method(self, request)
        except ApiError as e:
            return error(e.status, str(e))
        except ProcedureError as e:
            return error(status_of(e), self.plain(str(e)))
        except Exception:
            logger.exception("%s %s failed", request.method, request.url.path)
            return error(500, "internal error: the server could not do this (its log says "
                              "why)")
    return handle


def _authority(netloc: str) -> str:
    """host:port as a browser compares origins: lower case, the scheme's port left out."""
    netloc = netloc.lower()
    for default in (":80", ":443"):
        if netloc.endswith(default):
            return netloc[:-len(default)]
    return netloc


def refuse_cross_site(request: Request) -> None:
    """ApiError unless the request could not have come from another site's form or
    script: 403 for an `Origin` other than the server's own (the `Host` asked for), 415
    for a body not declared `application/json`."""
    origin = request.headers.get("origin")
    if origin is not None:
        parts = urlsplit(origin)
        host = request.headers.get("host", "")
        # "null" (a sandboxed frame, a file) and anything but http(s) are other sites too.
        if parts.scheme not in ("http", "https") or not host or \
                _authority(parts.netloc) != _authority(host):
            raise ApiError(403, f"a request from another site ({origin[:80]}) may not change "
                                "anything here; send it from this server's own pages")
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media != "application/json":
        raise ApiError(415, "the body must be JSON, sent with the header Content-Type: "
                            f"application/json (not {media[:60] or 'none'})")


def whole(name: str, raw: str | None) -> int:
    """A query parameter that must be a whole number (0 when it is not given)."""
    if raw is None:
        return 0
    if not _WHOLE.fullmatch(raw):
        raise ApiError(400, f"{name} must be a whole number (0 or more), not {raw[:40]!r}")
    return int(raw)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object, at most MAX_BODY bytes (413 beyond; 400 if not JSON)."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        raise ApiError(413, f"the body is over {MAX_BODY // 1024} KiB")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:  # no Content-Length, or a false one: counted as it comes
            raise ApiError(413, f"the body is over {MAX_BODY // 1024} KiB")
    try:
        data = json.loads(bytes(body), parse_constant=_reject_constant)
    except (ValueError, RecursionError) as e:
        raise ApiError(400, f"the body is not JSON: {str(e)[:120]}") from None
    if not isinstance(data, dict):
        raise ApiError(400, "the body must be a JSON object")
    return data


async def http_error(request: Request, exc: Exception) -> Response:
    """Unknown routes and methods, as JSON."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"nothing at {request.method} {request.url.path}"
    elif exc.status_code == 405:
        message = f"{request.url.path} does not take {request.method}"
    else:
        message = exc.detail
    return error(exc.status_code, message, dict(exc.headers or {}))


class SecurityHeaders:
    """Every response: no content sniffing, no referrer (a page's URL may hold a token)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Pass the request on; add the two headers to its response."""
        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []),
                                      (b"x-content-type-options", b"nosniff"),
                                      (b"referrer-policy", b"no-referrer")]
            await send(message)
        await self.app(scope, receive, sending)
