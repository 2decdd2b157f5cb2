"""A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions protocol with scripted replies."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A reply is text, or a function of the prompt (system + user text) returning text.
Content = str | Callable[[str], str]


@dataclass
class Reply:
    content: Content = ""
    status: int = 200
    delay: float = 0.0


@dataclass
class ScriptedLLM:
    """Replies are served in order; the last one repeats. Every request body is kept."""

    url: str
    replies: list[Reply] = field(default_factory=list)
    requests: list[dict[str, object]] = field(default_factory=list)

    def script(self, *replies: Reply | str) -> None:
        self.replies[:] = [r if isinstance(r, Reply) else Reply(r) for r in replies]
        self.requests.clear()

    def prompt(self, index: int = -1) -> str:
        messages = self.requests[index]["messages"]
        assert isinstance(messages, list)
        return "\n".join(str(m["content"]) for m in messages)

    def _next(self) -> Reply:
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


def _handler(llm: ScriptedLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            llm.requests.append(body)
            reply = llm._next()
            time.sleep(reply.delay)
            if reply.status != 200:
                self._send(reply.status, {"error": {"message": "scripted failure", "type": "server_error"}})
                return
            prompt = "\n".join(str(m["content"]) for m in body["messages"])
            text = reply.content(prompt) if callable(reply.content) else reply.content
            self._send(200, {
                "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": body["model"],
                "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
                "usage": {"prompt_tokens": len(prompt.split()), "completion_tokens": len(text.split()),
                          "total_tokens": len(prompt.split()) + len(text.split())},
            })

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
    llm.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield llm
    finally:
        server.shutdown()
        server.server_close()
