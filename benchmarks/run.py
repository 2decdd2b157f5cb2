"""Speed and memory of surveyor on this machine, beside the LangChain-tutorial baseline.

    python benchmarks/run.py [--quick] [--no-baseline]

Prints each number as it is measured and writes benchmarks/results.json and benchmarks/results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
CORPORA = ROOT / "corpora"
SURVEYOR = [str(Path(sys.executable).with_name("surveyor"))]
QUERY = "how can a video be stored as a neural network?"
QUESTIONS = CORPORA / "questions.jsonl"
CLAIMS = CORPORA / "claims.jsonl"
WARM_QUERIES = [
    "federated learning with non-IID clients",
    "accelerating diffusion model sampling",
    "graph neural networks for link prediction",
    "scaling laws for language models",
    "knowledge distillation from large teachers",
    "mixture of experts inference",
    "quantization of diffusion models",
    "decentralized training over slow networks",
]


def run_timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    """Wall seconds of one process run, start to exit."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.strip().splitlines()[-1:]}")
    return wall


def measure_process(label: str, cmd: list[str], runs: int, env: dict[str, str] | None = None) -> dict[str, float]:
    walls = [run_timed(cmd, env) for _ in range(runs)]
    peak = _peak_of(cmd, env)
    result = {"median_s": round(statistics.median(walls), 3), "min_s": round(min(walls), 3), "peak_rss_mib": peak}
    print(f"{label}: {result}", flush=True)
    return result


def _peak_of(cmd: list[str], env: dict[str, str] | None) -> float:
    """Peak RSS of one run, measured in a fresh interpreter so earlier children don't mask it."""
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, env=env, check=True)
    return round(float(out.stdout.strip()), 1)


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2)}


def bench_ingest(env: dict[str, str], source: Path, torch_too: bool) -> dict[str, object]:
    """Ingest of the seed corpus vs the raw embedding throughput of the same chunk texts."""
    from surveyor import Settings, Surveyor
    from surveyor.corpus.chunking import embedding_text

    store = WORK / "ingest-store"
    shutil.rmtree(store, ignore_errors=True)
    surveyor = Surveyor(Settings(store=str(store)))
    surveyor.embedder.embed(["warm up"])  # the one-time model load is not throughput
    start = time.perf_counter()
    report = surveyor.ingest([source])
    ingest_s = time.perf_counter() - start
    chunks = surveyor.store.db.all_chunks()
    papers = {p.paper_id: p for p in surveyor.papers()}
    texts = [embedding_text(papers[c.paper_id], c) for c in chunks]
    texts.sort(key=len)
    start = time.perf_counter()
    for i in range(0, len(texts), 32):
        surveyor.embedder.embed(texts[i : i + 32])
    raw_s = time.perf_counter() - start
    result: dict[str, object] = {
        "papers": len(papers),
        "chunks": report.chunks,
        "ingest_s": round(ingest_s, 2),
        "ingest_chunks_per_s": round(report.chunks / ingest_s, 1),
        "raw_onnx_chunks_per_s": round(len(texts) / raw_s, 1),
    }
    result["ingest_vs_raw"] = round(float(result["ingest_chunks_per_s"]) / float(result["raw_onnx_chunks_per_s"]), 3)
    result["raw_torch_chunks_per_s"] = _torch_throughput(texts) if torch_too else None
    print(f"ingest: {result}", flush=True)

    walls = [run_timed([*SURVEYOR, "ingest", str(source), "--store", str(store), "--json"], env) for _ in range(3)]
    in_process = _timed(lambda: surveyor.ingest([source]))
    result["reingest_unchanged_process_s"] = round(statistics.median(walls), 3)
    result["reingest_unchanged_in_process_s"] = round(in_process, 3)
    result["reingest_s_per_1000_papers"] = round(statistics.median(walls) * 1000 / len(papers), 3)
    print(f"re-ingest unchanged: {result['reingest_unchanged_process_s']} s process, {in_process:.3f} s in process", flush=True)
    return result


