"""Shared fixtures: the real embedding model and real Chroma, on the fixture corpora."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from surveyor import Settings, Surveyor

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
SEED_FILES = sorted(CORPORA.glob("0*.txt"))


@pytest.fixture(autouse=True)
def _no_ambient_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up a developer's SURVEYOR_* or OpenAI settings."""
    for name in ("SURVEYOR_STORE", "SURVEYOR_LLM", "OPENAI_BASE_URL", "OPENAI_API_KEY", "SURVEYOR_EMBEDDING_MODEL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Surveyor]:
    """A store holding the four seed files, ingested once per test session."""
    surveyor = Surveyor(Settings(store=str(tmp_path_factory.mktemp("corpus") / "store")))
    report = surveyor.ingest(SEED_FILES)
    assert report.errors == []
    yield surveyor
    surveyor.store.close()


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path
