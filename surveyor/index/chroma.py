"""Opening Chroma: a persistent client in a store directory, or an HTTP client for a Chroma server
(tenant, database, and a token header for Chroma's token auth or a proxy in front of it)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import SplitResult, urlsplit

from surveyor.errors import SurveyorError
from surveyor.settings import Settings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI

T = TypeVar("T")


def server_url(store: str) -> SplitResult | None:
    """The parsed URL when `store` names a Chroma server rather than a directory."""
    return urlsplit(store) if store.startswith(("http://", "https://")) else None


def token_headers(settings: Settings) -> dict[str, str]:
    if not settings.chroma_token:
        return {}
    if settings.chroma_token_header == "Authorization":
        return {"Authorization": f"Bearer {settings.chroma_token}"}
    return {"X-Chroma-Token": settings.chroma_token}


def open_client(settings: Settings, local_path: Path | None) -> ClientAPI:
    """A Chroma client for the store: persistent at `local_path`, else the server `settings.store` names."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    with chroma_errors(settings, local_path):
        if local_path is not None:
            return chromadb.PersistentClient(path=str(local_path), settings=chroma_settings)
        url = server_url(settings.store)
        assert url is not None
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            headers=token_headers(settings),
            settings=chroma_settings,
            tenant=settings.chroma_tenant,
            database=settings.chroma_database,
        )


@contextmanager
def chroma_errors(settings: Settings, local_path: Path | None = None) -> Iterator[None]:
    """Chroma's failures (bare ValueErrors, HTTP and connection errors alike) as one clear line."""
    try:
        yield
    except SurveyorError:
        raise
    except Exception as exc:
        where = f"{local_path}" if local_path is not None else f"the Chroma server at {settings.store}"
        detail = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise SurveyorError(f"cannot use {where}: {detail}") from exc


_GONE = ("does not exist", "Missing metadata segment", "Missing vector segment")


def is_missing_collection(exc: BaseException) -> bool:
    """Whether Chroma says the collection is gone (another process switched and deleted it)."""
    from chromadb.errors import NotFoundError

    cause: BaseException | None = exc
    while cause is not None:
        # A query that reaches the server while it deletes the collection sees its segments go first.
        if isinstance(cause, NotFoundError) or any(m in str(cause) for m in _GONE):
            return True
        cause = cause.__cause__
    return False


def retry_on_switch(call: Callable[[], T], reopen: Callable[[], None]) -> T:
    """Run `call`; if its collection vanished under it (a reindex switched), reopen and run it again."""
    try:
        return call()
    except Exception as exc:
        if not is_missing_collection(exc):
            raise
        reopen()
        return call()
