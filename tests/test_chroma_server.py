"""A team's corpus on a real `chroma run` server on loopback: everything lives on the server.

Writers and readers run as separate processes with separate HOME and working directories and no
folder in common: only the server URL connects them.
"""

from __future__ import annotations

import json
import re
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from conftest import SEED_FILES

from surveyor import Settings, Surveyor, SurveyorError
from surveyor.corpus.identity import merge, title_id
from surveyor.corpus.readers import read_paths
from surveyor.records import Record


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    chroma = Path(sys.executable).with_name("chroma")
    data = tmp_path_factory.mktemp("chroma-server")
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma run did not come up")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture
def prefix() -> str:
    """A store of its own on the shared server for each test (collections are named after it)."""
    return f"t{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def seed() -> list[dict[str, object]]:
    """63 real papers from a seed page, as JSON lines rows."""
    records = [r for r in read_paths([SEED_FILES[2]]) if isinstance(r, Record)]
    return [{"title": r.title, "abstract": r.abstract} for r in records]


def _client(tmp_path: Path, name: str, url: str, prefix: str) -> Surveyor:
    """A client as on its own machine: its own cache directory."""
    return Surveyor(Settings(store=url, chroma_collection=prefix, cache_dir=tmp_path / name / "cache"))


def _machine(tmp_path: Path, name: str, prefix: str) -> tuple[Path, dict[str, str]]:
    """A working directory and an environment with their own HOME, sharing nothing with the others."""
    home = tmp_path / name
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SURVEYOR_", "XDG_"))}
    env.update(HOME=str(home), SURVEYOR_CHROMA_COLLECTION=prefix, HF_HUB_OFFLINE="1")
    return home, env


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_two_clients_share_one_corpus_on_a_chroma_server(
    chroma_url: str, prefix: str, seed: list[dict[str, object]], tmp_path: Path
) -> None:
    source = _write(tmp_path / "papers.jsonl", seed[:30])
    writer = _client(tmp_path, "writer", chroma_url, prefix)
    report = writer.ingest([source])
    assert report.added == 30 and report.chunks > 30
    assert writer.verify().ok

    reader = _client(tmp_path, "reader", chroma_url, prefix)
    hit = reader.search(str(seed[0]["title"]), k=1)[0]
    assert hit.paper.title == seed[0]["title"]
    answer = reader.ask(str(seed[3]["title"]))
    assert not answer.abstained and all(c.supported for c in answer.citations)
    draft = reader.draft("sparse distributed representations", max_papers=10)
    # Every [n] of the draft is one of its references, each a paper the reader got from the server.
    numbers = {int(n) for s in draft.sections for p in s.paragraphs for n in re.findall(r"\[(\d+)\]", p.text)}
    assert draft.references and numbers == set(range(1, len(draft.references) + 1))
    assert {p.paper_id for p in draft.references} <= {p.paper_id for p in writer.papers()}
    # The reader keeps only a cache: no Chroma data, and the records it holds came from the server.
    cache = reader.store.root
    assert cache.is_relative_to(tmp_path / "reader" / "cache") and not (cache / "chroma").exists()
    assert {p.paper_id for p in reader.papers()} == {p.paper_id for p in writer.papers()}

    # A change by one client reaches the other's cache incrementally.
    changed = dict(seed[0], abstract="We study dense codes instead. They retrieve documents slowly.")
    writer.ingest([_write(source, [changed, *seed[1:31]])])
    time.sleep(1.1)  # readers look for news at most once a second
    hits = reader.search("dense codes that retrieve documents slowly", k=1)
    assert hits[0].paper.title == seed[0]["title"] and "dense codes" in hits[0].paper.abstract
    assert len(reader.papers()) == 31
    assert reader.verify().ok


