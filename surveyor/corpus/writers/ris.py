"""RIS out through rispy: what Zotero, Mendeley and EndNote import."""

from __future__ import annotations

from collections.abc import Sequence

import rispy

from surveyor.corpus.writers.csljson import csl_type
from surveyor.corpus.writers.names import ris_name
from surveyor.records import Paper

_RIS_TYPE = {"article": "UNPB", "article-journal": "JOUR", "paper-conference": "CPAPER"}


class _Writer(rispy.RisWriter):  # type: ignore[misc]  # rispy ships no type hints
    """rispy's writer without the `1.`, `2.` line it puts before every record by default."""

    def set_header(self, count: int) -> str:
        return ""


def _one_line(text: str) -> str:
    """A value on one line: a newline would end it (or start a new tag) in RIS."""
    return " ".join(text.split())


def ris_record(paper: Paper) -> dict[str, object]:
    """One paper as rispy's mapping (TY, ID, TI, AU, PY, T2, AB, DO, UR, N1)."""
    record: dict[str, object] = {
        "type_of_reference": _RIS_TYPE[csl_type(paper)] if paper.venue or paper.arxiv_id else "GEN",
        "id": paper.key,
        "title": _one_line(paper.title),
        "authors": [ris_name(_one_line(name)) for name in paper.authors],
        "year": str(paper.year or ""),
        "secondary_title": _one_line(paper.venue or ""),
        "abstract": _one_line(paper.abstract),
        "doi": paper.doi or "",
        "urls": [paper.url] if paper.url else [],
        # reference managers show notes; the arXiv id would otherwise have no RIS tag of its own
        "notes": [f"arXiv:{paper.arxiv_id}"] if paper.arxiv_id else [],
    }
    return {tag: value for tag, value in record.items() if value}


def write_ris(papers: Sequence[Paper]) -> str:
    """An RIS file, one TY ... ER record per paper."""
    text: str = rispy.dumps([ris_record(p) for p in papers], implementation=_Writer)
    return text
