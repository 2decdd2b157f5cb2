"""The index under change: incremental lexical segments, many reader threads during a write,
reindex without downtime, stores made by the previous version, where caches live."""

from __future__ import annotations

import json
import random
import sqlite3
import threading
from pathlib import Path

import pytest
from conftest import SEED_FILES, write_jsonl

from surveyor import Settings, Surveyor
from surveyor.corpus.readers import read_paths
from surveyor.index.embeddings import Embedder
from surveyor.index.lexical import LexicalIndex, Segment, merge_segments, write_segment
from surveyor.index.retriever import Retriever
from surveyor.index.store import Store, cache_root
from surveyor.records import Record


@pytest.fixture(scope="module")
def seed() -> list[dict[str, object]]:
    records = [r for r in read_paths([SEED_FILES[1]]) if isinstance(r, Record)]
    return [{"title": r.title, "abstract": r.abstract} for r in records]


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(300)] + ["video", "diffusion", "graph", "hnerv"]
    return [" ".join(rng.choices(words, k=rng.randint(5, 60))) for _ in range(count)]


def test_segments_rank_exactly_like_one_index(tmp_path: Path) -> None:
    texts = _texts(400, 1)
    ids = [f"c{i:04d}" for i in range(len(texts))]
    whole = LexicalIndex([Segment.load(tmp_path / write_segment(tmp_path, ids, texts))], {})
    parts = [
        Segment.load(tmp_path / write_segment(tmp_path, ids[i : i + 37], texts[i : i + 37])) for i in range(0, 400, 37)
    ]
    # A replaced chunk is dead in its old segment and lives again in a newer one.
    dead = {parts[0].name: {ids[3]}}
    parts.append(Segment.load(tmp_path / write_segment(tmp_path, [ids[3]], [texts[3]])))
    pieces = LexicalIndex(parts, dead)
    merged = LexicalIndex([Segment.load(tmp_path / merge_segments(tmp_path, parts, dead))], {})
    for query in ["video diffusion", "w1 w2 w3 graph", "hnerv", "w299 video w7"]:
        expected = whole.search(query, 50)
        assert expected and pieces.search(query, 50) == expected and merged.search(query, 50) == expected
    assert pieces.chunk_count == merged.chunk_count == whole.chunk_count == 400
    assert pieces.postings == whole.postings
    assert pieces.document_frequencies(["video", "nothing"]) == whole.document_frequencies(["video", "nothing"])


def test_adding_papers_adds_small_segments_and_leaves_the_big_one(
    tmp_path: Path, seed: list[dict[str, object]]
) -> None:
    surveyor = Surveyor(Settings(store=str(tmp_path / "store")))
    surveyor.ingest([write_jsonl(tmp_path / "base.jsonl", seed[:40])])
    base = set(surveyor.store.db.lexical_state().segments)
    assert len(base) == 1
    for n in range(40, 49):  # one paper per ingest
        surveyor.ingest([write_jsonl(tmp_path / f"p{n}.jsonl", [seed[n]])])
        segments = surveyor.store.db.lexical_state().segments
        assert base <= set(segments)  # the big segment is never rewritten for a small change
    assert len(segments) < 9  # small ones were merged along the way
    incremental = {t: [h.paper.paper_id for h in surveyor.search(str(seed[t]["title"]), k=5)] for t in (3, 42, 48)}
    surveyor.reindex()
    assert len(surveyor.store.db.lexical_state().segments) == 1
    assert {
        t: [h.paper.paper_id for h in surveyor.search(str(seed[t]["title"]), k=5)] for t in incremental
    } == incremental


