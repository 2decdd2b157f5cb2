"""The public Python API: a small, stable `__all__` that works without the CLI."""

from __future__ import annotations

from pathlib import Path

from conftest import write_jsonl

import surveyor
from surveyor import Settings, Surveyor


def test_public_names_are_exactly_these() -> None:
    assert sorted(surveyor.__all__) == [
        "Answer", "Chunk", "Citation", "Draft", "Hit", "IngestReport", "Paper", "ReadError", "Record",
        "Settings", "Surveyor", "SurveyorError",
    ]
    for name in surveyor.__all__:
        assert getattr(surveyor, name).__name__ == name


def test_library_round_trip_without_the_cli(tmp_path: Path) -> None:
    rows = [
        {"title": "Alpha: Sparse Codes for Retrieval", "abstract": "We propose sparse codes for retrieval. They are 3x faster."},
        {"title": "Beta: Dense Codes for Retrieval", "abstract": "We introduce dense codes for retrieval. They are accurate."},
    ]
    corpus = Surveyor(Settings(store=str(tmp_path / "store")))
    report = corpus.ingest([write_jsonl(tmp_path / "p.jsonl", rows)])
    assert isinstance(report, surveyor.IngestReport) and report.added == 2
    hits = corpus.search("sparse codes for retrieval", k=2)
    assert isinstance(hits[0], surveyor.Hit) and hits[0].paper.key == "alpha"
    answer = corpus.ask("how much faster are sparse codes?")
    assert isinstance(answer, surveyor.Answer) and "3x faster" in answer.text
    assert isinstance(answer.citations[0], surveyor.Citation) and answer.citations[0].paper.key == "alpha"
    draft = corpus.draft("codes for retrieval")
    assert isinstance(draft, surveyor.Draft) and {p.key for p in draft.references} == {"alpha", "beta"}
