"""Writers: the store's papers as files reference managers and writing tools read, each re-ingestable."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from surveyor.corpus.writers.bibtex import write_bibtex
from surveyor.corpus.writers.csljson import write_csljson
from surveyor.corpus.writers.ris import write_ris
from surveyor.errors import SurveyorError
from surveyor.records import Paper

__all__ = ["EXPORT_FORMATS", "export", "write_bibtex", "write_csljson", "write_ris", "writer_for"]

_JSONL_FIELDS = ("key", "title", "abstract", "authors", "year", "venue", "url", "doi", "arxiv_id")


def _write_jsonl(papers: Sequence[Paper]) -> str:
    """One JSON object per paper with surveyor's own field names."""
    rows = ({field: getattr(p, field) for field in _JSONL_FIELDS} for p in papers)
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


_WRITERS: dict[str, Callable[[Sequence[Paper]], str]] = {
    "jsonl": _write_jsonl,
    "bibtex": lambda papers: write_bibtex(papers, export=True),
    "csljson": write_csljson,
    "ris": write_ris,
}
EXPORT_FORMATS = tuple(_WRITERS)


def writer_for(fmt: str) -> Callable[[Sequence[Paper]], str]:
    """The writer of an export format; an unknown name is an error before any paper is read."""
    if fmt not in _WRITERS:
        raise SurveyorError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    return _WRITERS[fmt]


def export(papers: Sequence[Paper], fmt: str) -> str:
    """The papers in an export format; ingesting the text gives back the same papers, ids and keys."""
    return writer_for(fmt)(papers)
