"""Shared fixtures: the real embedding model and real Chroma, on the fixture corpora."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from scripted_llm import ScriptedLLM

from surveyor import Settings, Surveyor
from surveyor.http import create_app

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
SEED_FILES = sorted(CORPORA.glob("0*.txt"))


def pytest_configure(config: pytest.Config) -> None:
    """The model cache is a user directory like any other: the tests get their own."""
    os.environ["SURVEYOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="surveyor-test-cache-")


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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(surveyor: Surveyor, **options: object) -> Iterator[str]:
    """`surveyor serve` in a thread: a real uvicorn on a free loopback port, stopped on exit."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(surveyor, **options), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def real_llm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real OpenAI-compatible server on loopback: llama.cpp serving Gemma 3 270M, from the virtualenv
    `make` builds (`.venv-llm`, or SURVEYOR_TEST_LLM). Started for the session, stopped after it."""
    venv = Path(os.environ.get("SURVEYOR_TEST_LLM") or ROOT / ".venv-llm")
    model = venv / "model.gguf"
    if not model.exists():
        pytest.skip(f"no llama.cpp server in {venv}: `make test` builds it (make {venv.name}/model.gguf)")
    port = free_port()
    log = tmp_path_factory.mktemp("llm") / "server.log"
    command = [
        str(venv / "bin" / "python"), "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
        "--port", str(port), "--n_ctx", "4096", "--n_threads", "2", "--model_alias", "gemma-3-270m",
        "--chat_format", "gemma",
    ]
    with log.open("w") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(240):
            try:
                if httpx.get(f"{url}/models", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, f"the llama.cpp server exited: {log.read_text()[-1000:]}"
            time.sleep(0.5)
        else:
            raise AssertionError(f"the llama.cpp server did not start: {log.read_text()[-1000:]}")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def llm_surveyor(store: str, llm: ScriptedLLM, **overrides: object) -> Surveyor:
    """A Surveyor on `store` that answers through the scripted server (no retries, short timeouts)."""
    values: dict[str, object] = {"store": store, "llm": "openai", "model": "scripted", "base_url": llm.url,
                                 "llm_retries": 0, "llm_timeout": 5.0}
    return Surveyor(Settings(**(values | overrides)))  # type: ignore[arg-type]
