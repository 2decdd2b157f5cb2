"""The HTTP API against a real uvicorn on a free loopback port."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from conftest import served
from typer.testing import CliRunner

from surveyor import Settings, Surveyor
from surveyor.cli import app

QUESTION = "how can a video be stored as a neural network?"


@pytest.fixture(scope="module")
def loaded(corpus: Surveyor) -> Surveyor:
    return Surveyor(Settings(store=corpus.settings.store)).load()


@pytest.fixture(scope="module")
def url(loaded: Surveyor) -> Iterator[str]:
    with served(loaded, cors_origins=["https://editor.example"], max_body=64 * 1024) as base:
        yield base


def test_health_search_paper_and_openapi(url: str, corpus: Surveyor) -> None:
    assert httpx.get(f"{url}/healthz").json() == {"status": "ok", "papers": 363}
    found = httpx.get(f"{url}/v1/search", params={"q": QUESTION, "k": 3}).json()
    assert found["query"] == QUESTION and found["results"][0]["title"].startswith("HNeRV")
    paper_id = found["results"][0]["paper_id"]
    paper = httpx.get(f"{url}/v1/papers/{paper_id}").json()
    assert paper["paper_id"] == paper_id and "content-adaptive embeddings" in paper["abstract"]
    assert httpx.get(f"{url}/v1/papers/hnerv").json()["paper_id"] == paper_id
    schema = httpx.get(f"{url}/openapi.json").json()
    assert {"/v1/search", "/v1/ask", "/v1/draft", "/v1/papers/{paper_id}", "/healthz"} <= schema["paths"].keys()


def test_ask_answers_with_verified_citations(url: str) -> None:
    response = httpx.post(f"{url}/v1/ask", json={"question": QUESTION}, timeout=60)
    assert response.status_code == 200
    answer = response.json()
    assert not answer["abstained"] and answer["citations"][0]["key"] == "hnerv"
    assert all(c["supported"] for c in answer["citations"])
    follow_up = httpx.post(
        f"{url}/v1/ask", json={"question": "what about its speed?", "history": [answer]}, timeout=60
    ).json()
    assert follow_up["citations"][0]["key"] == "hnerv" and "speed" in follow_up["answer"]


def test_ask_streams_sources_then_each_sentence_then_the_answer(url: str) -> None:
    with httpx.stream("POST", f"{url}/v1/ask", params={"stream": "true"}, json={"question": QUESTION}, timeout=60) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        events = [block for block in r.read().decode().split("\n\n") if block]
    names = [e.split("\n")[0].removeprefix("event: ") for e in events]
    data = [json.loads(e.split("data: ", 1)[1]) for e in events]
    assert names[0] == "sources" and names[-1] == "answer" and set(names[1:-1]) == {"sentence"}
    sources, sentences, answer = data[0]["results"], data[1:-1], data[-1]
    assert data[0]["standalone"] == QUESTION
    # The sentences streamed are the answer, each with its citations' verdicts, numbered as in the answer.
    assert " ".join(s["text"] for s in sentences) == answer["answer"]
    numbered = {c["n"]: c["paper_id"] for c in answer["citations"]}
    for sentence in sentences:
        for citation in sentence["citations"]:
            assert f"[{citation['n']}]" in sentence["text"] and numbered[citation["n"]] == citation["paper_id"]
            assert citation["supported"] and citation["quote"]
    assert set(numbered.values()) <= {s["paper_id"] for s in sources}


def test_draft_in_each_format(url: str) -> None:
    body = {"topic": "diffusion model acceleration", "max_papers": 10}
    data = httpx.post(f"{url}/v1/draft", json=body, timeout=120).json()
    assert data["sections"] and len(data["references"]) >= 2
    latex = httpx.post(f"{url}/v1/draft", json=body | {"format": "latex"}, timeout=120).json()
    assert latex["text"].count("\\cite{") >= 2 and latex["bib"].count("@") == len(data["references"])
    pandoc = httpx.post(f"{url}/v1/draft", json=body | {"format": "pandoc"}, timeout=120).json()
    assert pandoc.keys() == {"format", "text", "bib", "warnings", "coverage"} and pandoc["format"] == "pandoc"
    cited = set(re.findall(r"(?:\[-?|; )@([\w:.#$%&+?<>~/-]+)", pandoc["text"]))
    listed = set(re.findall(r"^@\w+\{([^,]+),", pandoc["bib"], flags=re.MULTILINE))
    assert cited == listed == {r["key"] for r in data["references"]}


@pytest.mark.parametrize(
    ("method", "path", "payload", "status", "message"),
    [
        ("post", "/v1/ask", {"question": ""}, 422, "body.question: String should have at least 1 character"),
        ("post", "/v1/ask", {"question": "x", "k": 0}, 422, "body.k"),
        ("post", "/v1/draft", {"topic": "diffusion", "format": "docx"}, 422, "body.format"),
        ("get", "/v1/search?q=", None, 422, "query.q"),
        ("get", "/v1/papers/..%2F..%2Fetc%2Fpasswd", None, 404, "no paper '../../etc/passwd'"),
        ("get", "/v1/papers/../../etc/passwd", None, 404, "Not Found"),
        ("post", "/v1/draft", {"topic": "medieval french poetry and troubadours"}, 400, "does not cover"),
    ],
)
def test_bad_requests_get_json_errors(url: str, method: str, path: str, payload: object, status: int, message: str) -> None:
    response = httpx.request(method, f"{url}{path}", json=payload, timeout=60)
    assert response.status_code == status
    body = response.json()
    assert message in (body.get("error") or body.get("detail", "")), body


def test_bad_json_and_oversized_bodies(url: str) -> None:
    bad = httpx.post(f"{url}/v1/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert bad.status_code == 422 and "JSON decode error" in bad.json()["error"]
    big = httpx.post(f"{url}/v1/ask", json={"question": "x" * 100_000})
    assert big.status_code == 413 and big.json() == {"error": "request body over 65536 bytes"}

    def chunks() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(100):
            yield b"x" * 1024
        yield b'"}'

    streamed = httpx.post(f"{url}/v1/ask", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413


def test_cors_preflight_for_configured_origin(url: str) -> None:
    headers = {"Origin": "https://editor.example", "Access-Control-Request-Method": "POST"}
    allowed = httpx.options(f"{url}/v1/ask", headers=headers)
    assert allowed.headers.get("access-control-allow-origin") == "https://editor.example"
    other = httpx.options(f"{url}/v1/ask", headers=headers | {"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_ten_concurrent_asks_are_all_answered_and_verified(url: str, corpus: Surveyor) -> None:
    questions = [QUESTION, "what PSNR gain does HNeRV get?", "federated learning with non-IID data",
                 "how can diffusion models be quantized?", "graph neural networks oversmoothing"] * 2
    stored = {p.paper_id for p in corpus.papers()}
    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(pool.map(lambda q: httpx.post(f"{url}/v1/ask", json={"question": q}, timeout=120), questions))
    assert [r.status_code for r in responses] == [200] * 10
    for response in responses:
        answer = response.json()
        assert not answer["abstained"] and answer["citations"]
        assert all(c["supported"] and c["paper_id"] in stored for c in answer["citations"])
    assert responses[0].json() == responses[5].json()


def test_token_guards_every_route_but_healthz(loaded: Surveyor) -> None:
    with served(loaded, token="s3cret") as base:
        assert httpx.get(f"{base}/healthz").status_code == 200
        for path in ("/v1/search?q=video", "/v1/papers/hnerv", "/openapi.json"):
            assert httpx.get(f"{base}{path}").status_code == 401
            assert httpx.get(f"{base}{path}", headers={"Authorization": "Bearer wrong"}).status_code == 401
            assert httpx.get(f"{base}{path}", headers={"Authorization": "s3cret"}).status_code == 401
        ok = httpx.get(f"{base}/v1/search?q=video", headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200 and ok.json()["results"]
        denied = httpx.post(f"{base}/v1/ask", json={"question": QUESTION})
        assert denied.status_code == 401 and denied.json() == {"error": "missing or wrong bearer token"}


def test_serve_refuses_a_public_bind_without_token(corpus: Surveyor) -> None:
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--store", corpus.settings.store])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: refusing to listen on 0.0.0.0 without a token: set SURVEYOR_TOKEN (clients send it as a Bearer token)"
    )


def test_llm_asks_run_in_parallel_search_never_waits_and_overload_gets_503(corpus: Surveyor) -> None:
    """Three asks held at the model: a search and /healthz still answer; a fourth ask beyond the limit
    of three is refused at once with Retry-After; once the model answers, all three get their answers."""
    from scripted_llm import Reply, scripted_llm

    gate = threading.Event()
    with scripted_llm() as llm:
        llm.script(Reply(lambda p: "HNeRV uses a learnable encoder that generates content-adaptive embeddings [1].",
                         gate=gate))
        surveyor = Surveyor(Settings(store=corpus.settings.store, llm="openai", model="scripted", base_url=llm.url,
                                     llm_retries=0)).load()
        with served(surveyor, max_requests=3) as base, ThreadPoolExecutor(3) as pool:
            asks = [pool.submit(httpx.post, f"{base}/v1/ask", json={"question": QUESTION}, timeout=60) for _ in range(3)]
            for _ in range(200):
                if llm.in_flight == 3:
                    break
                time.sleep(0.05)
            assert llm.in_flight == 3  # all three are at the model at once
            assert httpx.get(f"{base}/v1/search", params={"q": QUESTION}, timeout=10).status_code == 200
            assert httpx.get(f"{base}/healthz", timeout=10).json()["papers"] == 363
            refused = httpx.post(f"{base}/v1/ask", json={"question": QUESTION}, timeout=10)
            assert refused.status_code == 503 and refused.headers["retry-after"] == "2"
            assert "try again" in refused.json()["error"]
            gate.set()
            answers = [a.result().json() for a in asks]
    assert all(a["citations"][0]["key"] == "hnerv" and a["citations"][0]["supported"] for a in answers)


def test_the_page_is_public_with_its_own_headers_while_the_api_keeps_the_token(loaded: Surveyor) -> None:
    with served(loaded, token="s3cret") as base:
        page = httpx.get(f"{base}/")
        assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
        assert '<meta name="surveyor-token" content="required">' in page.text  # so the page asks for it
        policy = page.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy and "connect-src 'self'" in policy
        assert page.headers["x-content-type-options"] == "nosniff"
        script = httpx.get(f"{base}/static/app.js")
        assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
        assert "<script>" not in page.text and " style=" not in page.text  # nothing inline for the policy to allow
        assert httpx.get(f"{base}/static/nothing.js").status_code == 404
        assert httpx.get(f"{base}/static/__init__.py").status_code == 404  # only the page's own files
        for guarded in ("/openapi.json", "/docs", "/v1/search?q=video", "/index.html"):
            assert httpx.get(f"{base}{guarded}").status_code == 401, guarded
    with served(loaded) as base:
        assert '<meta name="surveyor-token" content="none">' in httpx.get(f"{base}/").text
