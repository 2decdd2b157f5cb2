"""The seam to any OpenAI-compatible chat endpoint (OpenAI, Ollama, vLLM, llama.cpp, LM Studio)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from surveyor.errors import SurveyorError

if TYPE_CHECKING:
    from openai import OpenAI


@dataclass
class Completion:
    text: str
    usage: dict[str, int] = field(default_factory=dict)


class ChatModel:
    """Chat completions with a timeout, retries with backoff, and one-line errors."""

    def __init__(self, model: str, base_url: str | None, timeout: float, retries: int) -> None:
        self.model = model
        self.base_url = base_url or os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1"
        self.timeout = timeout
        self._retries = retries
        self._client: OpenAI | None = None

    @property
    def client(self) -> OpenAI:
        if self._client is None:
            from openai import OpenAI

            # Local servers (Ollama, llama.cpp) need no key, but the SDK insists on one.
            key = os.environ.get("OPENAI_API_KEY") or "not-needed"
            self._client = OpenAI(base_url=self.base_url, api_key=key, timeout=self.timeout, max_retries=self._retries)
        return self._client

    def complete(self, messages: list[dict[str, str]], temperature: float = 0.0) -> Completion:
        import openai

        try:
            response = self.client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                temperature=temperature,
            )
        except openai.APITimeoutError as exc:
            raise SurveyorError(f"the LLM at {self.base_url} did not answer within {self.timeout:g} s") from exc
        except openai.APIConnectionError as exc:
            raise SurveyorError(f"cannot reach the LLM at {self.base_url} ({exc.__cause__ or exc})") from exc
        except openai.AuthenticationError as exc:
            raise SurveyorError(f"the LLM at {self.base_url} rejected the API key (set OPENAI_API_KEY)") from exc
        except openai.APIStatusError as exc:
            raise SurveyorError(f"the LLM at {self.base_url} answered HTTP {exc.status_code}: {_brief(exc)}") from exc
        except openai.OpenAIError as exc:
            raise SurveyorError(f"the LLM at {self.base_url} failed: {exc}") from exc
        choice = response.choices[0] if response.choices else None
        text = (choice.message.content if choice and choice.message else None) or ""
        usage = (
            response.usage.model_dump(include={"prompt_tokens", "completion_tokens", "total_tokens"})
            if response.usage
            else {}
        )
        return Completion(text, {k: int(v) for k, v in usage.items() if v is not None})


def _brief(exc: Exception) -> str:
    message = str(getattr(exc, "message", "") or exc)
    return " ".join(message.split())[:200]
