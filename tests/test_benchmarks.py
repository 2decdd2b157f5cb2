"""The benchmark commands run end to end in quick mode (so they cannot rot), writing where they are told.
Their numbers are measurements, printed and written down; these tests check that each is there, not
how fast anything was."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(script: str, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, f"benchmarks/{script}", "--quick", "--out", str(tmp_path),
                           "--work", str(tmp_path / "work")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def _measured(value: object) -> bool:
    return isinstance(value, (int, float)) and value > 0


def test_quick_benchmark_runs_and_writes_its_numbers(tmp_path: Path) -> None:
    _run("run.py", tmp_path)
    numbers = json.loads((tmp_path / "results-quick.json").read_text())
    assert numbers["quick"] is True and numbers["ingest"]["papers"] == 63
    for measure in ("cold_search", "cold_ask", "cold_draft"):
        assert _measured(numbers[measure]["median_s"]) and _measured(numbers[measure]["peak_rss_mib"])
    assert numbers["warm_ask"]["questions"] == 10 and numbers["scale"]["chunks"] == 500
    table = (tmp_path / "results-quick.md").read_text()
    assert table.startswith("| measure | surveyor | beside it |") and "cold `surveyor ask`" in table


def test_quick_scale_benchmark_runs_local_and_against_a_chroma_server(tmp_path: Path) -> None:
    _run("scale.py", tmp_path)
    numbers = json.loads((tmp_path / "results-scale-quick.json").read_text())
    assert numbers["local_store"]["chunks"] == 600 and numbers["push"]["chunks_embedded"] == 0
    assert numbers["two_writers"]["lost"] == 0
    for measure in ("local_warm_search", "server_warm_search"):
        assert _measured(numbers[measure]["p50_ms"]) and _measured(numbers[measure]["p95_ms"])
    assert (tmp_path / "results-scale-quick.md").read_text().startswith("| measure | result | note |")


def test_quick_llm_path_benchmark_measures_concurrency_streaming_and_verification(tmp_path: Path) -> None:
    _run("llm_path.py", tmp_path)
    numbers = json.loads((tmp_path / "results-llm-quick.json").read_text())
    concurrency = numbers["concurrency"]
    assert concurrency["asks"] == 10 and concurrency["max_at_model_at_once"] == 10  # all ten at the model at once
    assert _measured(concurrency["wall_s"]) and _measured(concurrency["search_during_asks_ms"])
    for measure in ("first_visit", "read_ahead"):
        verification = numbers["verification"][measure]
        assert _measured(verification["p50_ms"]) and _measured(verification["p95_ms"]) and verification["claims"] > 0
    assert "first verified sentence" in (tmp_path / "results-llm-quick.md").read_text()