def _torch_throughput(texts: list[str]) -> float | None:
    """sentence-transformers on torch, same texts and batch size, in a child (its import is heavy)."""
    script = (
        "import json, sys, time; from sentence_transformers import SentenceTransformer; "
        "from surveyor.index.embeddings import model_dir; from surveyor.settings import DEFAULT_MODEL; "
        "texts = json.load(sys.stdin); m = SentenceTransformer(str(model_dir(DEFAULT_MODEL)), device='cpu'); "
        "m.encode(texts[:32]); t = time.perf_counter(); m.encode(texts, batch_size=32); "
        "print(len(texts) / (time.perf_counter() - t))"
    )
    proc = subprocess.run([sys.executable, "-c", script], input=json.dumps(texts), capture_output=True, text=True)
    return round(float(proc.stdout.strip()), 1) if proc.returncode == 0 else None


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_cold(env: dict[str, str], runs: int) -> dict[str, dict[str, float]]:
    """Whole processes, start to exit: search, ask (extractive) and a 40-paper draft."""
    store = ["--store", str(WORK / "ingest-store")]
    return {
        "search": measure_process("cold search", [*SURVEYOR, "search", QUERY, *store], runs, env),
        "ask": measure_process("cold ask", [*SURVEYOR, "ask", QUERY, *store], runs, env),
        "draft": measure_process("cold draft", [*SURVEYOR, "draft", "diffusion model acceleration", *store], runs, env),
    }


def bench_warm_ask(count: int) -> dict[str, object]:
    """Asks in one loaded process (as in `chat` or `serve`), over the example questions."""
    from surveyor import Settings, Surveyor

    surveyor = Surveyor(Settings(store=str(WORK / "ingest-store"))).load()
    questions = [json.loads(line)["q"] for line in QUESTIONS.read_text().splitlines() if line.strip()]
    samples = [_timed(lambda q=q: surveyor.ask(q)) for q in (questions * 2)[:count]]
    result: dict[str, object] = {"questions": len(samples), **percentiles(samples)}
    print(f"warm ask: {result}", flush=True)
    return result


def bench_verify() -> dict[str, object]:
    """Verification of one cited claim in a loaded process (model and indexes warm, each claim new to it): every
    check, the embedding of the claim included, over the example claims file."""
    from surveyor import Settings, Surveyor
    from surveyor.claims_eval import evaluate_claims

    surveyor = Surveyor(Settings(store=str(WORK / "ingest-store"))).load()
    surveyor.check_claim("A warm-up claim about video.", surveyor.papers()[0].key)
    report = evaluate_claims(surveyor, CLAIMS)
    result: dict[str, object] = {"claims": len(report.claims),
                                 **percentiles([c.milliseconds / 1000 for c in report.claims])}
    print(f"verify: {result}", flush=True)
    return result


def bench_quality() -> dict[str, object]:
    """Retrieval hit@1/hit@5 of surveyor on the example questions (the same numbers as `surveyor eval`)."""
    from surveyor import Settings, Surveyor
    from surveyor.evaluate import evaluate

    report = evaluate(Surveyor(Settings(store=str(WORK / "ingest-store"))), QUESTIONS)
    s = report.summary
    result = {"questions_with_expect": s.with_expect, "hit_at_1": s.hit_at_1, "hit_at_5": s.hit_at_5, "mrr": s.mrr}
    print(f"quality: {result}", flush=True)
    return result


