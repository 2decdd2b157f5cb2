"""The LLM path and verification, measured: concurrency of the HTTP server, streaming latency, the cost of
verifying a cited sentence, and asks against a real local model (llama.cpp + Gemma 3 270M) when built.

    python benchmarks/llm_path.py [--quick] [--no-real-model]

Prints each number as it is measured and writes benchmarks/results-llm.json and results-llm.md (the
quick mode, for the test suite, writes results-llm-quick.* instead).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
sys.path.insert(0, str(ROOT / "tests"))  # the scripted OpenAI-compatible server the tests use

from scripted_llm import Reply, ScriptedLLM, scripted_llm  # noqa: E402

QUESTION = "how can a video be stored as a neural network?"
CLAIM = "HNeRV uses a learnable encoder that generates content-adaptive embeddings as the decoder input"


def store(quick: bool) -> str:
    """A store of the fixture corpora (one file in quick mode), built once and kept in benchmarks/work."""
    from surveyor import Settings, Surveyor

    path = WORK / ("llm-store-quick" if quick else "llm-store")
    if not (path / "manifest.json").exists():
        files = sorted((ROOT / "corpora").glob("0*.txt"))
        Surveyor(Settings(store=str(path))).ingest(files[:1] if quick else files)  # the first holds HNeRV
    return str(path)


def _reply(prompt: str) -> str:
    import re

    n = next(n for n, t in re.findall(r"(?m)^Source \[(\d+)\] ([^\n]*)", prompt) if t.startswith("HNeRV"))
    return f"{CLAIM} [{n}]. HNeRV shows decoding advantages for speed compared to traditional codecs [{n}]."


@contextmanager
def serving(path: str, llm: ScriptedLLM) -> Iterator[str]:
    import uvicorn

    from surveyor import Settings, Surveyor
    from surveyor.http import create_app

    settings = Settings(store=path, llm="openai", model="scripted", base_url=llm.url, llm_retries=0)
    surveyor = Surveyor(settings).load()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(surveyor, max_requests=settings.max_requests),
                                           host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def bench_concurrency(path: str, asks: int, delay: float) -> dict[str, object]:
    """`asks` concurrent /v1/ask against a model that takes `delay` seconds, and a search sent meanwhile."""
    with scripted_llm() as llm:
        llm.script(Reply(_reply, delay=delay))
        with serving(path, llm) as base:
            httpx.post(f"{base}/v1/ask", json={"question": QUESTION}, timeout=60)  # warm: the first ask loads
            results: list[float] = []
            failures: list[int] = []
            start = time.perf_counter()

            def ask() -> None:
                t = time.perf_counter()
                status = httpx.post(f"{base}/v1/ask", json={"question": QUESTION}, timeout=60).status_code
                (results if status == 200 else failures).append(time.perf_counter() - t if status == 200 else status)

            threads = [threading.Thread(target=ask) for _ in range(asks)]
            for thread in threads:
                thread.start()
            time.sleep(min(0.5, delay / 2))
            t = time.perf_counter()
            assert httpx.get(f"{base}/v1/search", params={"q": QUESTION}, timeout=60).status_code == 200
            search_ms = (time.perf_counter() - t) * 1000
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - start
    if failures:
        raise SystemExit(f"{len(failures)} asks failed: HTTP {sorted(set(failures))}")
    result = {"asks": asks, "model_seconds": delay, "wall_s": round(wall, 2), "slowest_ask_s": round(max(results), 2),
              "search_during_asks_ms": round(search_ms, 1), "max_at_model_at_once": llm.max_in_flight}
    print(f"concurrency: {result}", flush=True)
    return result


def bench_first_sentence(path: str, chunk_delay: float) -> dict[str, object]:
    """How long after the model sends the full stop of its first sentence that sentence reaches the client."""
    from surveyor import Settings, Surveyor
    from surveyor.records import SentenceEvent

    gaps = []
    with scripted_llm() as llm:
        surveyor = Surveyor(Settings(store=path, llm="openai", model="scripted", base_url=llm.url)).load()
        for _ in range(5):
            llm.script(Reply(_reply, chunk_delay=chunk_delay))
            seen = None
            for event in surveyor.ask_events(QUESTION):
                if isinstance(event, SentenceEvent) and seen is None:
                    seen = time.monotonic()
            stop = next(t for t, piece in llm.timeline if "." in piece)  # the model finished its first sentence
            gaps.append(seen - stop if seen is not None else float("nan"))
    result = {"chunk_delay_s": chunk_delay, "after_full_stop_p50_s": round(statistics.median(gaps), 3),
              "after_full_stop_max_s": round(max(gaps), 3)}
    print(f"first sentence: {result}", flush=True)
    return result


def bench_verification(path: str, quick: bool) -> dict[str, object]:
    """Cost of verifying one cited sentence over the claims file (every check, embedding included): citing a
    paper met for the first time, and citing one read ahead while the model wrote (as `ask` does)."""
    from surveyor import Settings, Surveyor
    from surveyor.claims_eval import read_claims

    claims = read_claims(ROOT / "corpora" / "claims.jsonl")
    result: dict[str, object] = {}
    for read_ahead in (False, True):
        _forget_what_was_read()
        surveyor = Surveyor(Settings(store=path)).load()
        papers = {p.title.casefold(): p for p in surveyor.papers()}
        usable = [(c.claim, papers[c.paper.casefold()]) for c in claims if c.paper.casefold() in papers]
        if not usable:  # the quick store may hold none of the claimed papers
            usable = [(CLAIM, p) for p in papers.values() if p.key == "hnerv"] * 10
        surveyor.check_claim(CLAIM, usable[0][1].key)  # the model loaded, and one paper read
        samples = []
        for claim, paper in usable[: 20 if quick else None]:
            if read_ahead:
                surveyor.checker.read_ahead([paper]).join()
            t = time.perf_counter()
            surveyor.check_claim(claim, paper.key)
            samples.append((time.perf_counter() - t) * 1000)
        ordered = sorted(samples)
        result["read_ahead" if read_ahead else "first_visit"] = {
            "claims": len(samples), "p50_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2)}
    print(f"verification per cited sentence: {result}", flush=True)
    return result


def _forget_what_was_read() -> None:
    """Empty every cache of surveyor's (what earlier checks read of abstracts and claims)."""
    import functools
    import gc

    for obj in gc.get_objects():
        if isinstance(obj, functools._lru_cache_wrapper) and getattr(obj, "__module__", "").startswith("surveyor"):
            obj.cache_clear()


