"""`surveyor serve`: the HTTP API for writing tools. Parses, calls the Surveyor facade, renders JSON."""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from surveyor.app import Surveyor
from surveyor.errors import SurveyorError
from surveyor.records import Answer, Hit
from surveyor.settings import MAX_QUERY_CHARS

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


def create_app(
    surveyor: Surveyor, *, token: str | None = None, cors_origins: list[str] | None = None, max_body: int = 1 << 20
) -> FastAPI:
    """The API over one loaded corpus. With `token`, every route but /healthz needs `Bearer <token>`."""
    api = FastAPI(
        title="surveyor", version="0.1.0", description="Cited answers and related-work drafts.", responses=_ERRORS
    )
    _errors(api)
    _routes(api, surveyor)
    if cors_origins:
        api.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    api.add_middleware(_BodyLimit, max_body=max_body)
    if token:
        api.add_middleware(_BearerAuth, token=token)
    return api


def _routes(api: FastAPI, surveyor: Surveyor) -> None:
    @api.get("/healthz")
    def healthz() -> dict[str, object]:
        return {"status": "ok", "papers": len(surveyor.papers())}

    @api.get("/v1/search")
    def search(q: str = Query(min_length=1, max_length=MAX_QUERY_CHARS), k: int = Query(10, ge=1, le=100)) -> dict[str, object]:
        return {"query": q, "results": [h.as_dict() for h in surveyor.search(q, k)]}

    streamed: dict[int | str, dict[str, Any]] = {
        200: {"content": {"application/json": {}, "text/event-stream": {}}, "description": "the answer"}
    }

    @api.post("/v1/ask", response_model=None, responses=streamed)
    def ask(body: AskBody, stream: bool = False) -> dict[str, object] | StreamingResponse:
        history = [surveyor.turn(t.question, t.answer, [c.paper_id for c in t.citations]) for t in body.history]
        events = surveyor.ask_events(body.question, body.k, history)
        if stream:
            return StreamingResponse(_server_sent(events), media_type="text/event-stream")
        *_, (_, answer) = events
        assert isinstance(answer, Answer)
        return answer.as_dict()

    @api.post("/v1/draft")
    def draft(body: DraftBody) -> dict[str, object]:
        from surveyor.draft.render import payload

        return payload(surveyor.draft(body.topic, max_papers=body.max_papers, sections=body.sections), body.format)

    @api.get("/v1/papers/{paper_id:path}")
    def paper(paper_id: str) -> dict[str, object]:
        import dataclasses

        return dataclasses.asdict(surveyor.paper(paper_id))


def _server_sent(events: Iterator[tuple[str, object]]) -> Iterator[str]:
    """`sources` as soon as retrieval is done, then the verified `answer`, as server-sent events."""
    try:
        for name, value in events:
            if name == "sources":
                assert isinstance(value, list)
                data: object = [h.as_dict() for h in value if isinstance(h, Hit)]
            else:
                assert isinstance(value, Answer)
                data = value.as_dict()
            yield f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
    except SurveyorError as exc:
        yield f"event: error\ndata: {json.dumps({'error': str(exc)})}\n\n"


def _errors(api: FastAPI) -> None:
    """Errors are JSON with a message: 400 for what the user can fix, 404, 422 for bad requests."""

    @api.exception_handler(SurveyorError)
    async def surveyor_error(request: Request, exc: SurveyorError) -> JSONResponse:
        status = 404 if str(exc).startswith("no paper ") else 400
        return JSONResponse({"error": str(exc)}, status_code=status)

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
    """Every route but /healthz needs `Authorization: Bearer <token>` (compared in constant time)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] != "/healthz" and scope["method"] != "OPTIONS":
            given = dict(scope["headers"]).get(b"authorization", b"")
            if not hmac.compare_digest(given, self.expected):
                await _reject(send, 401, "missing or wrong bearer token")
                return
        await self.app(scope, receive, send)


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