def bench_scale(chunks_wanted: int, max_sentences: int) -> dict[str, object]:
    """Warm search at scale: synthetic papers recombined from fixture sentences.

    Each synthetic chunk's vector is the normalised mean of its sentences' real embeddings, so the
    index holds realistic vectors without hours of embedding; queries are embedded for real.
    """
    import numpy as np

    from surveyor import Settings, Surveyor
    from surveyor.records import Chunk, Paper
    from surveyor.text.sentences import split_sentences

    source = Surveyor(Settings(store=str(WORK / "ingest-store")))
    sentences = sorted({s for p in source.papers() for s in split_sentences(p.abstract) if len(s) > 40})
    sentences = random.Random(3).sample(sentences, min(max_sentences, len(sentences)))
    start = time.perf_counter()
    sentence_vectors = np.vstack([source.embedder.embed(sentences[i : i + 64]) for i in range(0, len(sentences), 64)])
    embed_s = time.perf_counter() - start
    store_dir = WORK / f"scale-{chunks_wanted}"
    shutil.rmtree(store_dir, ignore_errors=True)
    scaled = Surveyor(Settings(store=str(store_dir)))
    scaled.ingest([])  # creates the store
    rng = random.Random(7)
    start = time.perf_counter()
    db = scaled.store.db
    batch: list[tuple[Paper, Chunk, np.ndarray]] = []
    for n in range(chunks_wanted):
        picks = rng.sample(range(len(sentences)), 4)
        text = " ".join(sentences[i] for i in picks)
        paper = Paper(paper_id=f"syn:{n}", key=f"syn{n}", title=f"Synthetic study {n}", abstract=text)
        vector = sentence_vectors[picks].mean(axis=0)
        batch.append((paper, Chunk(f"syn:{n}#0", paper.paper_id, 0, text, 0, 3), vector / np.linalg.norm(vector)))
        if len(batch) == 4096 or n == chunks_wanted - 1:
            with db.transaction():
                for paper, chunk, _ in batch:
                    db.put(paper, "synthetic", [], [chunk])
            scaled.store.upsert_vectors([c for _, c, _ in batch], np.vstack([v for _, _, v in batch]))
            db.mark_indexed([c.chunk_id for _, c, _ in batch])
            batch = []
    with db.transaction():
        db.bump_generation()
    scaled.store.update_lexical()
    build_s = time.perf_counter() - start
    scaled.search("warm up the model", k=5)
    samples = []
    for i in range(100):
        query = WARM_QUERIES[i % len(WARM_QUERIES)] + ("" if i < len(WARM_QUERIES) else f" variant {i}")
        samples.append(_timed(lambda: scaled.search(query, k=10)))
    size = sum(f.stat().st_size for f in store_dir.rglob("*") if f.is_file())
    result: dict[str, object] = {
        "chunks": chunks_wanted,
        "sentence_embedding_s": round(embed_s, 1),
        "index_build_s (records + Chroma + BM25, vectors given)": round(build_s, 1),
        "warm_search": percentiles(samples),
        "store_mib": round(size / 2**20, 1),
        "process_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(f"scale: {result}", flush=True)
    return result


BASELINE_INGEST = """
import sys, time, glob
from langchain_huggingface import HuggingFaceEmbeddings
from langchain_chroma import Chroma
from langchain_text_splitters import RecursiveCharacterTextSplitter
from surveyor.index.embeddings import model_dir
from surveyor.settings import DEFAULT_MODEL
from surveyor.corpus.readers import read_paths
from surveyor.records import Record
from pathlib import Path
t = time.perf_counter()
records = [r for r in read_paths([Path(sys.argv[2])]) if isinstance(r, Record)]
texts = [r.title + "\\n" + r.abstract for r in records]
splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
docs = splitter.create_documents(texts, metadatas=[{"title": r.title} for r in records])
emb = HuggingFaceEmbeddings(model_name=str(model_dir(DEFAULT_MODEL)))
Chroma.from_documents(docs, emb, persist_directory=sys.argv[1])
print(time.perf_counter() - t)
"""

BASELINE_SEARCH = """
import sys
from langchain_huggingface import HuggingFaceEmbeddings
from langchain_chroma import Chroma
from surveyor.index.embeddings import model_dir
from surveyor.settings import DEFAULT_MODEL
emb = HuggingFaceEmbeddings(model_name=str(model_dir(DEFAULT_MODEL)))
db = Chroma(persist_directory=sys.argv[1], embedding_function=emb)
for doc in db.similarity_search(sys.argv[2], k=5):
    print(doc.metadata["title"])
"""


BASELINE_QUALITY = """
import json, sys
from langchain_huggingface import HuggingFaceEmbeddings
from langchain_chroma import Chroma
from surveyor.index.embeddings import model_dir
from surveyor.settings import DEFAULT_MODEL
emb = HuggingFaceEmbeddings(model_name=str(model_dir(DEFAULT_MODEL)))
db = Chroma(persist_directory=sys.argv[1], embedding_function=emb)
hits1 = hits5 = 0
cases = json.load(sys.stdin)
for question, expected in cases:
    titles = list(dict.fromkeys(d.metadata["title"] for d in db.similarity_search(question, k=20)))[:5]
    hits1 += bool(titles) and titles[0] in expected
    hits5 += any(t in expected for t in titles)
print(json.dumps({"questions_with_expect": len(cases), "hit_at_1": hits1 / len(cases), "hit_at_5": hits5 / len(cases)}))
"""


def _labelled_titles() -> list[tuple[str, list[str]]]:
    """(question, titles of its expected papers) for the example questions that name papers."""
    from surveyor import Settings, Surveyor
    from surveyor.evaluate import expected_ids, read_questions

    surveyor = Surveyor(Settings(store=str(WORK / "ingest-store")))
    papers = surveyor.papers()
    title = {p.paper_id: p.title for p in papers}
    return [
        (q.q, [title[i] for i in expected_ids(q, papers, QUESTIONS)]) for q in read_questions(QUESTIONS) if q.expect
    ]


def bench_baseline(env: dict[str, str], runs: int) -> dict[str, object] | None:
    try:
        import langchain_huggingface  # noqa: F401
    except ImportError:
        print("baseline skipped: pip install -e '.[bench]' for langchain-huggingface", flush=True)
        return None
    store = WORK / "baseline-chroma"
    shutil.rmtree(store, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", BASELINE_INGEST, str(store), str(CORPORA)], check=True, env=env, capture_output=True)
    ingest_s = time.perf_counter() - start
    search = measure_process("baseline cold search", [sys.executable, "-c", BASELINE_SEARCH, str(store), QUERY], runs, env)
    quality = subprocess.run(
        [sys.executable, "-c", BASELINE_QUALITY, str(store)], input=json.dumps(_labelled_titles()),
        capture_output=True, text=True, env=env, check=True,
    )
    result: dict[str, object] = {"ingest_process_s": round(ingest_s, 1), "cold_search": search,
                                 "quality": json.loads(quality.stdout.strip().splitlines()[-1])}
    print(f"baseline: {result}", flush=True)
    return result


def markdown(results: dict[str, object]) -> str:
    ours = results["cold_search"]
    base = results.get("baseline") or {}
    ingest = results["ingest"]
    scale = results["scale"]
    assert isinstance(ours, dict) and isinstance(ingest, dict) and isinstance(scale, dict) and isinstance(base, dict)
    rows = [
        ("cold `surveyor search` (median of runs)", f"{ours['median_s']} s", _ratio(ours, base.get("cold_search"), "median_s")),
        ("cold search peak memory", f"{ours['peak_rss_mib']} MiB", _ratio(ours, base.get("cold_search"), "peak_rss_mib")),
        (f"ingest of {ingest['papers']} seed papers", f"{ingest['ingest_s']} s ({ingest['chunks']} chunks, titles included)",
         f"baseline {base.get('ingest_process_s', 'n/a')} s (fewer, title-less chunks)"),
        ("ingest throughput vs raw model", f"{ingest['ingest_chunks_per_s']} vs {ingest['raw_onnx_chunks_per_s']} chunks/s ({ingest['ingest_vs_raw']:.0%})",
         f"torch: {ingest['raw_torch_chunks_per_s']} chunks/s"),
        ("re-ingest unchanged corpus", f"{ingest['reingest_unchanged_process_s']} s process, "
         f"{ingest['reingest_unchanged_in_process_s']} s in process",
         f"{ingest['reingest_unchanged_in_process_s'] * 1000 / ingest['papers']:.2f} s per 1,000 papers in process"),
        ("cold `surveyor ask` (extractive)", f"{results['cold_ask']['median_s']} s, {results['cold_ask']['peak_rss_mib']} MiB", ""),  # type: ignore[index]
        ("cold `surveyor draft` (40 papers)", f"{results['cold_draft']['median_s']} s", ""),  # type: ignore[index]
        ("warm ask (in chat/serve)", f"p50 {results['warm_ask']['p50_ms']} ms, p95 {results['warm_ask']['p95_ms']} ms", f"{results['warm_ask']['questions']} questions"),  # type: ignore[index]
        *_verify_row(results.get("verify")),
        *_quality_row(results.get("quality"), base.get("quality")),
        (f"warm search at {scale['chunks']:,} chunks", f"p50 {scale['warm_search']['p50_ms']} ms, p95 {scale['warm_search']['p95_ms']} ms",
         f"store {scale['store_mib']} MiB"),
    ]
    lines = ["| measure | surveyor | beside it |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines.append(f"\nMachine: {results['machine']}")
    return "\n".join(lines) + "\n"


def _verify_row(verify: object) -> list[tuple[str, str, str]]:
    if not isinstance(verify, dict):
        return []
    return [("warm verification of a cited claim", f"p50 {verify['p50_ms']} ms, p95 {verify['p95_ms']} ms",
             f"{verify['claims']} example claims")]


def _quality_row(ours: object, base: object) -> list[tuple[str, str, str]]:
    if not isinstance(ours, dict):
        return []
    theirs = f"baseline hit@1 {base['hit_at_1']:.2f}, hit@5 {base['hit_at_5']:.2f}" if isinstance(base, dict) else "baseline not run"
    return [(f"retrieval on {ours['questions_with_expect']} example questions",
             f"hit@1 {ours['hit_at_1']:.2f}, hit@5 {ours['hit_at_5']:.2f}", theirs)]


def _ratio(ours: dict[str, float], base: object, key: str) -> str:
    if not isinstance(base, dict):
        return "baseline not run"
    return f"baseline {base[key]} ({ours[key] / base[key]:.2f}x of it)"


def main() -> None:
    global WORK
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, for the test suite")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks", help="where the results files go")
    parser.add_argument("--work", type=Path, default=WORK, help="scratch stores")
    args = parser.parse_args()
    WORK = args.work
    WORK.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    runs = 1 if args.quick else 5
    results: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        "quick": args.quick,
    }
    # Quick mode (the test suite runs it so this script cannot rot): one seed file, small sizes.
    source = CORPORA / "002_b4d5754435f6acd9.txt" if args.quick else CORPORA
    results["ingest"] = bench_ingest(env, source, torch_too=not args.quick)
    cold = bench_cold(env, runs)
    results["cold_search"], results["cold_ask"], results["cold_draft"] = cold["search"], cold["ask"], cold["draft"]
    results["warm_ask"] = bench_warm_ask(10 if args.quick else 50)
    results["verify"] = None if args.quick else bench_verify()
    results["quality"] = None if args.quick else bench_quality()
    results["scale"] = bench_scale(500, 100) if args.quick else bench_scale(100_000, 100_000)
    results["baseline"] = None if args.quick or args.no_baseline else bench_baseline(env, runs)
    out = args.out / ("results-quick" if args.quick else "results")
    out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n")
    out.with_suffix(".md").write_text(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    main()
