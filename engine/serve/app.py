"""The Starlette app of `procedura serve`: a JSON API over the library for a live session.

Anyone may read (the cases, a case's state and events, the live event stream, the page);
only the chair records actions and issues delegations their tokens; a delegation casts
its own ballots. Every answer is JSON; a refusal is `{"error": message}` with the
library's own message, and nothing is appended. What every route goes through first (no
request of another site's form or script records anything, bodies are bounded) is in
`engine.serve.guards`; what a restart must not lose, in `engine.serve.store`.
docs/serve.md lists the routes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import threading
from collections.abc import AsyncIterator
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
from engine.serve.auth import ApiError, Tokens
from engine.serve.guards import (
    MAX_BODY,
    SecurityHeaders,
    endpoint,
    http_error,
    json_body,
    status_of,
    whole,
)
from engine.serve.notify import Wakeup
from engine.serve.page import (
    browse_page,
    case_diagram,
    case_path,
    in_order,
    mark_pending,
    next_vote,
    pending_items,
    qr_code,
    render_index,
    render_page,
    script,
)
from engine.serve.session import STREAM_BATCH, Narrator, Session, state_json
from engine.serve.worker import Worker

__all__ = ["MAX_BODY", "Api", "create_app", "status_of"]

PAGE_BACKLOG = 200  # the page shows the last events of the log, then follows it
logger = logging.getLogger("procedura.serve")


class Api:
    """The routes over one session: its log thread, its tokens, its log file."""

    def __init__(self, db: str, chair_token: str, poll: float = 0.1,
                 keepalive: float = 15.0) -> None:
        self.db, self.poll, self.keepalive = db, poll, keepalive
        if not chair_token:
            raise ValueError("the chair's token must not be empty")
        self.worker = Worker()
        try:
            self.session, self.tokens = self.worker.call(self._open, chair_token)
        except BaseException:
            self.worker.close()
            raise
        self._closed = False
        self.stopping = threading.Event()
        self.wakeup = Wakeup(db, poll)

    def _open(self, chair_token: str) -> tuple[Session, Tokens]:
        """On the log thread: the log, the cases opened and the delegations' tokens kept
        in it (a restart loses none of them), and the chair's token."""
        log = open_log(self.db)
        try:
            session = Session(log)
            return session, Tokens(chair_token, session.tables)
        except BaseException:
            log.close()
            raise

    def stop(self) -> None:
        """End every event stream now (the server is shutting down)."""
        self.stopping.set()

    def close(self) -> None:
        """Close the log and stop its thread (the app's shutdown does it)."""
        if not self._closed:
            self._closed = True
            self.wakeup.close()
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
               "img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
               "frame-ancestors 'none'")  # img-src: the QR codes of delegations' links
        diagram = case_diagram(path) if page == "projector" else ""
        return HTMLResponse(render_page(page, case, after, nonce, diagram),
                            headers={"Content-Security-Policy": csp,
                                     "Cache-Control": "no-store"})

    @endpoint
    async def browse(self, request: Request) -> Response:
        id = request.query_params.get("case")
        if not id:
            raise ApiError(400, "the case browser needs a case: /case?case=ID")

        def page() -> tuple[str, str]:  # on the log thread: the page as it stands, then
            after = self.session.log.events.count()  # what is recorded after it
            return browse_page(self.session.log, id, after, secrets.token_urlsafe(16))

        html, csp = await self.worker(page)
        return HTMLResponse(html, headers={"Content-Security-Policy": csp,
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
        order = in_order(case)
        # What is before the body too, as the projector lists it: one list, drawn here.
        return {"case": case.id, "version": case.version, "in_order": order,
                "actions": [s._asdict() for s in case.standing()],
                "pending": pending_items(state_json(case)), "next_vote": next_vote(order)}

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
        after = whole("after", request.query_params.get("after"))
        return JSONResponse(await self.worker(self.session.events,
                                              request.path_params["id"], after))

    @endpoint
    async def stream(self, request: Request) -> Response:
        after = whole("after", request.query_params.get("after"))
        if "last-event-id" in request.headers:  # EventSource reconnecting
            after = whole("Last-Event-ID", request.headers["last-event-id"])
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
                idle += await self.wakeup.sleep()  # NOTIFY on PostgreSQL, else a poll
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
        member, token = await self.worker(self._issue, case, body)
        query = f"?case={quote(case, safe='')}&member={quote(member, safe='')}&token={token}"
        base = str(request.base_url).rstrip("/")
        page = f"{base}/delegation{query}"  # the delegation's own view
        return JSONResponse({"case": case, "member": member, "token": token,
                             "url": f"{base}/{query}", "page": page, "qr": qr_code(page)},
                            201)

    def _issue(self, case: str, body: dict[str, Any]) -> tuple[str, str]:
        """On the log thread: the member's seat and a new token, kept in the log's file."""
        member = self.session.seat(case, body)
        return member, self.tokens.issue(case, member)

    @endpoint
    async def ballot(self, request: Request) -> Response:
        case = request.path_params["id"]
        caller = self.tokens.delegation(request.headers.get("authorization"), case)
        body = await json_body(request)
        assert caller.member is not None
        return JSONResponse(await self.worker(self.session.ballot, case, caller.member, body))

    @endpoint
    async def request(self, request: Request) -> Response:
        case = request.path_params["id"]
        caller = self.tokens.delegation(request.headers.get("authorization"), case)
        body = await json_body(request)
        assert caller.member is not None
        return JSONResponse(await self.worker(self.session.request, case, caller.member,
                                              body))

    @endpoint
    async def fork(self, request: Request) -> Response:
        self.tokens.chair(request.headers.get("authorization"))
        body = await json_body(request)
        return JSONResponse(await self.worker(self.session.fork, request.path_params["id"],
                                              body), 201)


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
        Route("/case", api.browse, methods=["GET"]),
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
        Route("/api/cases/{id}/requests", api.request, methods=["POST"]),
        Route("/api/cases/{id}/fork", api.fork, methods=["POST"]),
        Route("/api/stream", api.stream, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: http_error})
    app.add_middleware(SecurityHeaders)
    app.state.api = api
    return app
