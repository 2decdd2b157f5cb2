"""A shared corpus on a real `chroma run` server on loopback: ingest, search, ask, draft against it."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import SEED_FILES

from surveyor import Settings, Surveyor, SurveyorError
from surveyor.corpus.readers import read_paths
from surveyor.records import Record


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    chroma = Path(sys.executable).with_name("chroma")
    data = tmp_path_factory.mktemp("chroma-server")
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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


def test_two_clients_share_one_corpus_on_a_chroma_server(chroma_url: str, tmp_path: Path) -> None:
    records = [r for r in read_paths([SEED_FILES[2]]) if isinstance(r, Record)][:30]
    source = tmp_path / "papers.jsonl"
    source.write_text("".join(json.dumps({"title": r.title, "abstract": r.abstract}) + "\n" for r in records))
    writer = Surveyor(Settings(store=chroma_url, records=tmp_path / "records"))
    report = writer.ingest([source])
    assert report.added == 30 and report.chunks > 30
    assert writer.verify().ok

    reader = Surveyor(Settings(store=chroma_url, records=tmp_path / "records"))
    hit = reader.search(records[0].title, k=1)[0]
    assert hit.paper.title == records[0].title
    answer = reader.ask(records[3].title)
    assert not answer.abstained and all(c.supported for c in answer.citations)
    draft = reader.draft("sparse distributed representations", max_papers=10)
    assert draft.references and not any("dangling" in w for w in draft.warnings)
    # The vectors really are on the server: the records directory holds no local Chroma.
    assert not (tmp_path / "records" / "chroma").exists()


def test_server_store_needs_records_and_a_reachable_server(tmp_path: Path) -> None:
    with pytest.raises(SurveyorError, match="--records DIR"):
        Surveyor(Settings(store="http://127.0.0.1:9")).search("anything")
    unreachable = Surveyor(Settings(store="http://127.0.0.1:9", records=tmp_path / "records"))
    source = tmp_path / "p.jsonl"
    source.write_text('{"title": "A Paper", "abstract": "It says something. It is short."}\n')
    with pytest.raises(SurveyorError, match=r"cannot open the Chroma server at http://127\.0\.0\.1:9"):
        unreachable.ingest([source])
