"""`surveyor serve`: the HTTP API for writing tools. Parses, calls the Surveyor facade, renders JSON."""

from __future__ import annotations

import hmac
import ipaddress
import json
import threading
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from surveyor.app import Surveyor
from surveyor.errors import NotFound, SurveyorError
from surveyor.records import AnswerEvent, AskEvent, SentenceEvent, SourcesEvent
from surveyor.settings import MAX_QUERY_CHARS
from surveyor.web import add_page, is_page_path

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ErrorBody(BaseModel):
    """Every error response: one message a person can act on."""

    error: str


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (400, "what the corpus cannot do (say, a topic it does not cover)"),
        (401, "missing or wrong bearer token"),
        (404, "no such paper"),
        (413, "request body too large"),
        (422, "malformed request: which field and why"),
        (503, "too many asks and drafts at once: retry after the seconds in Retry-After"),
    )
}


class CitedPaper(BaseModel):
    paper_id: str


class HistoryTurn(BaseModel):
    """A previous exchange; a past /v1/ask response can be passed back as is."""

    question: str = Field(max_length=MAX_QUERY_CHARS)
    answer: str = Field("", max_length=20_000)
    citations: list[CitedPaper] = Field(default_factory=list, max_length=50)


class AskBody(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    k: int = Field(5, ge=1, le=50)
    history: list[HistoryTurn] = Field(default_factory=list, max_length=20)


class DraftBody(BaseModel):
    topic: str = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    format: Literal["json", "markdown", "pandoc", "latex"] = "json"
    max_papers: int = Field(40, ge=2, le=200)
    sections: int | None = Field(None, ge=1, le=20)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Busy(Exception):
    """Every slot for asks and drafts is taken."""


class Admission:
    """At most `limit` asks and drafts at once; one more is refused at once (503) rather than queued
    without bound. Searches, papers and /healthz never take a slot, so they never wait behind an LLM."""

    def __init__(self, limit: int) -> None:
        self._slots = threading.BoundedSemaphore(limit)

    def enter(self) -> Callable[[], None]:
        """Take a slot, or raise Busy; returns the function that gives it back."""
        if not self._slots.acquire(blocking=False):
            raise Busy()
        return self._slots.release


def create_app(
    surveyor: Surveyor,
    *,
    token: str | None = None,
    cors_origins: list[str] | None = None,
    max_body: int = 1 << 20,
    max_requests: int = 16,
) -> FastAPI:
    """The API over one loaded corpus, and the web page at `/`. With `token`, every route but /healthz and the
    page's own files needs `Bearer <token>`."""
    api = FastAPI(
        title="surveyor", version="0.1.0", description="Cited answers and related-work drafts.", responses=_ERRORS
    )
    _errors(api)
    _routes(api, surveyor, Admission(max_requests))
    add_page(api, token_required=bool(token))
    if cors_origins:
        api.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    api.add_middleware(_BodyLimit, max_body=max_body)
    if token:
        api.add_middleware(_BearerAuth, token=token)
    return api


def _routes(api: FastAPI, surveyor: Surveyor, admission: Admission) -> None:
    @api.get("/healthz")
    def healthz() -> dict[str, object]:
        return {"status": "ok", "papers": surveyor.count()}

    @api.get("/v1/search")
    def search(q: str = Query(min_length=1, max_length=MAX_QUERY_CHARS), k: int = Query(10, ge=1, le=100)) -> dict[str, object]:
        return {"query": q, "results": [h.as_dict() for h in surveyor.search(q, k)]}

    streamed: dict[int | str, dict[str, Any]] = {
        200: {
            "content": {"application/json": {}, "text/event-stream": {"schema": _EVENT_SCHEMA}},
            "description": "the answer; with ?stream=true server-sent events: " + _EVENTS,
        }
    }

    @api.post("/v1/ask", response_model=None, responses=streamed)
    def ask(body: AskBody, stream: bool = False) -> dict[str, object] | StreamingResponse:
        release = admission.enter()
        try:
            history = [surveyor.turn(t.question, t.answer, [c.paper_id for c in t.citations]) for t in body.history]
            events = surveyor.ask_events(body.question, body.k, history)
        except BaseException:
            release()
            raise
        if stream:
            return StreamingResponse(_server_sent(events, release), media_type="text/event-stream")
        try:
            return next(e.answer for e in events if isinstance(e, AnswerEvent)).as_dict()
        finally:
            release()

    @api.post("/v1/draft")
    def draft(body: DraftBody) -> dict[str, object]:
        from surveyor.draft.render import payload

        release = admission.enter()
        try:
            drafted = surveyor.draft(body.topic, max_papers=body.max_papers, sections=body.sections)
        finally:
            release()
        return payload(drafted, body.format)

    @api.get("/v1/papers/{paper_id:path}")
    def paper(paper_id: str) -> dict[str, object]:
        import dataclasses

        return dataclasses.asdict(surveyor.paper(paper_id))


_EVENTS = (
    "`sources` {\"standalone\", \"results\": [search results]} once retrieved; then one `sentence` "
    "{\"text\", \"citations\": [citations of this sentence, numbered as in the final answer, each with this "
    "sentence's verdict: supported, score, quote, reason]} per verified sentence; then `answer` (the whole "
    "ask response); or `error` {\"error\"}."
)


_EVENT_SCHEMA = {
    "type": "object",
    "required": ["event", "data"],
    "properties": {
        "event": {"enum": ["sources", "sentence", "answer", "error"]},
        "data": {"type": "string", "contentMediaType": "application/json"},
    },
}


def event_data(event: AskEvent) -> tuple[str, dict[str, object]]:
    """An ask event as (SSE event name, JSON data)."""
    if isinstance(event, SourcesEvent):
        return "sources", {"standalone": event.standalone, "results": [h.as_dict() for h in event.hits]}
    if isinstance(event, SentenceEvent):
        return "sentence", event.sentence.as_dict()
    return "answer", event.answer.as_dict()


def _server_sent(events: Iterator[AskEvent], release: Callable[[], None]) -> Iterator[str]:
    """The ask events as server-sent events; a failure midway is an `error` event. The slot is given back
    when the stream ends, or when the client goes away (which also closes the LLM's stream)."""
    try:
        for event in events:
            name, data = event_data(event)
            yield f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
    except SurveyorError as exc:
        yield f"event: error\ndata: {json.dumps({'error': str(exc)})}\n\n"
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            close()
        release()


def _errors(api: FastAPI) -> None:
    """Errors are JSON with a message: 400 for what the user can fix, 404, 422 for bad requests."""

    @api.exception_handler(SurveyorError)
    async def surveyor_error(request: Request, exc: SurveyorError) -> JSONResponse:
        status = 404 if isinstance(exc, NotFound) else 400
        return JSONResponse({"error": str(exc)}, status_code=status)

    @api.exception_handler(Busy)
    async def busy(request: Request, exc: Busy) -> JSONResponse:
        return JSONResponse(
            {"error": "the server is answering as many asks and drafts as it may; try again shortly"},
            status_code=503,
            headers={"Retry-After": "2"},
        )

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Unknown routes and methods too: the same {"error"} shape as everything else.
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @api.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return JSONResponse({"error": "; ".join(problems)}, status_code=422)

    @api.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"error": f"internal error ({type(exc).__name__})"}, status_code=500)


class _BearerAuth:
    """Every route but /healthz and the page (which holds no data) needs `Authorization: Bearer <token>`
    (compared in constant time)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not _public(scope):
            given = dict(scope["headers"]).get(b"authorization", b"")
            if not hmac.compare_digest(given, self.expected):
                await _reject(send, 401, "missing or wrong bearer token")
                return
        await self.app(scope, receive, send)


def _public(scope: Scope) -> bool:
    path: str = scope["path"]
    return path == "/healthz" or is_page_path(path) or scope["method"] == "OPTIONS"


class _BodyLimit:
    """Refuses bodies over `max_body` bytes, whether announced by Content-Length or streamed."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await _reject(send, 413, f"request body over {self.max_body} bytes")
            return
        # A chunked body announces no length: read it (up to the limit) before the app sees any of it.
        messages: list[Message] = []
        size, more = 0, True
        while more:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            more = message["type"] == "http.request" and message.get("more_body", False)
            if size > self.max_body:
                await _reject(send, 413, f"request body over {self.max_body} bytes")
                return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


async def _reject(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
