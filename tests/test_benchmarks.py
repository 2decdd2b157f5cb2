"""The benchmark command runs end to end in quick mode, so it cannot rot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_runs_and_writes_its_numbers() -> None:
    result = subprocess.run([sys.executable, "benchmarks/run.py", "--quick"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    numbers = json.loads((ROOT / "benchmarks" / "results-quick.json").read_text())
    assert numbers["quick"] is True and numbers["ingest"]["papers"] == 63
    for measure in ("cold_search", "cold_ask", "cold_draft"):
        assert 0 < numbers[measure]["median_s"] < 60 and numbers[measure]["peak_rss_mib"] > 50
    assert numbers["ingest"]["reingest_unchanged_in_process_s"] < numbers["ingest"]["ingest_s"]
    assert numbers["warm_ask"]["questions"] == 10 and numbers["scale"]["chunks"] == 500
    table = (ROOT / "benchmarks" / "results-quick.md").read_text()
    assert table.startswith("| measure | surveyor | beside it |") and "cold `surveyor ask`" in table


def test_quick_scale_benchmark_runs_local_and_against_a_chroma_server() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/scale.py", "--quick"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    numbers = json.loads((ROOT / "benchmarks" / "results-scale-quick.json").read_text())
    assert numbers["local_store"]["chunks"] == 600 and numbers["push"]["chunks_embedded"] == 0
    assert numbers["two_writers"]["lost"] == 0
    for measure in ("local_warm_search", "server_warm_search"):
        assert 0 < numbers[measure]["p50_ms"] <= numbers[measure]["p95_ms"]
    assert (ROOT / "benchmarks" / "results-scale-quick.md").read_text().startswith("| measure | result | note |")