def test_writers_on_two_machines_and_a_reader_converge(
    chroma_url: str, prefix: str, seed: list[dict[str, object]], tmp_path: Path
) -> None:
    alpha = {
        "title": "Alpha: Sparse Codes for Retrieval",
        "abstract": "We study sparse codes. They retrieve fast.",
        "year": 2021,
    }
    other_alpha = {
        "title": "Alpha: Another Paper With The Same Short Name",
        "abstract": "Alpha again. Different work.",
        "year": 2021,
    }
    richer = dict(seed[50], arxiv_id="2401.00050", authors=["Grace Hopper"])
    files = {
        "one": {"shared.jsonl": seed[:20], "own.jsonl": [*seed[20:45], seed[50], alpha]},
        "two": {"shared.jsonl": seed[:20], "own.jsonl": [*seed[45:50], *seed[51:], richer, other_alpha]},
    }
    every = [r for rows in files.values() for f in rows.values() for r in f]
    reads = [r for r in read_paths([_write(tmp_path / "all.jsonl", every)]) if isinstance(r, Record)]
    expected = {p.paper_id for p, _ in merge(reads)}

    reader_home, reader_env = _machine(tmp_path, "reader", prefix)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, chroma_url, str(len(expected))],
        cwd=reader_home,
        env=reader_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout is not None and json.loads(reader.stdout.readline()) == {"ready": True}
    writers = []
    for name, rows in files.items():
        home, env = _machine(tmp_path, name, prefix)
        env["SURVEYOR_BATCH_SIZE"] = "4"  # many small batches: the reader sees them land one by one
        paths = [str(_write(home / file, content)) for file, content in rows.items()]
        command = [sys.executable, "-m", "surveyor", "ingest", *paths, "--store", chroma_url, "--json"]
        writers.append(
            subprocess.Popen(command, cwd=home, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        )
    for writer in writers:
        out, err = writer.communicate(timeout=900)
        assert writer.returncode == 0, err[-2000:]
    out, err = reader.communicate(timeout=600)
    assert reader.returncode == 0, err[-2000:]
    observations = [json.loads(line) for line in out.splitlines()]
    assert observations, err[-2000:]
    assert all(o["half_written"] == [] for o in observations)
    assert any(0 < o["papers"] < len(expected) for o in observations)  # it read while they wrote
    assert observations[-1]["papers"] == len(expected)

    final = _client(tmp_path, "checker", chroma_url, prefix)
    papers = final.papers()
    assert {p.paper_id for p in papers} == expected  # every paper, once
    assert len({p.key for p in papers}) == len(papers) and {"alpha2021", "alpha2021b"} <= {p.key for p in papers}
    shared = final.paper(title_id(str(seed[0]["title"])))
    assert {Path(s).parent.name for s in shared.sources} == {"one", "two"}  # both writers' sources kept
    upgraded = final.paper("arxiv:2401.00050")
    assert upgraded.authors == ["Grace Hopper"] and final.paper(title_id(str(seed[50]["title"]))) == upgraded
    found = final.verify()
    assert found.ok, found.problems()


# A third machine reading while the writers write: every paper it shows has all its chunk vectors.
READER = """
import json, sys, time
from surveyor import Settings, Surveyor, SurveyorError
url, expected = sys.argv[1], int(sys.argv[2])
reader = Surveyor(Settings(store=url))
store = reader.store
reader.embedder.embed(["ready"])
print(json.dumps({"ready": True}), flush=True)
deadline = time.monotonic() + 500
while True:  # the writers create the store
    try:
        store.refresh(force=True)
        break
    except SurveyorError:
        time.sleep(0.2)
def lacking():
    found = []
    for paper in reader.papers():
        chunks = store.db.chunks_of(paper.paper_id)
        if not chunks or len(store.vectors([c.chunk_id for c in chunks])) != len(chunks):
            found.append(paper.paper_id)
    return found
while time.monotonic() < deadline:
    store.refresh(force=True)
    suspects = lacking()
    store.refresh(force=True)  # a paper replaced meanwhile is not half written: look again
    half = [p for p in lacking() if p in suspects]
    papers = len(reader.papers())
    if papers:
        reader.search("neural networks", k=5)
    print(json.dumps({"papers": papers, "half_written": half}), flush=True)
    if papers >= expected:
        break
    time.sleep(0.2)
"""


def test_writer_killed_mid_ingest_is_completed_by_the_next_ingest(
    chroma_url: str, prefix: str, seed: list[dict[str, object]], tmp_path: Path
) -> None:
    rows = seed[:40]
    rng = random.Random(5)
    for attempt in range(3):
        home, env = _machine(tmp_path, f"killed{attempt}", prefix)
        env["SURVEYOR_BATCH_SIZE"] = "4"  # small batches: more moments to be killed in
        source = _write(home / "papers.jsonl", rows)
        command = [sys.executable, "-m", "surveyor", "ingest", str(source), "--store", chroma_url]
        before = _records_on_server(chroma_url, prefix)
        process = subprocess.Popen(command, cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while _records_on_server(chroma_url, prefix) == before and process.poll() is None:
            assert time.monotonic() < deadline, "the writer never started writing"
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 0.3) if attempt == 0 else rng.uniform(0.0, 2.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        if attempt == 0:  # killed while writing its first batches: work is left undone
            assert not _client(tmp_path, "before", chroma_url, prefix).verify().ok
    home, env = _machine(tmp_path, "next", prefix)
    source = _write(home / "papers.jsonl", rows)
    finished = subprocess.run(
        [sys.executable, "-m", "surveyor", "ingest", str(source), "--store", chroma_url, "--json"],
        cwd=home,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    assert finished.returncode == 0, finished.stderr
    verified = subprocess.run(
        [sys.executable, "-m", "surveyor", "verify", "--store", chroma_url, "--json"],
        cwd=home,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert json.loads(verified.stdout)["ok"] is True
    final = _client(tmp_path, "checker", chroma_url, prefix)
    papers = final.papers()
    assert len(papers) == 40 and len({p.paper_id for p in papers}) == 40
    assert final.search(papers[0].title, k=1)[0].paper.paper_id == papers[0].paper_id


def _records_on_server(url: str, prefix: str) -> int:
    """How many paper records and chunk vectors the store holds (0 before it exists)."""
    import chromadb

    client = chromadb.HttpClient(host="127.0.0.1", port=int(url.rsplit(":", 1)[1]))
    names = (f"{prefix}-papers", f"{prefix}-chunks")
    return sum(c.count() for c in client.list_collections() if c.name.startswith(names))


def test_reindex_switches_collections_while_searches_keep_answering(
    chroma_url: str, prefix: str, seed: list[dict[str, object]], tmp_path: Path
) -> None:
    writer = _client(tmp_path, "writer", chroma_url, prefix)
    writer.ingest([_write(tmp_path / "papers.jsonl", seed[:12])])
    reader = _client(tmp_path, "reader", chroma_url, prefix)
    title = str(seed[5]["title"])
    before = reader.store.collection_name
    answers: list[str | None] = []
    done = threading.Event()

    def keep_searching() -> None:
        while not done.is_set():
            hits = reader.retriever.search(title, 1)
            answers.append(hits[0].paper.title if hits else None)

    searching = threading.Thread(target=keep_searching)
    searching.start()
    try:
        assert writer.reindex() > 12
    finally:
        time.sleep(1.5)
        done.set()
        searching.join()
    assert answers and set(answers) == {title}  # never "not covered" during the switch
    assert reader.store.collection_name != before
    assert reader.verify().ok


def test_a_local_store_is_pushed_without_re_embedding(
    chroma_url: str, prefix: str, seed: list[dict[str, object]], tmp_path: Path
) -> None:
    local = Surveyor(Settings(store=str(tmp_path / "local"), chroma_collection=prefix, cache_dir=tmp_path / "cache"))
    local.ingest([_write(tmp_path / "papers.jsonl", seed[:15])])
    assert local.push(chroma_url) == {"papers": 15, "chunks_embedded": 0}
    remote = _client(tmp_path, "remote", chroma_url, prefix)
    assert {(p.paper_id, p.key) for p in remote.papers()} == {(p.paper_id, p.key) for p in local.papers()}
    assert remote.search(str(seed[7]["title"]), k=1)[0].paper.title == seed[7]["title"]
    assert remote.verify().ok
    assert local.push(chroma_url) == {"papers": 15, "chunks_embedded": 0}  # again: nothing changes
    assert len(remote.papers()) == 15


def test_token_reaches_a_proxy_in_front_of_chroma(
    chroma_url: str, prefix: str, seed: list[dict[str, object]], tmp_path: Path
) -> None:
    source = _write(tmp_path / "p.jsonl", seed[:2])
    with _token_proxy(chroma_url, "X-Chroma-Token", "s3cret") as (proxy_url, seen):
        settings = Settings(store=proxy_url, chroma_collection=prefix, cache_dir=tmp_path / "cache")
        with pytest.raises(SurveyorError, match=r"cannot use the Chroma server at http://127\.0\.0\.1"):
            Surveyor(settings).ingest([source])
        token = settings.model_copy(update={"chroma_token": "s3cret", "chroma_token_header": "X-Chroma-Token"})
        assert Surveyor(token).ingest([source]).added == 2
    assert seen["refused"] > 0 and seen["passed"] > 0


def test_server_store_errors_are_clear(tmp_path: Path, chroma_url: str, prefix: str) -> None:
    unreachable = Surveyor(Settings(store="http://127.0.0.1:9", cache_dir=tmp_path / "cache"))
    source = tmp_path / "p.jsonl"
    source.write_text('{"title": "A Paper", "abstract": "It says something. It is short."}\n')
    with pytest.raises(SurveyorError, match=r"cannot use the Chroma server at http://127\.0\.0\.1:9"):
        unreachable.ingest([source])
    empty = Surveyor(Settings(store=chroma_url, chroma_collection=prefix, cache_dir=tmp_path / "cache"))
    with pytest.raises(SurveyorError, match="no surveyor store on the Chroma server"):
        empty.search("anything")
    Surveyor(Settings(store=chroma_url, chroma_collection=prefix, cache_dir=tmp_path / "c2")).ingest([source])
    other_model = Surveyor(
        Settings(store=chroma_url, chroma_collection=prefix, cache_dir=tmp_path / "c3", chunk_tokens=100)
    )
    with pytest.raises(SurveyorError, match="chunked at 200 tokens"):
        other_model.search("anything")


@contextmanager
def _token_proxy(upstream: str, header: str, token: str) -> Iterator[tuple[str, Counter[str]]]:
    """A reverse proxy on loopback that forwards to Chroma only the requests carrying the token."""
    client = httpx.Client(base_url=upstream, timeout=60)
    seen: Counter[str] = Counter()
    skip = {"host", "content-length", "transfer-encoding", "connection", "content-encoding"}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            if self.headers.get(header) != token:
                seen["refused"] += 1
                self.send_response(401)
                self.send_header("content-length", "0")
                self.end_headers()
                return
            seen["passed"] += 1
            headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
            answer = client.request(self.command, self.path, content=body, headers=headers)
            self.send_response(answer.status_code)
            for key, value in answer.headers.items():
                if key.lower() not in skip:
                    self.send_header(key, value)
            self.send_header("content-length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = forward

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        client.close()
