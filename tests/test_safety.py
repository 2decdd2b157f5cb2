"""Data safety: kill -9 mid-ingest, verify/repair, export round trips, one writer at a time."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEED_FILES, write_jsonl

from surveyor import Settings, Surveyor
from surveyor.corpus.readers import read_paths
from surveyor.records import Record


def _consistent(surveyor: Surveyor) -> None:
    found = surveyor.verify()
    assert found.ok, found.problems()


@pytest.fixture(scope="module")
def small_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 real papers from the seed corpora, as JSON lines."""
    records = [r for r in read_paths([SEED_FILES[2]]) if isinstance(r, Record)][:40]
    path = tmp_path_factory.mktemp("small") / "papers.jsonl"
    path.write_text("".join(json.dumps({"title": r.title, "abstract": r.abstract}) + "\n" for r in records))
    return path


def test_sigkill_at_random_moments_never_loses_or_duplicates(tmp_path: Path, small_source: Path) -> None:
    store = tmp_path / "store"
    command = [sys.executable, "-m", "surveyor", "ingest", str(small_source), "--store", str(store)]
    env = dict(os.environ, SURVEYOR_BATCH_SIZE="4")
    rng = random.Random(11)
    for _ in range(10):
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 6.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
    finished = subprocess.run([*command, "--json"], env=env, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    surveyor = Surveyor(Settings(store=str(store)))
    papers = surveyor.papers()
    assert len(papers) == 40 and len({p.paper_id for p in papers}) == 40
    _consistent(surveyor)
    assert surveyor.search(papers[0].title, k=1)[0].paper.paper_id == papers[0].paper_id


def test_verify_finds_and_repair_fixes_a_damaged_index(tmp_path: Path, small_source: Path) -> None:
    surveyor = Surveyor(Settings(store=str(tmp_path / "store")))
    surveyor.ingest([small_source])
    _consistent(surveyor)
    chunks = surveyor.store.db.all_chunks()
    surveyor.store.delete_vectors([chunks[0].chunk_id, chunks[1].chunk_id])
    stray = dataclasses.replace(chunks[2], chunk_id="stray#0")
    surveyor.store.upsert_vectors([stray], surveyor.embedder.embed(["stray"]))
    found = surveyor.verify()
    assert not found.ok and len(found.missing_vectors) == 2 and found.orphan_vectors == ["stray#0"]
    repaired = surveyor.verify(repair=True)
    assert repaired.ok and repaired.vectors == repaired.chunks


SUFFIX = {"jsonl": ".jsonl", "bibtex": ".bib", "csljson": ".json", "ris": ".ris"}


@pytest.mark.parametrize("fmt", list(SUFFIX))
def test_export_round_trip_reproduces_the_papers(corpus: Surveyor, tmp_path: Path, fmt: str) -> None:
    exported = tmp_path / f"export{SUFFIX[fmt]}"
    exported.write_text(corpus.export(fmt))
    records = [r for r in read_paths([exported]) if isinstance(r, Record)]
    assert len(records) == 363

    def identity(r: Record) -> tuple[object, ...]:
        return (r.title, r.abstract, r.external_id, tuple(r.authors), r.year)

    originals = {(p.title, p.abstract, p.key, tuple(p.authors), p.year) for p in corpus.papers()}
    assert {identity(r) for r in records} == originals


def test_export_round_trip_through_a_new_store(tmp_path: Path, small_source: Path) -> None:
    first = Surveyor(Settings(store=str(tmp_path / "one")))
    first.ingest([small_source])
    backup = tmp_path / "backup.jsonl"
    backup.write_text(first.export("jsonl"))
    second = Surveyor(Settings(store=str(tmp_path / "two")))
    second.ingest([backup])
    fields = lambda s: {(p.paper_id, p.key, p.title, p.abstract) for p in s.papers()}  # noqa: E731
    assert fields(first) == fields(second)


# Every field a paper has, with what breaks naive writers: LaTeX and Markdown specials, ligature pairs, accents,
# name particles, suffixes and organisations, a URL with ~ and %, an old-style arXiv id, a key with punctuation.
RICH = [
    {"key": "chen2023hnerv", "title": "HNeRV: A Hybrid Neural Representation for Videos",
     "abstract": "HNeRV stores videos as networks (+4.7 PSNR, 16x faster) -- see ``prior'' work?` & 5% more.",
     "authors": ["Hao Chen", "Ludwig van Beethoven", "José Müller Jr.", "Barnes and Noble", "OpenAI"],
     "year": 2023, "venue": "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition",
     "url": "https://example.org/~chen/a_b%20c", "doi": "10.1109/CVPR52729.2023.00990", "arxiv_id": "2304.02633"},
    {"key": "odd.key-", "title": "Ünïcode & 100% $Cost_{x}$ #1: {Braces} ~Tilde^ Back\\slash <a> --- “q”",
     "abstract": "Zoë's abstract: a--b, x^2, under_score, 50% off, {braced}, \\relax, Recall@10, *stars*, [sq].",
     "authors": ["Zoë Ångström", "Ser-Nam Lim"], "year": 2021, "venue": "Journal of Machine Learning Research",
     "doi": "10.5555/jmlr_2021--7"},
    {"title": "An Old-Style Identifier", "abstract": "A theory paper.", "arxiv_id": "hep-th/9901001",
     "venue": "Nucl.Phys. B550 (1999) 1", "year": 1999, "authors": ["J. Doe"]},
    {"title": "Only a Title and an Abstract", "abstract": "Nothing else is known."},
]
FIELDS = ("paper_id", "key", "title", "abstract", "authors", "year", "venue", "url", "doi", "arxiv_id", "aliases")


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Surveyor:
    folder = tmp_path_factory.mktemp("rich")
    surveyor = Surveyor(Settings(store=str(folder / "store")))
    assert surveyor.ingest([write_jsonl(folder / "rich.jsonl", RICH)]).errors == []
    return surveyor


@pytest.mark.parametrize("fmt", list(SUFFIX))
def test_every_field_survives_a_round_trip_through_a_new_store(rich: Surveyor, tmp_path: Path, fmt: str) -> None:
    exported = tmp_path / f"backup{SUFFIX[fmt]}"
    exported.write_text(rich.export(fmt))
    second = Surveyor(Settings(store=str(tmp_path / "two")))
    assert second.ingest([exported]).errors == []

    def fields(surveyor: Surveyor) -> list[tuple[object, ...]]:
        return sorted(tuple(str(getattr(p, name)) for name in FIELDS) for p in surveyor.papers())

    assert fields(second) == fields(rich)


def test_csl_json_export_fields(rich: Surveyor) -> None:
    items = {item["id"]: item for item in json.loads(rich.export("csljson"))}
    assert items["chen2023hnerv"] == {
        "id": "chen2023hnerv",
        "citation-key": "chen2023hnerv",
        "type": "paper-conference",
        "title": "HNeRV: A Hybrid Neural Representation for Videos",
        "author": [
            {"family": "Chen", "given": "Hao"},
            {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
            {"family": "Müller", "given": "José", "suffix": "Jr."},
            {"literal": "Barnes and Noble"},
            {"literal": "OpenAI"},
        ],
        "issued": {"date-parts": [[2023]]},
        "container-title": "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition",
        "abstract": RICH[0]["abstract"],
        "DOI": "10.1109/cvpr52729.2023.00990",
        "URL": "https://example.org/~chen/a_b%20c",
        "number": "arXiv:2304.02633",
    }
    assert items["odd.key-"]["type"] == "article-journal"
    minimal = next(item for item in items.values() if item["title"] == "Only a Title and an Abstract")
    assert minimal.keys() == {"id", "citation-key", "type", "title", "abstract"} and minimal["type"] == "article"


def test_ris_export_tags(rich: Surveyor) -> None:
    chen = rich.export("ris").split("ER  - ")[0]
    assert chen.splitlines()[:2] == ["TY  - CPAPER", "ID  - chen2023hnerv"]
    authors = [line[6:] for line in chen.splitlines() if line.startswith("AU  - ")]
    assert authors == ["Chen, Hao", "van Beethoven, Ludwig", "Müller, José, Jr.", "Barnes and Noble", "OpenAI"]
    assert "N1  - arXiv:2304.02633" in chen and "DO  - 10.1109/cvpr52729.2023.00990" in chen


def test_second_writer_fails_clearly_when_asked_not_to_wait(tmp_path: Path, small_source: Path) -> None:
    from surveyor import SurveyorError

    surveyor = Surveyor(Settings(store=str(tmp_path / "store")))
    surveyor.ingest([small_source])
    with surveyor.store.write_lock():
        other = Surveyor(Settings(store=str(tmp_path / "store")))
        with pytest.raises(SurveyorError, match="is being written by another process"):
            with other.store.write_lock(wait=False):
                pass
        assert len(other.search(surveyor.papers()[0].title, k=1)) == 1  # readers keep working