def bench_real_model(path: str, questions: list[str]) -> dict[str, object] | None:
    """`surveyor ask --llm openai` as processes, against llama.cpp + Gemma 3 270M on 2 threads."""
    venv = Path(os.environ.get("SURVEYOR_TEST_LLM") or ROOT / ".venv-llm")
    if not (venv / "model.gguf").exists():
        print("real model: skipped (no .venv-llm: `make .venv-llm/model.gguf` builds it)", flush=True)
        return None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(venv / "bin" / "python"), "-m", "llama_cpp.server", "--model", str(venv / "model.gguf"),
                               "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--n_threads", "2",
                               "--model_alias", "gemma-3-270m", "--chat_format", "gemma"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(240):
            try:
                if httpx.get(f"{url}/models", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        env = os.environ | {"SURVEYOR_STORE": path, "SURVEYOR_LLM": "openai", "OPENAI_BASE_URL": url,
                            "SURVEYOR_MODEL": "gemma-3-270m"}
        walls, abstained, shown, unsupported = [], 0, 0, 0
        for question in questions:
            t = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "surveyor", "ask", question, "--json"], capture_output=True,
                                  text=True, env=env)
            walls.append(time.perf_counter() - t)
            answer = json.loads(done.stdout) if done.returncode == 0 else {"abstained": False, "sentences": []}
            abstained += answer["abstained"]
            shown += len(answer["sentences"])  # each shown only once its citations were checked
            unsupported += sum(not c["supported"] for s in answer["sentences"] for c in s["citations"])
    finally:
        server.terminate()
        server.wait(timeout=30)
    from surveyor.settings import Settings

    result = {"asks": len(walls), "median_s": round(statistics.median(walls), 1), "max_s": round(max(walls), 1),
              "deadline_s": Settings().llm_deadline, "abstained": abstained, "sentences_shown": shown,
              "unsupported_citations_shown": unsupported}
    print(f"real model: {result}", flush=True)
    return result


def main() -> None:
    global WORK
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small store, fewer runs (for the test suite)")
    parser.add_argument("--no-real-model", action="store_true", help="skip the llama.cpp measurements")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks", help="where the results files go")
    parser.add_argument("--work", type=Path, default=WORK, help="scratch stores")
    args = parser.parse_args()
    WORK = args.work
    WORK.mkdir(parents=True, exist_ok=True)
    path = store(args.quick)
    results: dict[str, object] = {
        "quick": args.quick,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()}",
        "concurrency": bench_concurrency(path, 10, 0.5 if args.quick else 2.0),
        "first_sentence": bench_first_sentence(path, 0.02 if args.quick else 0.05),
        "verification": bench_verification(path, args.quick),
    }
    if not (args.quick or args.no_real_model):
        questions = [json.loads(line)["q"] for line in (ROOT / "corpora" / "questions.jsonl").read_text().splitlines()[:10]]
        results["real_model"] = bench_real_model(path, questions)
    name = "results-llm-quick" if args.quick else "results-llm"
    (args.out / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / f"{name}.md").write_text(_table(results))


def _table(results: dict[str, object]) -> str:
    c, f, v = results["concurrency"], results["first_sentence"], results["verification"]
    assert isinstance(c, dict) and isinstance(f, dict) and isinstance(v, dict)
    rows = [
        ("10 concurrent HTTP asks, model takes " + f"{c['model_seconds']} s", f"{c['wall_s']} s wall in all",
         f"slowest ask {c['slowest_ask_s']} s; {c['max_at_model_at_once']} at the model at once"),
        ("/v1/search during those asks", f"{c['search_during_asks_ms']} ms", ""),
        ("first verified sentence after the model's full stop", f"p50 {f['after_full_stop_p50_s']} s",
         f"max {f['after_full_stop_max_s']} s"),
        *((f"verifying one cited sentence: {label}", f"p50 {v[key]['p50_ms']} ms",
           f"p95 {v[key]['p95_ms']} ms over {v[key]['claims']} claims")
          for key, label in (("first_visit", "first claim on its paper"),
                             ("read_ahead", "paper read while the model wrote"))),
    ]
    real = results.get("real_model")
    if isinstance(real, dict):
        rows.append(("`ask --llm openai`, Gemma 3 270M on llama.cpp (2 threads)", f"median {real['median_s']} s",
                     f"max {real['max_s']} s (deadline {real['deadline_s']} s), {real['abstained']}/{real['asks']} abstained, "
                     f"{real['sentences_shown']} verified sentences shown ({real['unsupported_citations_shown']} citations "
                     "marked unsupported)"))
    lines = ["| measure | result | beside it |", "|---|---|---|", *(f"| {a} | {b} | {c_} |" for a, b, c_ in rows)]
    return "\n".join(lines) + f"\n\nMachine: {results['machine']}\n"


if __name__ == "__main__":
    main()
