"""surveyor at 100k papers, local and on a Chroma server on loopback.

    python benchmarks/scale.py [--papers 100000] [--writers-papers 200] [--quick]

Builds a store of synthetic papers (sentences of the fixture corpora recombined; each chunk's
vector is the normalised mean of its sentences' real embeddings, written directly: embedding
200k chunks would take hours on 2 cores), pushes it to a `chroma run` server, and measures:
ingest of 1 new paper (local and server; real embedding, timed apart), warm search p50/p95 (local
and server), and two concurrent writer processes of N papers each against the server.
Prints each number as it is measured and writes benchmarks/results-scale.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work" / "scale"  # quick runs use work/scale-quick
CORPORA = ROOT / "corpora"
QUERIES = [
    "federated learning with non-IID clients",
    "accelerating diffusion model sampling",
    "graph neural networks for link prediction",
    "scaling laws for language models",
    "knowledge distillation from large teachers",
    "mixture of experts inference",
    "quantization of diffusion models",
    "decentralized training over slow networks",
]
NEW_PAPER = {
    "title": "Segment Merging for Incremental Lexical Indexes in Literature Assistants",
    "abstract": "We index new paper abstracts in small immutable segments and merge segments of similar size. "
    "Adding a paper costs time proportional to the paper, not to the corpus. Retrieval quality is unchanged.",
}


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2)}


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def sentence_bank(limit: int) -> tuple[list[str], np.ndarray]:
    """Fixture sentences and their real embeddings (kept in WORK between runs)."""
    from surveyor import Settings
    from surveyor.corpus.readers import read_paths
    from surveyor.index.embeddings import open_embedder
    from surveyor.records import Record
    from surveyor.text.sentences import split_sentences

    cache = WORK / f"sentences-{limit}.npz"
    if cache.exists():
        saved = np.load(cache)
        return [str(s) for s in saved["sentences"]], saved["vectors"]
    records = [r for r in read_paths([CORPORA]) if isinstance(r, Record)]
    sentences = sorted({s for r in records for s in split_sentences(r.abstract) if len(s) > 40})[:limit]
    embedder = open_embedder(Settings())
    vectors = np.vstack([embedder.embed(sentences[i : i + 64]) for i in range(0, len(sentences), 64)])
    WORK.mkdir(parents=True, exist_ok=True)
    np.savez(cache, sentences=np.asarray(sentences), vectors=vectors)
    return sentences, vectors


def build_local(directory: Path, papers: int, sentences: list[str], vectors: np.ndarray) -> dict[str, object]:
    """A local store of `papers` synthetic papers, two chunks each, vectors written directly."""
    from surveyor import Settings, Surveyor
    from surveyor.corpus.chunking import chunk_id_for, content_digest
    from surveyor.records import Chunk, Paper

    shutil.rmtree(directory, ignore_errors=True)
    surveyor = Surveyor(Settings(store=str(directory)))
    surveyor.ingest([])  # creates the store
    store, db = surveyor.store, surveyor.store.db
    rng = random.Random(7)
    start = time.perf_counter()
    batch: list[tuple[Paper, str, list[Chunk], np.ndarray]] = []
    for n in range(papers):
        picks = rng.sample(range(len(sentences)), 7)
        paper = Paper(f"syn:{n}", f"syn{n}", f"Synthetic study {n}", " ".join(sentences[i] for i in picks))
        digest = content_digest(paper, 200)
        windows = [picks[:4], picks[3:]]
        chunks = [
            Chunk(chunk_id_for(paper.paper_id, digest, k), paper.paper_id, k, " ".join(sentences[i] for i in w), a, b)
            for k, (w, a, b) in enumerate(zip(windows, (0, 3), (3, 6)))
        ]
        mean = np.vstack([vectors[w].mean(axis=0) for w in windows])
        batch.append((paper, digest, chunks, mean / np.linalg.norm(mean, axis=1, keepdims=True)))
        if len(batch) == 2000 or n == papers - 1:
            with db.transaction():
                for p, d, c, _ in batch:
                    db.put(p, d, [p.paper_id], c)
                db.bump_generation()
            all_chunks = [c for _, _, cs, _ in batch for c in cs]
            store.upsert_vectors(all_chunks, np.vstack([v for *_, v in batch]))
            db.mark_indexed([c.chunk_id for c in all_chunks])
            batch = []
    store.update_lexical()
    build_s = time.perf_counter() - start
    size = sum(f.stat().st_size for f in directory.rglob("*") if f.is_file())
    result = {
        "papers": papers,
        "chunks": db.chunk_count(),
        "build_s": round(build_s, 1),
        "store_mib": round(size / 2**20, 1),
    }
    print(f"local store: {result}", flush=True)
    return result


def warm_search(surveyor: object, count: int = 100) -> dict[str, float]:
    search = surveyor.search  # type: ignore[attr-defined]
    search("warm up the model", k=5)
    samples = []
    for i in range(count):
        query = QUERIES[i % len(QUERIES)] + ("" if i < len(QUERIES) else f" variant {i}")
        samples.append(timed(lambda q=query: search(q, k=10)))
    return percentiles(samples)


def ingest_one(surveyor: object, name: str) -> dict[str, float]:
    """Ingest one new paper in process; its embedding time is measured apart, on the same texts."""
    from surveyor.corpus.chunking import chunk_paper, embedding_text
    from surveyor.records import Paper

    source = WORK / f"new-paper-{name}.jsonl"
    row = dict(NEW_PAPER, title=f"{NEW_PAPER['title']} ({name} {time.time_ns()})")
    source.write_text(json.dumps(row) + "\n")
    embedder = surveyor.embedder  # type: ignore[attr-defined]
    embedder.embed(["warm up"])
    paper = Paper("x", "x", str(row["title"]), str(row["abstract"]))
    chunks = chunk_paper(paper, embedder.count_tokens, 200)
    embed_s = timed(lambda: embedder.embed([embedding_text(paper, c) for c in chunks]))
    total_s = timed(lambda: surveyor.ingest([source]))  # type: ignore[attr-defined]
    return {
        "total_s": round(total_s, 3),
        "embedding_s": round(embed_s, 3),
        "without_embedding_s": round(total_s - embed_s, 3),
    }


def ingest_one_process(store: str, env: dict[str, str], name: str) -> float:
    source = WORK / f"new-paper-cli-{name}.jsonl"
    source.write_text(json.dumps(dict(NEW_PAPER, title=f"{NEW_PAPER['title']} (cli {name} {time.time_ns()})")) + "\n")
    command = [sys.executable, "-m", "surveyor", "ingest", str(source), "--store", store]
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return round(time.perf_counter() - start, 3)


@contextmanager
def chroma_server() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = WORK / "chroma-server"
    shutil.rmtree(data, ignore_errors=True)
    chroma = Path(sys.executable).with_name("chroma")
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        import httpx

        for _ in range(300):
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def concurrent_writers(url: str, env: dict[str, str], per_writer: int) -> dict[str, object]:
    """Two `surveyor ingest` processes, separate HOME and directories, overlapping papers."""
    from surveyor import Settings, Surveyor
    from surveyor.corpus.identity import merge
    from surveyor.corpus.readers import read_paths
    from surveyor.records import Record

    records = [r for r in read_paths([CORPORA]) if isinstance(r, Record)]
    papers = [p for p, _ in merge(records)]
    overlap = max(1, per_writer // 5)
    shares = [papers[:per_writer], papers[per_writer - overlap : 2 * per_writer - overlap]]
    processes = []
    start = time.perf_counter()
    for n, share in enumerate(shares):
        home = WORK / f"writer{n}"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        source = home / "papers.jsonl"
        source.write_text("".join(json.dumps({"title": p.title, "abstract": p.abstract}) + "\n" for p in share))
        child_env = dict(env, HOME=str(home))
        child_env.pop("XDG_CACHE_HOME", None)
        command = [sys.executable, "-m", "surveyor", "ingest", str(source), "--store", url, "--json"]
        processes.append(
            (subprocess.Popen(command, cwd=home, env=child_env, stdout=subprocess.PIPE, text=True), time.perf_counter())
        )
    walls = []
    for process, began in processes:
        process.communicate()
        walls.append(round(time.perf_counter() - began, 1))
        if process.returncode != 0:
            raise SystemExit("a writer failed")
    both_s = time.perf_counter() - start
    wanted = {p.paper_id for share in shares for p in share}
    check = Surveyor(Settings(store=url, cache_dir=WORK / "checker-cache"))
    stored = {p.paper_id for p in check.papers()}
    result: dict[str, object] = {
        "papers_per_writer": per_writer,
        "overlap": overlap,
        "writer_wall_s": walls,
        "both_done_s": round(both_s, 1),
        "lost": len(wanted - stored),
    }
    print(f"two writers: {result}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--writers-papers", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="small sizes, for the test suite")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks", help="where the results files go")
    parser.add_argument("--work", type=Path, default=None, help="scratch stores")
    args = parser.parse_args()
    global WORK
    if args.quick:
        args.papers, args.writers_papers = 300, 10
        WORK = WORK.with_name("scale-quick")
    WORK = args.work or WORK
    WORK.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONPATH=str(ROOT))
    env = {k: v for k, v in env.items() if not k.startswith("SURVEYOR_")}
    from surveyor import Settings, Surveyor

    results: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        "quick": args.quick,
    }
    sentences, vectors = sentence_bank(3000)
    local_dir = WORK / f"scale-local-{args.papers}"
    results["local_store"] = build_local(local_dir, args.papers, sentences, vectors)
    local = Surveyor(Settings(store=str(local_dir)))
    results["local_warm_search"] = warm_search(local)
    print(f"local warm search: {results['local_warm_search']}", flush=True)
    results["local_ingest_one"] = ingest_one(local, "local")

    with chroma_server() as url:
        start = time.perf_counter()
        sent = local.push(url)
        results["push"] = {
            "papers": sent["papers"],
            "chunks_embedded": sent["chunks_embedded"],
            "s": round(time.perf_counter() - start, 1),
        }
        print(f"push to the server: {results['push']}", flush=True)
        shutil.rmtree(WORK / "client-cache", ignore_errors=True)
        client = Surveyor(Settings(store=url, cache_dir=WORK / "client-cache"))
        results["server_new_client_cache_s"] = round(timed(lambda: client.store.refresh(force=True)), 1)
        print(f"new client fills its cache: {results['server_new_client_cache_s']} s", flush=True)
        results["server_warm_search"] = warm_search(client)
        print(f"server warm search: {results['server_warm_search']}", flush=True)
        results["server_ingest_one"] = ingest_one(client, "server")
        server_env = dict(env, XDG_CACHE_HOME=str(WORK / "cli-cache"))
        ingest_one_process(url, server_env, "server-warmup")  # the CLI's cache is filled once
        results["server_ingest_one"]["process_s"] = ingest_one_process(url, server_env, "server")  # type: ignore[index]
        print(f"server ingest of 1 paper: {results['server_ingest_one']}", flush=True)
        results["two_writers"] = concurrent_writers(url, env, args.writers_papers)
    # Last: this process's Chroma client does not follow writes by another process (Chroma's
    # persistent client is one process's), so the CLI run comes after everything else used it.
    results["local_ingest_one"]["process_s"] = ingest_one_process(str(local_dir), env, "local")  # type: ignore[index]
    print(f"local ingest of 1 paper: {results['local_ingest_one']}", flush=True)
    out = args.out / ("results-scale-quick" if args.quick else "results-scale")
    out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n")
    out.with_suffix(".md").write_text(markdown(results))
    print(markdown(results))


def markdown(r: dict[str, object]) -> str:
    store, push = r["local_store"], r["push"]
    li, si, tw = r["local_ingest_one"], r["server_ingest_one"], r["two_writers"]
    lw, sw = r["local_warm_search"], r["server_warm_search"]
    assert all(isinstance(x, dict) for x in (store, push, li, si, tw, lw, sw))
    rows = [
        (
            "store",
            f"{store['papers']:,} papers, {store['chunks']:,} chunks",
            f"built in {store['build_s']} s (vectors given), {store['store_mib']} MiB",
        ),  # type: ignore[index]
        ("warm search, local", f"p50 {lw['p50_ms']} ms, p95 {lw['p95_ms']} ms", "target p50 <= 20 ms"),  # type: ignore[index]
        ("warm search, server on loopback", f"p50 {sw['p50_ms']} ms, p95 {sw['p95_ms']} ms", "target p50 <= 60 ms"),  # type: ignore[index]
        (
            "ingest 1 new paper, local",
            f"{li['without_embedding_s']} s + {li['embedding_s']} s embedding (in process)",
            f"`surveyor ingest` process: {li['process_s']} s",
        ),  # type: ignore[index]
        (
            "ingest 1 new paper, server",
            f"{si['without_embedding_s']} s + {si['embedding_s']} s embedding (in process)",
            f"`surveyor ingest` process: {si['process_s']} s",
        ),  # type: ignore[index]
        ("push local store to server", f"{push['s']} s", f"{push['chunks_embedded']} chunks re-embedded"),  # type: ignore[index]
        ("new client fills its cache", f"{r['server_new_client_cache_s']} s", "once per client"),
        (
            f"two writers x {tw['papers_per_writer']} papers (overlap {tw['overlap']})",
            f"{tw['both_done_s']} s for both",
            f"walls {tw['writer_wall_s']} s, {tw['lost']} lost",
        ),  # type: ignore[index]
    ]
    lines = ["| measure | result | note |", "|---|---|---|", *(f"| {a} | {b} | {c} |" for a, b, c in rows)]
    return "\n".join(lines) + f"\n\nMachine: {r['machine']}\n"


if __name__ == "__main__":
    main()
