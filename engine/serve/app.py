"""The Starlette app of `procedura serve`: a JSON API over the library for a live session.

Anyone may read (the cases, a case's state and events, the live event stream, the page);
only the chair records actions and issues delegations their tokens; a delegation casts
its own ballots. Every answer is JSON; a refusal is `{"error": message}` with the
library's own message, and nothing is appended. docs/serve.md lists the routes.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import re
import secrets
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from engine.app.log import open as open_log
from engine.app.scenarios import ACTION_PARAMS
from engine.procedure.errors import (
    CaseExistsError,
    ConcurrencyError,
    ExpectationError,
    NotInOrderError,
    ProcedureError,
    UnknownCaseError,
)
from engine.serve.auth import ApiError, Tokens
from engine.serve.page import (
    case_diagram,
    case_path,
    in_order,
    mark_pending,
    next_vote,
    pending_items,
    render_index,
    render_page,
    script,
)
from engine.serve.session import STREAM_BATCH, Narrator, Session, state_json
from engine.serve.worker import Worker

__all__ = ["MAX_BODY", "Api", "create_app", "status_of"]

MAX_BODY = 64 * 1024  # the largest request body, in bytes
PAGE_BACKLOG = 200  # the page shows the last events of the log, then follows it
_WHOLE = re.compile(r"[0-9]{1,18}")
logger = logging.getLogger("procedura.serve")
Endpoint = Callable[["Api", Request], Awaitable[Response]]


def status_of(error: ProcedureError) -> int:
    """The HTTP status of a library refusal."""
    if isinstance(error, UnknownCaseError):
        return 404
    if isinstance(error, NotInOrderError | CaseExistsError | ConcurrencyError |
                  ExpectationError):
        return 409
    return 400  # bad input: arguments, votes, members, scenarios, and any other refusal


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status, headers=headers)


def endpoint(method: Endpoint) -> Endpoint:
    """Answer every failure as `{"error": ...}`; log, never send, a traceback."""
    @functools.wraps(method)
    async def handle(self: Api, request: Request) -> Response:
        try:
            return await method(self, request)
        except ApiError as e:
            return _error(e.status, str(e))
        except ProcedureError as e:
            return _error(status_of(e), self.plain(str(e)))
        except Exception:
            logger.exception("%s %s failed", request.method, request.url.path)
            return _error(500, "internal error: the server could not do this (its log says "
                               "why)")
    return handle


def _whole(name: str, raw: str | None) -> int:
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
        if len(body) > MAX_BODY:
            raise ApiError(413, f"the body is over {MAX_BODY // 1024} KiB")
    try:
        data = json.loads(bytes(body), parse_constant=_reject_constant)
    except (ValueError, RecursionError) as e:
        raise ApiError(400, f"the body is not JSON: {str(e)[:120]}") from None
    if not isinstance(data, dict):
        raise ApiError(400, "the body must be a JSON object")
    return data


class Api:
    """The routes over one session: its log thread, its tokens, its log file."""

    def __init__(self, db: str, chair_token: str, poll: float = 0.1,
                 keepalive: float = 15.0) -> None:
        self.db, self.poll, self.keepalive = db, poll, keepalive
        self.tokens = Tokens(chair_token)
        self.worker = Worker()
        try:
            self.session = Session(self.worker.call(open_log, db))
        except BaseException:
            self.worker.close()
            raise
        self._closed = False
        self.stopping = threading.Event()

    def stop(self) -> None:
        """End every event stream now (the server is shutting down)."""
        self.stopping.set()

    def close(self) -> None:
        """Close the log and stop its thread (the app's shutdown does it)."""
        if not self._closed:
            self._closed = True
            self.worker.call(self.session.close)
            self.worker.close()

    def plain(self, message: str) -> str:
        """A library message, without the server's folders (the log file's name stays)."""
        return message.replace(self.db, Path(self.db).name) if self.db != ":memory:" \
            else message

    # -- reading: anyone -----------------------------------------------------------------

    @endpoint
    async def index(self, request: Request) -> Response:
        cases, count = await self.worker(self.session.overview)
        nonce = secrets.token_urlsafe(16)
        csp = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
               "connect-src 'self'; base-uri 'none'; form-action 'none'; "
               "frame-ancestors 'none'")
        return HTMLResponse(render_index(cases, max(0, count - PAGE_BACKLOG), nonce),
                            headers={"Content-Security-Policy": csp})

    def _page_data(self, id: str) -> tuple[dict[str, Any], list[str], int]:
        """The case's state JSON, the states it passed and where its page's stream starts."""
        case = self.session.case(id)  # UnknownCaseError if there is none
        if not case.version:  # opened here, not recorded yet
            return state_json(case), [case.state], self.session.log.events.count()
        path, after = case_path(self.session.log, id)
        return state_json(case), path, after

    async def _page(self, request: Request, page: str) -> Response:
        id = request.query_params.get("case")
        if not id:
            raise ApiError(400, f"the {page} page needs a case: /{page}?case=ID")
        case, path, after = await self.worker(self._page_data, id)
        nonce = secrets.token_urlsafe(16)
        csp = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
               "connect-src 'self'; base-uri 'none'; form-action 'none'; "
               "frame-ancestors 'none'")
        diagram = case_diagram(path) if page == "projector" else ""
        return HTMLResponse(render_page(page, case, after, nonce, diagram),
                            headers={"Content-Security-Policy": csp,
                                     "Cache-Control": "no-store"})

    @endpoint
    async def chair_page(self, request: Request) -> Response:
        return await self._page(request, "chair")

    @endpoint
    async def delegation_page(self, request: Request) -> Response:
        return await self._page(request, "delegation")

    @endpoint
    async def projector_page(self, request: Request) -> Response:
        return await self._page(request, "projector")

    @endpoint
    async def live_script(self, request: Request) -> Response:
        return Response(script(), media_type="text/javascript",
                        headers={"Cache-Control": "no-cache"})

    @endpoint
    async def actions(self, request: Request) -> Response:
        return JSONResponse({name: {key: {"kind": p.kind, "required": p.required}
                                    for key, p in params.items()}
                             for name, params in ACTION_PARAMS.items()})

    def _in_order(self, id: str) -> dict[str, Any]:
        case = self.session.case(id)
        return {"case": case.id, "version": case.version, "in_order": in_order(case)}

    @endpoint
    async def next(self, request: Request) -> Response:
        return JSONResponse(await self.worker(self._in_order, request.path_params["id"]))

    @endpoint
    async def diagram(self, request: Request) -> Response:
        def marked(id: str) -> str:  # on the log thread: the graph, what is before the body
            case, path, _ = self._page_data(id)
            order = in_order(self.session.case(id))
            return mark_pending(case_diagram(path), pending_items(case), next_vote(order))

        svg = await self.worker(marked, request.path_params["id"])
        return Response(svg, media_type="image/svg+xml",
                        headers={"Content-Security-Policy": "default-src 'none'"})

    @endpoint
    async def cases(self, request: Request) -> Response:
        return JSONResponse(await self.worker(self.session.cases))

    @endpoint
    async def case(self, request: Request) -> Response:
        return JSONResponse(await self.worker(self.session.state, request.path_params["id"]))

    @endpoint
    async def events(self, request: Request) -> Response:
        after = _whole("after", request.query_params.get("after"))
        return JSONResponse(await self.worker(self.session.events,
                                              request.path_params["id"], after))

    @endpoint
    async def stream(self, request: Request) -> Response:
        after = _whole("after", request.query_params.get("after"))
        if "last-event-id" in request.headers:  # EventSource reconnecting
            after = _whole("Last-Event-ID", request.headers["last-event-id"])
        follow = request.query_params.get("follow", "1") not in ("0", "false", "no")
        narrator = await self.worker(self._reader)
        return StreamingResponse(
            self._messages(request, narrator, after, follow), media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    def _reader(self) -> Narrator:
        """The stream's own read of the log (it sees every process's commits)."""
        if self.db == ":memory:":
            return Narrator(self.session.log, own=False)
        return Narrator(open_log(self.db, readonly=True), own=True)

    async def _messages(self, request: Request, narrator: Narrator, position: int,
                        follow: bool) -> AsyncIterator[str]:
        idle = 0.0
        try:
            while True:
                batch = await self.worker(narrator.after, position)
                for position, message in batch:
                    yield f"id: {position}\ndata: {json.dumps(message, ensure_ascii=False)}\n\n"
                if len(batch) == STREAM_BATCH:
                    continue  # more are waiting
                if batch:
                    idle = 0.0
                elif not follow:
                    return
                if self.stopping.is_set() or await request.is_disconnected():
                    return
                await asyncio.sleep(self.poll)
                idle += self.poll
                if idle >= self.keepalive:
                    idle = 0.0
                    yield ": keep-alive\n\n"
        except Exception:
            logger.exception("the event stream after position %s failed", position)
        finally:
            self.worker.submit(narrator.close)

    # -- recording: the chair, and delegations' ballots ----------------------------------

    @endpoint
    async def open_case(self, request: Request) -> Response:
        self.tokens.chair(request.headers.get("authorization"))
        body = await json_body(request)
        return JSONResponse(await self.worker(self.session.open_case, body), 201)

    @endpoint
    async def act(self, request: Request) -> Response:
        self.tokens.chair(request.headers.get("authorization"))
        body = await json_body(request)
        return JSONResponse(await self.worker(self.session.act, request.path_params["id"],
                                              body, "chair"))

    @endpoint
    async def delegation(self, request: Request) -> Response:
        self.tokens.chair(request.headers.get("authorization"))
        body = await json_body(request)
        case = request.path_params["id"]
        member = await self.worker(self.session.seat, case, body)
        token = self.tokens.issue(case, member)
        url = f"{str(request.base_url).rstrip('/')}/?case={quote(case, safe='')}" \
              f"&member={quote(member, safe='')}&token={token}"
        return JSONResponse({"case": case, "member": member, "token": token, "url": url}, 201)

    @endpoint
    async def ballot(self, request: Request) -> Response:
        case = request.path_params["id"]
        caller = self.tokens.delegation(request.headers.get("authorization"), case)
        body = await json_body(request)
        assert caller.member is not None
        return JSONResponse(await self.worker(self.session.ballot, case, caller.member, body))

    @endpoint
    async def fork(self, request: Request) -> Response:
        self.tokens.chair(request.headers.get("authorization"))
        body = await json_body(request)
        return JSONResponse(await self.worker(self.session.fork, request.path_params["id"],
                                              body), 201)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Unknown routes and methods, as JSON."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"nothing at {request.method} {request.url.path}"
    elif exc.status_code == 405:
        message = f"{request.url.path} does not take {request.method}"
    else:
        message = exc.detail
    return _error(exc.status_code, message, dict(exc.headers or {}))


class _Headers:
    """Every response: no content sniffing, no referrer (a page's URL may hold a token)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []),
                                      (b"x-content-type-options", b"nosniff"),
                                      (b"referrer-policy", b"no-referrer")]
            await send(message)
        await self.app(scope, receive, sending)


def create_app(db: str | Path, chair_token: str, *, poll: float = 0.1,
               keepalive: float = 15.0) -> Starlette:
    """The app over the log at `db` (opened, or created, now), with the chair's token.

    `poll` is how often the event stream looks for new events, `keepalive` how long it
    stays silent before it sends a comment, in seconds.
    """
    api = Api(str(db), chair_token, poll, keepalive)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        api.close()

    routes = [
        Route("/", api.index, methods=["GET"]),
        Route("/chair", api.chair_page, methods=["GET"]),
        Route("/delegation", api.delegation_page, methods=["GET"]),
        Route("/projector", api.projector_page, methods=["GET"]),
        Route("/static/live.js", api.live_script, methods=["GET"]),
        Route("/api/actions", api.actions, methods=["GET"]),
        Route("/api/cases", api.cases, methods=["GET"]),
        Route("/api/cases", api.open_case, methods=["POST"]),
        Route("/api/cases/{id}", api.case, methods=["GET"]),
        Route("/api/cases/{id}/events", api.events, methods=["GET"]),
        Route("/api/cases/{id}/in_order", api.next, methods=["GET"]),
        Route("/api/cases/{id}/diagram.svg", api.diagram, methods=["GET"]),
        Route("/api/cases/{id}/actions", api.act, methods=["POST"]),
        Route("/api/cases/{id}/delegations", api.delegation, methods=["POST"]),
        Route("/api/cases/{id}/ballots", api.ballot, methods=["POST"]),
        Route("/api/cases/{id}/fork", api.fork, methods=["POST"]),
        Route("/api/stream", api.stream, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: _http_error})
    app.add_middleware(_Headers)
    app.state.api = api
    return app
