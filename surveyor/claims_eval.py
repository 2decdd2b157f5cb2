"""`surveyor eval CLAIMS.jsonl`: how well the citation verifier tells right claims from wrong ones.

A line is `{"q": "...", "claim": "...", "paper": "title, id or key", "label": "supported" | "unsupported",
"kind": "negation"}` (`q` and `kind` optional). Each claim is verified as if an answer had written it
citing that paper. The positive class is a wrong claim: precision is the share of rejected claims that
were wrong, recall the share of wrong claims rejected; `kept` is the share of faithful claims kept.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from surveyor.app import Surveyor
from surveyor.errors import SurveyorError
from surveyor.evaluate import json_object, read_text

FIELDS = ("q", "claim", "paper", "label", "kind")
LABELS = ("supported", "unsupported")


@dataclass(frozen=True)
class Claim:
    line: int
    claim: str
    paper: str
    label: str
    kind: str = ""


@dataclass
class ClaimResult:
    line: int
    claim: str
    paper_key: str
    label: str
    kind: str
    supported: bool  # the verifier's verdict
    reason: str | None
    score: float
    milliseconds: float

    @property
    def correct(self) -> bool:
        return self.supported == (self.label == "supported")


@dataclass
class ClaimReport:
    claims: list[ClaimResult]
    precision: float | None  # rejected and wrong / rejected
    recall: float | None  # rejected and wrong / wrong
    kept: float | None  # kept and faithful / faithful
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> {"claims", "correct"}
    p50_ms: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "summary": {"claims": len(self.claims), "precision": self.precision, "recall": self.recall,
                        "kept": self.kept, "p50_ms": self.p50_ms, "by_kind": self.by_kind},
            "claims": [asdict(c) | {"correct": c.correct} for c in self.claims],
        }

    def lines(self) -> list[str]:
        wrong = sum(1 for c in self.claims if c.label == "unsupported")
        lines = [
            f"claims: {len(self.claims)} ({wrong} wrong, {len(self.claims) - wrong} faithful)",
            f"verifier: precision {_fmt(self.precision)}, recall {_fmt(self.recall)}, faithful kept {_fmt(self.kept)}",
            f"verification: p50 {self.p50_ms:.1f} ms per claim",
        ]
        lines += [f"  {kind}: {n['correct']}/{n['claims']} right" for kind, n in sorted(self.by_kind.items())]
        misses = [c for c in self.claims if not c.correct]
        return lines + [
            f"missed line {c.line} ({c.kind or c.label}, {c.paper_key}): {'kept' if c.supported else 'rejected'} "
            f"{c.claim!r}" + (f" [{c.reason}]" if c.reason else "")
            for c in misses
        ]


def file_kind(path: Path) -> str:
    """What an eval file holds, by its first record: 'claims', 'conversations' or 'questions'."""
    for line in read_text(path).splitlines():
        if line.strip():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                return "questions"  # reading it as questions reports the bad line
            if isinstance(row, dict) and "claim" in row:
                return "claims"
            if isinstance(row, dict) and "turns" in row:
                return "conversations"
            return "questions"
    return "questions"


def evaluate_claims(surveyor: Surveyor, path: Path) -> ClaimReport:
    claims = read_claims(path)
    papers = {c.paper: _resolve(surveyor, c, path) for c in claims}
    surveyor.load()
    results = []
    for claim in claims:
        paper = papers[claim.paper]
        started = time.perf_counter()
        verdict = surveyor.check_claim(claim.claim, paper)
        elapsed = (time.perf_counter() - started) * 1000
        results.append(ClaimResult(claim.line, claim.claim, paper, claim.label, claim.kind, verdict.supported,
                                   verdict.reason, round(verdict.score, 3), round(elapsed, 1)))
    return _summarize(results)


def read_claims(path: Path) -> list[Claim]:
    claims = [_claim(f"{path}:{n}", n, text) for n, text in enumerate(read_text(path).splitlines(), 1) if text.strip()]
    if not claims:
        raise SurveyorError(f'{path}: no claims; write one JSON object per line, like {{"claim": "...", ...}}')
    return claims


def _claim(where: str, line: int, text: str) -> Claim:
    row = json_object(where, text, FIELDS, '{"claim": "...", "paper": "...", "label": "supported"}')
    for name in ("claim", "paper", "label"):
        if not isinstance(row.get(name), str) or not row[name].strip():
            raise SurveyorError(f'{where}: "{name}" must be a non-empty string')
    if row["label"] not in LABELS:
        raise SurveyorError(f'{where}: "label" must be "supported" or "unsupported", not {row["label"]!r}')
    return Claim(line, row["claim"].strip(), row["paper"].strip(), row["label"], str(row.get("kind", "")))


def _resolve(surveyor: Surveyor, claim: Claim, path: Path) -> str:
    """The citation key of the paper a claim names (by id, alias, key or exact title)."""
    try:
        return surveyor.paper(claim.paper).key
    except SurveyorError:
        pass
    for paper in surveyor.papers():
        if paper.title.casefold() == claim.paper.casefold():
            return paper.key
    raise SurveyorError(f'{path}:{claim.line}: "paper" names no paper in the store: {claim.paper!r}')


def _summarize(results: list[ClaimResult]) -> ClaimReport:
    wrong = [r for r in results if r.label == "unsupported"]
    faithful = [r for r in results if r.label == "supported"]
    rejected = [r for r in results if not r.supported]
    caught = sum(1 for r in wrong if not r.supported)
    by_kind: dict[str, Counter[str]] = {}
    for r in results:
        count = by_kind.setdefault(r.kind or r.label, Counter())
        count["claims"] += 1
        count["correct"] += r.correct
    return ClaimReport(
        results,
        caught / len(rejected) if rejected else None,
        caught / len(wrong) if wrong else None,
        sum(1 for r in faithful if r.supported) / len(faithful) if faithful else None,
        {kind: dict(count) for kind, count in by_kind.items()},
        round(statistics.median(r.milliseconds for r in results), 1),
    )


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
