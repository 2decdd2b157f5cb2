"""The typed artifacts between draft stages. Each dumps to JSON and loads back (`--from-stage`),
so a user can inspect or edit one (rename a theme, move a paper) and rerun the rest."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from surveyor.errors import SurveyorError


@dataclass
class PoolEntry:
    paper_id: str
    score: float  # relevance to the topic in [0, 1] (see `relevance.py`)


@dataclass
class LeftOut:
    """A candidate that is not in the pool, and why."""

    paper_id: str
    score: float
    reason: str


@dataclass
class Pool:
    """Stage 1: the papers the draft is about, best first: of `candidates` retrieved, the `relevant` ones that
    cleared the `floor`, up to the cap; `near_misses` are the best of those left out. Editing `papers` by hand
    (adding or removing an entry) is how a user overrides the choice."""

    topic: str
    user_abstract: str | None
    papers: list[PoolEntry]
    candidates: int = 0
    relevant: int = 0
    floor: float | None = None
    angle: str = ""
    near_misses: list[LeftOut] = field(default_factory=list)


@dataclass
class Theme:
    name: str
    paper_ids: list[str]


@dataclass
class Themes:
    """Stage 2: the pool clustered into named themes, themes and papers in reading order."""

    pool: Pool
    themes: list[Theme]


@dataclass
class Section:
    title: str
    paragraphs: list[str]
    paper_ids: list[str]


@dataclass
class Sections:
    """Stage 3: each theme written up; `[n]` markers refer to `source_ids[n-1]` (not yet verified)."""

    themes: Themes
    source_ids: list[str]
    sections: list[Section]
    warnings: list[str] = field(default_factory=list)


Artifact = Pool | Themes | Sections


def dump(artifact: Artifact, path: Path) -> None:
    kind = {Pool: "pool", Themes: "themes", Sections: "sections"}[type(artifact)]
    path.write_text(json.dumps({"stage": kind, **asdict(artifact)}, indent=2, ensure_ascii=False) + "\n")


def load(path: Path) -> Artifact:
    """A saved stage; a malformed file is one clear error naming it."""
    try:
        data = json.loads(path.read_text())
        kind = data.pop("stage")
        if kind == "pool":
            return _pool(data)
        if kind == "themes":
            return _themes(data)
        if kind == "sections":
            return Sections(
                themes=_themes(data["themes"]),
                source_ids=list(data["source_ids"]),
                sections=[Section(**s) for s in data["sections"]],
                warnings=list(data.get("warnings", [])),
            )
        raise ValueError(f"unknown stage {kind!r}")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SurveyorError(f"{path}: not a saved draft stage ({exc})") from exc


def _pool(data: dict[str, Any]) -> Pool:
    """A saved pool; one saved before pools reported their floor and near-misses loads without them."""
    abstract = data.get("user_abstract")
    papers = [PoolEntry(**p) for p in data["papers"]]
    floor = data.get("floor")
    return Pool(
        str(data["topic"]),
        str(abstract) if abstract else None,
        papers,
        candidates=int(data.get("candidates") or len(papers)),
        relevant=int(data.get("relevant") or len(papers)),
        floor=float(floor) if floor is not None else None,
        angle=str(data.get("angle") or ""),
        near_misses=[LeftOut(**m) for m in data.get("near_misses") or []],
    )


def _themes(data: dict[str, Any]) -> Themes:
    return Themes(_pool(data["pool"]), [Theme(**t) for t in data["themes"]])
