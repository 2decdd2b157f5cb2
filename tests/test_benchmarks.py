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
