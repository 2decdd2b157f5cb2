"""Generic paper lists: JSON Lines, a JSON array (or {"papers": [...]}), and CSV/TSV with a header row."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Generator, Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

from surveyor.corpus.readers.fields import clean_text, normalize_arxiv_id, normalize_doi, parse_year, split_authors
from surveyor.corpus.readers.text import Document, Line, iter_lines, open_text, read_document
from surveyor.records import ReadError, Record

CONTAINER_KEYS = ("papers", "records", "items")
_TAB_SUFFIXES = frozenset({".tsv", ".tab"})
_DECODER = json.JSONDecoder()
_JSON_CONTENT = re.compile(r"[^ \t\n\r]")

_Item = tuple[int, int, object]


def _text(value: object) -> str:
    """A field as clean text; numbers are accepted (ids), anything else counts as missing."""
    if isinstance(value, str):
        return clean_text(value).strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def record_from_mapping(
    fields: Mapping[str, object], file: str, line: int, authors: tuple[str, ...] | None = None
) -> Record | ReadError:
    """A Record from title/abstract/id/authors/year/venue/url/doi/arxiv_id fields, names case-insensitive;
    `authors` are display names a reader already has (CSL name objects), else the `authors` field is split."""
    lowered = {str(key).strip().lower(): value for key, value in fields.items()}
    title, abstract = _text(lowered.get("title")), _text(lowered.get("abstract"))
    if not title:
        return ReadError(file, line, "record has no title")
    if not abstract:
        return ReadError(file, line, "record has no abstract")
    return Record(
        title=title,
        abstract=abstract,
        file=file,
        line=line,
        authors=split_authors(lowered.get("authors")) if authors is None else authors,
        year=parse_year(lowered.get("year")),
        venue=_text(lowered.get("venue")) or None,
        url=_text(lowered.get("url")) or None,
        doi=normalize_doi(_text(lowered.get("doi"))),
        arxiv_id=normalize_arxiv_id(_text(lowered.get("arxiv_id"))),
        external_id=_text(lowered.get("key")) or _text(lowered.get("id")) or None,
    )


def _json_reason(err: json.JSONDecodeError) -> str:
    """The decoder message as a short lowercase reason."""
    return f"invalid JSON: {err.msg.lower()}"


def object_from_line(line: Line, file: str) -> Mapping[str, object] | ReadError:
    """The JSON object on one line, or why there is none."""
    if line.error:
        return ReadError(file, line.number, line.error)
    try:
        value: object = json.loads(line.text)
    except json.JSONDecodeError as err:
        return ReadError(file, line.number, f"{_json_reason(err)} (column {err.colno})")
    except RecursionError:
        return ReadError(file, line.number, "invalid JSON: nested too deeply")
    if not isinstance(value, dict):
        return ReadError(file, line.number, "record is not a JSON object")
    return value


def read_jsonl(path: Path) -> Iterator[Record | ReadError]:
    """One JSON object per line, streamed; a broken line costs only that line."""
    file = str(path)
    for line in iter_lines(path):
        if not line.text.strip():
            continue
        fields = object_from_line(line, file)
        yield fields if isinstance(fields, ReadError) else record_from_mapping(fields, file, line.number)


def _skip(text: str, pos: int) -> int:
    """The offset of the next non-whitespace character at or after pos."""
    match = _JSON_CONTENT.search(text, pos)
    return match.start() if match else len(text)


def _array_items(text: str, pos: int) -> Generator[_Item, None, int]:
    """(start, end, value) of each element of the array opening at pos; returns the offset after it."""
    pos = _skip(text, pos + 1)
    if text.startswith("]", pos):
        return pos + 1
    while True:
        value, end = _DECODER.raw_decode(text, pos)
        yield pos, end, value
        pos = _skip(text, end)
        if text.startswith("]", pos):
            return pos + 1
        if not text.startswith(",", pos):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
        pos = _skip(text, pos + 1)


def _object_items(text: str, pos: int) -> Generator[_Item, None, int]:
    """The papers listed under a container key of the object at pos, else the object itself."""
    value, end = _DECODER.raw_decode(text, pos)
    if not isinstance(value, dict) or not any(isinstance(value.get(key), list) for key in CONTAINER_KEYS):
        yield pos, end, value
        return end
    # the object is valid JSON now; walk its members only to learn where the list starts
    pos = _skip(text, pos + 1)
    while True:
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, _skip(text, pos) + 1)
        if key in CONTAINER_KEYS and text.startswith("[", pos):
            yield from _array_items(text, pos)
            return end
        _, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, _skip(text, pos) + 1)


def _json_items(text: str) -> Iterator[_Item]:
    """Every paper value of a JSON document with its character span; raises JSONDecodeError."""
    start = _skip(text, 0)
    items = _array_items if text.startswith("[", start) else _object_items
    end = yield from items(text, start)
    if _skip(text, end) < len(text):
        raise json.JSONDecodeError("Extra data", text, _skip(text, end))


class JsonObject(NamedTuple):
    """One paper object of a JSON document and the line it starts on."""

    line: int
    fields: Mapping[str, object]


def _json_object(document: Document, file: str, item: _Item) -> JsonObject | ReadError:
    """One array element as an object with its line, or why it is not one."""
    start, end, value = item
    line = document.line_at(start)
    bad = document.decode_error(line, document.line_at(end - 1))
    if bad:
        return ReadError(file, *bad)
    if not isinstance(value, dict):
        return ReadError(file, line, "record is not a JSON object")
    return JsonObject(line, value)


def read_json_objects(path: Path) -> Iterator[JsonObject | ReadError]:
    """The paper objects of a JSON array (or of an object holding one under papers/records/items)."""
    file = str(path)
    document = read_document(path)
    try:
        for item in _json_items(document.text):
            yield _json_object(document, file, item)
    except json.JSONDecodeError as err:
        yield ReadError(file, err.lineno, _json_reason(err))
    except RecursionError:
        yield ReadError(file, None, "invalid JSON: nested too deeply")


def read_json(path: Path) -> Iterator[Record | ReadError]:
    """A JSON array of paper objects, or an object holding one under papers/records/items."""
    for found in read_json_objects(path):
        yield found if isinstance(found, ReadError) else record_from_mapping(found.fields, str(path), found.line)


class _Feed:
    """Hands decoded lines to csv.reader while remembering the last line number and undecodable lines."""

    def __init__(self, lines: Iterator[Line]) -> None:
        self._lines = lines
        self.number = 0
        self.bad: dict[int, str] = {}

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.number = line.number
        if line.error:
            self.bad[line.number] = line.error
        return line.text + "\n"

    def pop_error(self, first: int) -> tuple[int, str] | None:
        """The first bad line from first up to the current line; forgets the ones seen so far."""
        bad = next(((n, reason) for n, reason in self.bad.items() if n >= first), None)
        self.bad.clear()
        return bad


def _delimiter(path: Path) -> str:
    """Tab for .tsv/.tab, or when the header has more tabs than commas; else comma."""
    if path.suffix.lower() in _TAB_SUFFIXES:
        return "\t"
    with open_text(path) as stream:
        header = stream.readline()
    return "\t" if header.count("\t") > header.count(",") else ","


def _rows(path: Path, file: str) -> Iterator[tuple[int, list[str]] | ReadError]:
    """Non-blank CSV rows with the line they start on; rows touching undecodable lines become errors."""
    feed = _Feed(iter_lines(path))
    reader = csv.reader(feed, delimiter=_delimiter(path))
    while True:
        start = feed.number + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            yield ReadError(file, feed.number, f"invalid CSV: {str(err).lower()}")
            continue
        bad = feed.pop_error(start)
        if bad:
            yield ReadError(file, *bad)
        elif any(cell.strip() for cell in row):
            yield start, row


def read_csv(path: Path) -> Iterator[Record | ReadError]:
    """A header row naming title and abstract columns, then one paper per row; streamed."""
    file = str(path)
    header: list[str] | None = None
    for row in _rows(path, file):
        if isinstance(row, ReadError):
            yield row
        elif header is None:
            header = [clean_text(cell).strip().lower() for cell in row[1]]
            if not {"title", "abstract"} <= set(header):
                yield ReadError(file, row[0], "csv header has no title and abstract columns")
                return
        else:
            yield record_from_mapping(dict(zip(header, row[1])), file, row[0])
