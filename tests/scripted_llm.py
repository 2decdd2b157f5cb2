"""A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions protocol with scripted replies,
streamed (server-sent events) when the client asks for a stream, and broken in scripted ways."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal


def source_id(prompt: str, title_fragment: str) -> int:
    """The number the request gave the source whose title contains `title_fragment`."""
    # An answer's sources are 'Source [n] Title' lines; a draft theme's are fenced '<source id="n">' blocks.
    sources = re.findall(r"(?m)^Source \[(\d+)\] ([^\n]*)", prompt) + re.findall(r'<source id="(\d+)">\nTitle: ([^\n]*)', prompt)
    for number, title in sources:
        if title_fragment in title:
            return int(number)
    raise AssertionError(f"no source titled like {title_fragment!r} was sent")


# A reply is text, or a function of the prompt (system + user text) returning text.
Content = str | Callable[[str], str]
# How a streamed reply goes wrong: "sse" does not; "json" answers a stream request with a plain completion
# (a server without streaming); "cut" closes the connection midway; "badjson" sends a chunk that is not
# JSON; "garbage" sends bytes that are not server-sent events; "stall" stops sending midway and waits.
StreamMode = Literal["sse", "json", "cut", "badjson", "garbage", "stall"]


@dataclass
class Reply:
    content: Content = ""
    status: int = 200
    delay: float = 0.0  # before the first byte
    chunk_delay: float = 0.0  # between streamed pieces
    mode: StreamMode = "sse"
    usage: bool = True  # a final usage chunk when the client asks for one
    gate: threading.Event | None = None  # the reply waits for it to be set


@dataclass
class ScriptedLLM:
    """Replies are served in order; the last one repeats. Every request body is kept."""

    url: str
    replies: list[Reply] = field(default_factory=list)
    requests: list[dict[str, object]] = field(default_factory=list)
    abandoned: int = 0  # streams the client closed before the end
    sent: int = 0  # pieces streamed so far (all replies)
    in_flight: int = 0
    max_in_flight: int = 0  # the most requests answered at once
    scripts: int = 0  # how many times `script` was called (a stalled reply ends at the next one)
    timeline: list[tuple[float, str]] = field(default_factory=list)  # (time.monotonic(), piece) of each piece sent
    lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, *replies: Reply | str) -> None:
        with self.lock:
            self.replies[:] = [r if isinstance(r, Reply) else Reply(r) for r in replies]
            self.requests.clear()
            self.abandoned = self.sent = self.max_in_flight = 0
            self.scripts += 1
            self.timeline.clear()

    def prompt(self, index: int = -1) -> str:
        messages = self.requests[index]["messages"]
        assert isinstance(messages, list)
        return "\n".join(str(m["content"]) for m in messages)

    def _next(self, body: dict[str, object]) -> Reply:
        with self.lock:
            self.requests.append(body)
            return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]

    @contextmanager
    def _answering(self) -> Iterator[None]:
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            yield
        finally:
            with self.lock:
                self.in_flight -= 1


def _pieces(text: str) -> list[str]:
    """The text in small pieces, as a model streams tokens: a word and its following space."""
    pieces, current = [], ""
    for char in text:
        current += char
        if char == " ":
            pieces.append(current)
            current = ""
    return pieces + ([current] if current else [])


def _handler(llm: ScriptedLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            reply = llm._next(body)
            with llm._answering():
                self._reply(body, reply)

        def _reply(self, body: dict[str, object], reply: Reply) -> None:
            if reply.gate is not None:
                reply.gate.wait(30)
            time.sleep(reply.delay)
            if reply.status != 200:
                self._send(reply.status, {"error": {"message": "scripted failure", "type": "server_error"}})
                return
            prompt = "\n".join(str(m["content"]) for m in body["messages"])
            text = reply.content(prompt) if callable(reply.content) else reply.content
            usage = {"prompt_tokens": len(prompt.split()), "completion_tokens": len(text.split()),
                     "total_tokens": len(prompt.split()) + len(text.split())}
            if body.get("stream") and reply.mode != "json":
                self._stream(body, reply, text, usage)
                return
            self._send(200, {
                "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": body["model"],
                "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
                "usage": usage,
            })

        def _stream(self, body: dict[str, object], reply: Reply, text: str, usage: dict[str, int]) -> None:
            pieces = _pieces(text)
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                if reply.mode == "garbage":
                    self.wfile.write(b"\x00\xff<html>not an event stream</html>\n\n")
                    return
                for i, piece in enumerate(pieces):
                    if reply.mode in ("cut", "badjson", "stall") and i == len(pieces) // 2:
                        if reply.mode == "badjson":
                            self.wfile.write(b'data: {"choices": [{"delta": {"content": \n\n')
                        elif reply.mode == "stall":
                            self.wfile.flush()
                            script = llm.scripts
                            for _ in range(600):  # until the test scripts the next reply (at most 30 s)
                                if llm.scripts != script:
                                    break
                                time.sleep(0.05)
                        return  # the connection closes without [DONE]
                    self._event(body, {"index": 0, "delta": {"content": piece}, "finish_reason": None})
                    with llm.lock:
                        llm.sent += 1
                        llm.timeline.append((time.monotonic(), piece))
                    time.sleep(reply.chunk_delay)
                self._event(body, {"index": 0, "delta": {}, "finish_reason": "stop"})
                options = body.get("stream_options")
                if reply.usage and isinstance(options, dict) and options.get("include_usage"):
                    self._event(body, None, usage)
                self.wfile.write(b"data: [DONE]\n\n")
            except (BrokenPipeError, ConnectionResetError):
                with llm.lock:
                    llm.abandoned += 1

        def _event(self, body: dict[str, object], choice: dict[str, object] | None, usage: dict[str, int] | None = None) -> None:
            chunk = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 0, "model": body["model"],
                     "choices": [choice] if choice else [], "usage": usage}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()

        def _send(self, status: int, payload: dict[str, object]) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def scripted_llm() -> Iterator[ScriptedLLM]:
    llm = ScriptedLLM(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(llm))
    server.daemon_threads = True
    llm.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield llm
    finally:
        server.shutdown()
        server.server_close()
