"""Format detection: the file extension first, then a look at the first few KB."""

from __future__ import annotations

import json
import re
from pathlib import Path

from surveyor.corpus.readers.csljson import CSL_KEYS, CSL_TYPES
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
    ".ris": "ris",
}
_JSON_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson"})
_LINES_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_SNAPSHOT_KEYS = frozenset({"authors_parsed", "submitter", "versions"})
_BIBTEX = re.compile(r"(?:\s|%[^\n]*\n)*@[A-Za-z]+\s*[{(]")
_CSV_CELLS = re.compile(r"[,\t]")
# a first record tag, after blank lines or the "1." numbering some writers put before each record
_RIS = re.compile(r"(?:[ \t]*(?:\d+\.)?[ \t]*\r?\n)*TY  - ")
# a key only CSL items have, or a CSL item type
_CSL = re.compile(
    r'"(?:' + "|".join(map(re.escape, CSL_KEYS)) + r')"\s*:|"type"\s*:\s*"(?:' + "|".join(CSL_TYPES) + r')"'
)
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
    text = decode_head(head)
    # EndNote and others save RIS as .txt, which is otherwise a Daily Papers page
    if _BY_SUFFIX.get(suffix, "daily") == "daily" and _RIS.match(text):
        return "ris"
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    text = text.lstrip()
    if text.startswith("["):
        return "csljson" if _CSL.search(text) else "json"
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