def test_many_threads_search_while_an_ingest_writes(tmp_path: Path, seed: list[dict[str, object]]) -> None:
    settings = Settings(store=str(tmp_path / "store"), batch_size=4)
    writer = Surveyor(settings)
    writer.ingest([write_jsonl(tmp_path / "first.jsonl", seed[:30])])
    # One Store and Retriever shared by every thread, as the HTTP server shares them.
    embedder: Embedder = writer.embedder
    retriever = Retriever(Store(settings), embedder)
    titles = [str(seed[i]["title"]) for i in range(0, 30, 3)]
    expected = {t: retriever.search(t, 3)[0].paper.title for t in titles}
    assert all(expected[t] == t for t in titles)
    failures: list[str] = []
    done = threading.Event()

    def search_until_done(offset: int) -> None:
        count = 0
        while not done.is_set() or count < 5:
            title = titles[(offset + count) % len(titles)]
            try:
                hits = retriever.search(title, 3)
                if not hits or hits[0].paper.title != expected[title]:
                    failures.append(f"{title!r} -> {[h.paper.title for h in hits]}")
            except Exception as exc:  # noqa: BLE001 - collected and shown by the assertion
                failures.append(repr(exc))
            count += 1

    threads = [threading.Thread(target=search_until_done, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    try:
        report = writer.ingest([write_jsonl(tmp_path / "second.jsonl", seed[30:50])])
    finally:
        done.set()
        for thread in threads:
            thread.join()
    assert report.added == 20
    assert failures == []
    # The readers' store sees the new papers without being reopened.
    assert retriever.search(str(seed[45]["title"]), 1)[0].paper.title == seed[45]["title"]


def test_reindex_keeps_answering_and_switches_collections(tmp_path: Path, seed: list[dict[str, object]]) -> None:
    surveyor = Surveyor(Settings(store=str(tmp_path / "store")))
    surveyor.ingest([write_jsonl(tmp_path / "p.jsonl", seed[:12])])
    reader = Retriever(Store(Settings(store=str(tmp_path / "store"))), surveyor.embedder)
    title = str(seed[4]["title"])
    before = reader.store.collection_name
    answers: list[str | None] = []
    done = threading.Event()

    def keep_searching() -> None:
        while not done.is_set() or len(answers) < 3:
            hits = reader.search(title, 1)
            answers.append(hits[0].paper.title if hits else None)

    thread = threading.Thread(target=keep_searching)
    thread.start()
    try:
        assert surveyor.reindex() > 12
    finally:
        done.set()
        thread.join()
    assert set(answers) == {title}
    assert reader.search(title, 1)[0].paper.title == title
    assert reader.store.collection_name != before and surveyor.verify().ok


def test_a_store_made_by_the_previous_version_opens_and_upgrades(tmp_path: Path, seed: list[dict[str, object]]) -> None:
    store = tmp_path / "store"
    Surveyor(Settings(store=str(store))).ingest([write_jsonl(tmp_path / "p.jsonl", seed[:10])])
    _downgrade(store)
    (store / "bm25").mkdir()  # the previous version's BM25 directory
    old = Surveyor(Settings(store=str(store)))
    assert old.search(str(seed[2]["title"]), k=1)[0].paper.title == seed[2]["title"]
    assert old.verify().ok
    assert not (store / "bm25").exists()
    assert old.ingest([write_jsonl(tmp_path / "q.jsonl", seed[10:12])]).added == 2
    assert old.verify().ok


def test_segments_of_another_tokenizer_version_are_rebuilt(tmp_path: Path, seed: list[dict[str, object]]) -> None:
    store = tmp_path / "store"
    Surveyor(Settings(store=str(store))).ingest([write_jsonl(tmp_path / "p.jsonl", seed[:5])])
    (segment,) = (store / "lexical").iterdir()
    meta = json.loads((segment / "segment.json").read_text())
    (segment / "segment.json").write_text(json.dumps(dict(meta, format="surveyor-lexical-1/0")))
    reopened = Surveyor(Settings(store=str(store)))
    assert reopened.search(str(seed[1]["title"]), k=1)[0].paper.title == seed[1]["title"]
    assert [p.name for p in (store / "lexical").iterdir()] != [segment.name]


def _downgrade(store: Path) -> None:
    """The records database as the previous version left it: no lexical bookkeeping at all."""
    conn = sqlite3.connect(store / "papers.sqlite")
    for statement in (
        "DROP INDEX chunks_unlexed",
        "DROP INDEX chunks_by_segment",
        "ALTER TABLE chunks DROP COLUMN segment",
        "DROP TABLE lexical_segments",
        "DROP TABLE lexical_dead",
        "DROP TABLE stamps",
        "DROP TABLE applied_changes",
        "PRAGMA user_version = 0",
    ):
        conn.execute(statement)
    conn.commit()
    conn.close()
    for segment in (store / "lexical").iterdir():
        for file in segment.iterdir():
            file.unlink()
        segment.rmdir()


def test_server_caches_live_in_the_user_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SURVEYOR_CACHE_DIR", raising=False)  # the suite gives every test its own cache dir
    settings = Settings(store="http://chroma.example:8000")
    assert settings.cache_dir == tmp_path / "xdg" / "surveyor"
    one = cache_root(settings)
    assert one.parent == tmp_path / "xdg" / "surveyor" / "stores"
    assert cache_root(settings.model_copy(update={"chroma_database": "lab"})) != one
    assert cache_root(settings.model_copy(update={"chroma_collection": "other"})) != one
    assert cache_root(settings.model_copy(update={"store": "http://chroma.example:8000/"})) == one


def test_a_compound_no_chunk_holds_is_searched_by_its_parts(tmp_path: Path) -> None:
    texts = ["Distributed Denial of Service (DDoS) attacks threaten networks.", "Distributed training of models.",
             "A zero-shot classifier.", "Zero-shot transfer of zero-shot models."]
    index = LexicalIndex([Segment.load(tmp_path / write_segment(tmp_path, ["a", "b", "c", "d"], texts))], {})
    assert index.search("detecting denial-of-service traffic", 4)[0][0] == "a"
    # a compound some chunk holds is searched as it is, and one that is no phrase ('training-free') too
    assert {c for c, _ in index.search("zero-shot", 4)} == {"c", "d"}
    assert index.search("training-free", 4) == []
