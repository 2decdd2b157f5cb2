"""One Settings object, read from `SURVEYOR_*` environment variables and passed down explicitly."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
# Longest question or topic accepted (a user's abstract as a draft query is cut to this length).
MAX_QUERY_CHARS = 2000


class Settings(BaseSettings):
    """Everything a user can configure; each field is also `SURVEYOR_<NAME>` in the environment."""

    model_config = SettingsConfigDict(env_prefix="SURVEYOR_", extra="ignore")

    store: str = Field(".surveyor", description="Store directory, or http://HOST:PORT for a Chroma server.")
    chroma_tenant: str = Field("default_tenant", description="With a Chroma server store: the Chroma tenant.")
    chroma_database: str = Field("default_database", description="With a Chroma server store: the Chroma database.")
    chroma_collection: str = Field(
        "surveyor",
        pattern=r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,40}$",
        description="With a Chroma server store: the prefix of its collections, so one database can hold several corpora.",
    )
    chroma_token: str | None = Field(
        None,
        description="With a Chroma server store: a token sent with every request (Chroma's token auth, or a proxy's).",
    )
    chroma_token_header: Literal["Authorization", "X-Chroma-Token"] = Field(
        "Authorization",
        description="How the token is sent: 'Authorization' (as 'Bearer TOKEN') or 'X-Chroma-Token' (as is).",
    )
    embedding_model: str = Field(
        DEFAULT_MODEL,
        description="Embedding model: the bundled all-MiniLM-L6-v2, a local model directory, "
        "or 'openai:<model>' for an OpenAI-compatible embeddings endpoint.",
    )
    embedding_base_url: str | None = Field(None, description="Base URL of an OpenAI-compatible embeddings endpoint.")
    cache_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_cache_dir("surveyor")),
        description="Where the one-time ONNX export of the embedding model and the caches of server stores are kept "
        "(default: the user's cache directory, e.g. $XDG_CACHE_HOME/surveyor or ~/.cache/surveyor).",
    )
    chunk_tokens: int = Field(200, ge=32, le=256, description="Upper bound of word pieces per chunk, title included.")
    batch_size: int = Field(32, ge=1, description="Chunks embedded per model call during ingest.")
    min_similarity: float = Field(
        0.35, description="Relevance floor: chunks less similar to the query than this are never returned..."
    )
    rare_term_similarity: float = Field(
        0.2, description="...unless they share a rare query term (a name like 'HNeRV') and reach this similarity."
    )
    rare_term_share: float = Field(0.005, description="A term in at most this share of chunks counts as rare.")
    rrf_k: int = Field(60, description="Reciprocal-rank-fusion constant.")
    candidates: int = Field(50, ge=1, description="Chunks taken from each of the dense and lexical rankings.")
    llm: Literal["extractive", "openai"] = Field(
        "extractive",
        description="Who writes answers: 'extractive' (offline, default) or 'openai' (any compatible endpoint).",
    )
    model: str = Field("gpt-4o-mini", description="Chat model name for --llm openai (e.g. llama3.1 on Ollama).")
    base_url: str | None = Field(None, description="OpenAI-compatible endpoint; else env OPENAI_BASE_URL, else OpenAI.")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds an LLM may stay silent before a call is abandoned.")
    llm_retries: int = Field(2, ge=0, description="Retries (with backoff) of an LLM call that failed before its first token.")
    llm_deadline: float = Field(
        90.0, gt=0, description="Seconds one request may spend on the LLM in all; what verified by then is kept."
    )
    llm_answer_tokens: int = Field(300, ge=16, description="max_tokens of an answer.")
    llm_condense_tokens: int = Field(96, ge=16, description="max_tokens of a follow-up rewritten to stand alone.")
    llm_draft_tokens: int = Field(700, ge=32, description="max_tokens of each theme's paragraph in a draft.")
    llm_concurrency: int = Field(4, ge=1, description="A draft's theme paragraphs requested from the LLM at once.")
    verify: Literal["offline", "llm"] = Field(
        "offline",
        description="'llm' also asks the configured LLM to judge each cited claim; the stricter verdict wins.",
    )
    max_requests: int = Field(
        16, ge=1, description="HTTP: asks and drafts served at once; more are refused with 503 and Retry-After."
    )
    chats_dir: Path | None = Field(
        None, description="Where chats are saved: default, the store's chats/ folder (for a Chroma server store, "
        "the user's data folder).",
    )
    token: str | None = Field(
        None, description="Bearer token the HTTP API requires on every route but /healthz (needed off loopback)."
    )
    cors_origins: str = Field("", description="Comma-separated origins browser-based editors may call the API from.")
    max_body: int = Field(1 << 20, ge=1024, description="Largest HTTP request body accepted, in bytes.")
