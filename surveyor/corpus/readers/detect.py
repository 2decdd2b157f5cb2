"""Format detection: the file extension first, then a look at the first few KB."""

from __future__ import annotations

import json
import re
from pathlib import Path

from surveyor.corpus.readers.tabular import CONTAINER_KEYS
from surveyor.corpus.readers.text import decode_head, is_binary, open_text, read_head

_BY_SUFFIX = {
    ".txt": "daily",
    ".md": "daily",
    ".markdown": "daily",
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".xml": "atom",
    ".atom": "atom",
}
_JSON_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson"})
_LINES_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_SNAPSHOT_KEYS = frozenset({"authors_parsed", "submitter", "versions"})
_BIBTEX = re.compile(r"(?:\s|%[^\n]*\n)*@[A-Za-z]+\s*[{(]")
_CSV_CELLS = re.compile(r"[,\t]")
# a snapshot line is a few KB; this only bounds the read when the first line is not JSON at all
_FIRST_LINE_LIMIT = 1 << 20


def detect_format(path: Path) -> str | None:
    """The format name for a file, or None when it cannot be read or is not text."""
    try:
        head = read_head(path)
    except OSError:
        return None
    return None if is_binary(head) else sniff_format(path, head)


def sniff_format(path: Path, head: bytes) -> str:
    """The format of a readable text file given its first bytes; unrecognised text is `daily`."""
    suffix = path.suffix.lower()
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    text = decode_head(head).lstrip()
    if text.startswith("["):
        return "json"
    if suffix in _JSON_SUFFIXES or text.startswith("{"):
        return _json_format(path, suffix)
    if text.startswith(("<?xml", "<feed")):
        return "atom"
    if _BIBTEX.match(text):
        return "bibtex"
    return "csv" if _is_csv_header(text.partition("\n")[0]) else "daily"


def _is_csv_header(line: str) -> bool:
    """A comma- or tab-separated header naming both a title and an abstract column."""
    cells = {cell.strip().strip('"').lower() for cell in _CSV_CELLS.split(line)}
    return {"title", "abstract"} <= cells


def _first_object(path: Path) -> dict[str, object] | None:
    """The first non-blank line parsed as a JSON object, or None when it is not one."""
    with open_text(path) as stream:
        line = stream.readline(_FIRST_LINE_LIMIT)
        while line and not line.strip():
            line = stream.readline(_FIRST_LINE_LIMIT)
    try:
        value: object = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _json_format(path: Path, suffix: str) -> str:
    """`json` for a document spread over lines or wrapping a list; `arxiv-jsonl` for snapshot lines."""
    first = _first_object(path)
    if first is None:
        return "jsonl" if suffix in _LINES_SUFFIXES else "json"
    if any(isinstance(first.get(key), list) for key in CONTAINER_KEYS):
        return "json"
    return "arxiv-jsonl" if _SNAPSHOT_KEYS & first.keys() else "jsonl"
