"""The CLI in-process: exact output shapes, one-line errors, and the stored side effects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write_jsonl
from typer.testing import CliRunner

from surveyor import Surveyor
from surveyor.cli import app

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_search_json_has_the_interface_shape(corpus: Surveyor) -> None:
    code, out, _ = _run("search", "how can a video be stored as a neural network?", "-k", "3", "--store", corpus.settings.store, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["query"] == "how can a video be stored as a neural network?"
    assert len(data["results"]) == 3
    first = data["results"][0]
    assert {"paper_id", "title", "score", "snippet"} <= first.keys()
    assert first["title"] == "HNeRV: A Hybrid Neural Representation for Videos"
    assert first["snippet"] in corpus.paper(first["paper_id"]).abstract


def test_search_text_output_and_no_match_message(corpus: Surveyor) -> None:
    code, out, _ = _run("search", "how can a video be stored as a neural network?", "-k", "1", "--store", corpus.settings.store)
    assert code == 0 and out.startswith("1. HNeRV: A Hybrid Neural Representation for Videos  [hnerv]")
    code, out, _ = _run("search", "best chocolate cake recipe", "--store", corpus.settings.store)
    assert code == 0 and out.strip() == "no paper in the store matches this query"


def test_show_and_papers(corpus: Surveyor) -> None:
    code, out, _ = _run("show", "hnerv", "--store", corpus.settings.store, "--json")
    assert code == 0 and json.loads(out)["title"] == "HNeRV: A Hybrid Neural Representation for Videos"
    code, out, _ = _run("papers", "--store", corpus.settings.store, "--json")
    assert code == 0 and len(json.loads(out)["papers"]) == 363


def test_errors_are_one_line_with_nonzero_exit(tmp_path: Path, corpus: Surveyor) -> None:
    code, out, err = _run("search", "anything", "--store", str(tmp_path / "missing"))
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [f"error: no store at {tmp_path / 'missing'}: run `surveyor ingest PATH` first"]
    code, _, err = _run("search", "   ", "--store", corpus.settings.store)
    assert code == 1 and err.strip() == "error: the query is empty"
    code, _, err = _run("show", "no-such-paper", "--store", corpus.settings.store)
    assert code == 1 and len(err.strip().splitlines()) == 1 and "no paper 'no-such-paper'" in err


def test_ingest_json_reports_errors_and_stores_good_records(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "p.jsonl", [{"title": "Tiny: A Paper", "abstract": "It is tiny. It works."}])
    with source.open("a") as handle:
        handle.write("{broken\n")
    store = str(tmp_path / "store")
    code, out, _ = _run("ingest", str(source), "--store", store, "--json")
    assert code == 0
    report = json.loads(out)
    assert (report["files"], report["records"], report["added"], report["chunks"]) == (1, 1, 1, 1)
    (error,) = report["errors"]
    assert (error["file"], error["line"]) == (str(source), 2) and error["reason"].startswith("invalid JSON")
    code, out, _ = _run("stats", "--store", store, "--json")
    assert json.loads(out)["papers"] == 1 and json.loads(out)["chunks"] == 1


def test_chat_answers_follow_ups_and_survives_a_failed_turn(
    corpus: Surveyor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SURVEYOR_CHATS_DIR", str(tmp_path / "chats"))
    script = "how can a video be stored as a neural network?\nwhat about its speed?\n/sources\n/reset\n/exit\n"
    result = runner.invoke(app, ["chat", "--store", corpus.settings.store], input=script)
    assert result.exit_code == 0
    answers = result.stdout.split("> ")[1:]
    assert "HNeRV [1] proposes" in answers[0]
    assert "decoding advantages for speed" in answers[1] and "[1] HNeRV: A Hybrid Neural Representation" in answers[1]
    assert answers[2].startswith("1. HNeRV: A Hybrid Neural Representation for Videos")
    assert "(a new chat)" in answers[3]

    failing = runner.invoke(
        app, ["chat", "--store", corpus.settings.store, "--llm", "openai", "--base-url", "http://127.0.0.1:9/v1"],
        input="what is HNeRV?\n/exit\n",
    )
    assert failing.exit_code == 0 and "error: cannot reach the LLM at http://127.0.0.1:9/v1" in failing.stderr


def test_export_formats_and_a_bad_one(corpus: Surveyor) -> None:
    code, out, _ = _run("export", "--format", "csljson", "--store", corpus.settings.store)
    items = json.loads(out)
    assert code == 0 and len(items) == 363 and {item["id"] for item in items} == {p.key for p in corpus.papers()}
    code, out, _ = _run("export", "--format", "ris", "--store", corpus.settings.store)
    assert code == 0 and out.count("\nER  - ") + out.startswith("ER  - ") == 363 and out.startswith("TY  - ")
    code, out, err = _run("export", "--format", "endnote", "--store", corpus.settings.store)
    assert code == 1 and out == ""
    assert err == "error: unknown export format 'endnote': use one of jsonl, bibtex, csljson, ris\n"
