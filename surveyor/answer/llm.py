"""The seam to any OpenAI-compatible chat endpoint (OpenAI, Ollama, vLLM, llama.cpp, LM Studio).

Every call is bounded: `max_tokens`, a per-request deadline, and (when streaming) a stop on runaway
repetition. Giving up closes the connection, so a server that honours disconnects stops generating.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from surveyor.errors import SurveyorError

if TYPE_CHECKING:
    from openai import OpenAI

Messages = list[dict[str, str]]
# A run of this many words seen this many times means the model is looping.
_LOOP_WORDS, _LOOP_REPEATS = 8, 3
# This much of the prompt copied out, with no citation marker in it, means the model is parroting its input
# (small models do); longer than any sentence it could rightly quote from a source before citing it.
_ECHO_CHARS = 400


class Deadline:
    """The time one request may take, shared by every call it makes."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(self._end - time.monotonic(), 0.0)

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0.0


@dataclass
class Usage:
    """Tokens one request spent, summed over its calls. `estimated` when a server reported none."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    estimated: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, prompt: int, completion: int, estimated: bool = False) -> None:
        with self._lock:
            self.prompt_tokens += prompt
            self.completion_tokens += completion
            self.estimated = self.estimated or estimated

    def as_dict(self) -> dict[str, int | bool]:
        if not (self.prompt_tokens or self.completion_tokens):
            return {}
        total = self.prompt_tokens + self.completion_tokens
        counts: dict[str, int | bool] = {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": total,
        }
        return counts | ({"estimated": True} if self.estimated else {})


@dataclass
class Budget:
    """What one request may spend (time) and has spent (tokens)."""

    deadline: Deadline
    usage: Usage = field(default_factory=Usage)


@dataclass
class Completion:
    text: str
    stopped: str | None = None  # why generation ended early: see `Generation.stopped`


@dataclass(frozen=True)
class Stopped:
    """In a stream of text pieces: generation ended early, and why."""

    reason: str


class Generation:
    """A streamed reply, read as text pieces. Reading stops (and the connection closes) at the end,
    at the deadline, on a runaway repetition, or when the stream breaks; `stopped` then says why."""

    def __init__(
        self, pieces: Iterator[str | Stopped], close: Callable[[], None] | None = None, prompt: str = ""
    ) -> None:
        self._pieces = pieces
        self._close = close
        self._prompt = " ".join(prompt.split())
        self._echo_checked = 0
        self.text = ""
        self.stopped: str | None = None
        self._grams: Counter[tuple[str, ...]] = Counter()
        self._counted = 0

    def __iter__(self) -> Iterator[str]:
        try:
            for piece in self._pieces:
                if isinstance(piece, Stopped):
                    self.stopped = self.stopped or piece.reason
                    continue
                self.text += piece
                yield piece
                if self._looping():
                    self.stopped = "the model repeated itself; stopped reading"
                    return
                if self._echoing():
                    self.stopped = "the model copied its prompt instead of answering; stopped reading"
                    return
        finally:
            self.close()

    def stop(self, reason: str) -> None:
        """Give up on the rest (the caller has enough, or ran out of time)."""
        self.stopped = self.stopped or reason
        self.close()

    def close(self) -> None:
        """Stop reading: the piece reader finishes (counting the tokens so far), the connection closes."""
        closing = getattr(self._pieces, "close", None)
        if closing is not None:
            closing()
        if self._close is not None:
            close, self._close = self._close, None
            close()

    def _echoing(self) -> bool:
        """Whether the last stretch of the reply is the prompt, word for word, with no citation in it."""
        if not self._prompt or len(self.text) < self._echo_checked + _ECHO_CHARS // 2:
            return False
        self._echo_checked = len(self.text)
        tail = " ".join(self.text.split())[-_ECHO_CHARS:]
        return len(tail) == _ECHO_CHARS and not re.search(r"\[\d", tail) and tail in self._prompt

    def _looping(self) -> bool:
        """Whether the same run of words came back a third time: small models loop until max_tokens."""
        words = self.text.split()
        if self.text and not self.text[-1].isspace():
            words = words[:-1]  # the last word may be unfinished
        looping = False
        for end in range(max(self._counted + 1, _LOOP_WORDS), len(words) + 1):
            gram = tuple(w.lower() for w in words[end - _LOOP_WORDS : end])
            self._grams[gram] += 1
            looping = looping or self._grams[gram] >= _LOOP_REPEATS
        self._counted = max(self._counted, len(words))
        return looping


class ChatModel:
    """Chat completions, streamed or not, with a deadline, retries before the first token, one-line errors."""

    def __init__(self, model: str, base_url: str | None, timeout: float, retries: int) -> None:
        self.model = model
        self.base_url = base_url or os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1"
        self.timeout = timeout
        self._retries = retries
        self._client: OpenAI | None = None
        self._client_lock = threading.Lock()

    @property
    def client(self) -> OpenAI:
        with self._client_lock:
            if self._client is None:
                from openai import OpenAI

                # Local servers (Ollama, llama.cpp) need no key, but the SDK insists on one.
                key = os.environ.get("OPENAI_API_KEY") or "not-needed"
                self._client = OpenAI(base_url=self.base_url, api_key=key, timeout=self.timeout, max_retries=self._retries)
            return self._client

    def complete(self, messages: Messages, *, max_tokens: int, budget: Budget) -> Completion:
        """The whole reply at once (short calls: rewriting a follow-up, judging a claim)."""
        messages = _one_turn(messages)
        with self._errors(budget.deadline):
            response = self.client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                temperature=0.0,
                max_tokens=max_tokens,
                timeout=self._timeout(budget.deadline),
            )
        return self._completion(response.model_dump(), messages, budget)

    def stream(self, messages: Messages, *, max_tokens: int, budget: Budget) -> Generation:
        """The reply as it is generated. An endpoint that answers a streaming request with a plain
        completion is read as one piece."""
        messages = _one_turn(messages)
        with self._errors(budget.deadline):
            stream = self.client.chat.completions.create(  # type: ignore[call-overload]
                model=self.model,
                messages=messages,
                temperature=0.0,
                max_tokens=max_tokens,
                stream=True,
                stream_options={"include_usage": True},
                timeout=self._timeout(budget.deadline),
            )
        response = stream.response
        if "text/event-stream" not in response.headers.get("content-type", "text/event-stream"):
            with self._errors(budget.deadline):
                body = json.loads(response.read())
            stream.close()
            completion = self._completion(body, messages, budget)
            whole: list[str | Stopped] = [completion.text]
            return Generation(iter(whole + ([Stopped(completion.stopped)] if completion.stopped else [])))
        prompt = "\n".join(m["content"] for m in messages)
        return Generation(self._pieces(stream, messages, budget), stream.close, prompt)

    def _pieces(self, stream: Any, messages: Messages, budget: Budget) -> Iterator[str | Stopped]:
        """Text deltas of a stream until it ends, breaks or the deadline passes; usage counted either way."""
        import openai

        chunks, reported, finished = 0, False, False
        # A stalled stream sends nothing to check the deadline against: close it from outside.
        watchdog = threading.Timer(budget.deadline.remaining(), stream.close)
        watchdog.daemon = True
        watchdog.start()
        try:
            for chunk in stream:
                if chunk.usage is not None:
                    budget.usage.add(chunk.usage.prompt_tokens or 0, chunk.usage.completion_tokens or 0)
                    reported = True
                for choice in chunk.choices or []:
                    finished = finished or choice.finish_reason is not None
                    if choice.finish_reason == "length":
                        yield Stopped("the reply reached its max_tokens limit")
                    text = choice.delta.content if choice.delta else None
                    if text:
                        chunks += 1
                        yield text
                if budget.deadline.expired:
                    yield Stopped(f"the request reached its {budget.deadline.seconds:g} s deadline")
                    return
            if not finished:
                yield Stopped("the LLM's stream broke (it ended before the model finished)")
        except Exception as exc:  # a cut or closed connection, an error event, a chunk that is not JSON
            if budget.deadline.expired:
                yield Stopped(f"the request reached its {budget.deadline.seconds:g} s deadline")
            elif isinstance(exc, openai.APITimeoutError):
                yield Stopped(f"the LLM at {self.base_url} stopped sending for {self.timeout:g} s")
            else:
                yield Stopped(f"the LLM's stream broke ({type(exc).__name__}: {_brief(exc)})")
        finally:
            watchdog.cancel()
            if not reported:
                # This server reports no usage when streaming: one chunk is one token (llama.cpp, OpenAI).
                budget.usage.add(_estimate_tokens(messages), chunks, estimated=True)

    def _completion(self, body: dict[str, Any], messages: Messages, budget: Budget) -> Completion:
        choices = body.get("choices") or [{}]
        message = choices[0].get("message") or {}
        text = str(message.get("content") or "")
        usage = body.get("usage") or {}
        if usage:
            budget.usage.add(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))
        else:
            budget.usage.add(_estimate_tokens(messages), len(text) // 4, estimated=True)
        length = choices[0].get("finish_reason") == "length"
        return Completion(text, "the reply reached its max_tokens limit" if length else None)

    def _timeout(self, deadline: Deadline) -> float:
        remaining = deadline.remaining()
        if remaining <= 0:
            raise SurveyorError(f"the request reached its {deadline.seconds:g} s deadline before the LLM was asked")
        return min(self.timeout, remaining)

    @contextmanager
    def _errors(self, deadline: Deadline) -> Iterator[None]:
        """Every failure of the endpoint is one line a user can act on."""
        import openai

        try:
            yield
        except openai.APITimeoutError as exc:
            waited = min(self.timeout, deadline.seconds)
            raise SurveyorError(f"the LLM at {self.base_url} did not answer within {waited:g} s") from exc
        except openai.APIConnectionError as exc:
            raise SurveyorError(f"cannot reach the LLM at {self.base_url} ({exc.__cause__ or exc})") from exc
        except openai.AuthenticationError as exc:
            raise SurveyorError(f"the LLM at {self.base_url} rejected the API key (set OPENAI_API_KEY)") from exc
        except openai.APIStatusError as exc:
            raise SurveyorError(f"the LLM at {self.base_url} answered HTTP {exc.status_code}: {_brief(exc)}") from exc
        except (openai.OpenAIError, ValueError) as exc:
            raise SurveyorError(f"the LLM at {self.base_url} failed: {_brief(exc)}") from exc


def _one_turn(messages: Messages) -> Messages:
    """Instructions go in the user's turn: some local models have no system role, and some servers drop a
    system message without a word (llama.cpp's Gemma format), which would lose every rule."""
    system = "\n\n".join(m["content"] for m in messages if m["role"] == "system")
    rest = [dict(m) for m in messages if m["role"] != "system"]
    if system and rest and rest[0]["role"] == "user":
        rest[0]["content"] = f"{system}\n\n{rest[0]['content']}"
    return rest or [{"role": "user", "content": system}]


def _estimate_tokens(messages: Messages) -> int:
    return sum(len(m.get("content", "")) for m in messages) // 4


def _brief(exc: Exception) -> str:
    message = str(getattr(exc, "message", "") or exc)
    return " ".join(message.split())[:200]
