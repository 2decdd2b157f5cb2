"""RIS (Zotero, Mendeley, EndNote exports) through rispy; records are cut at TY/ER so each keeps its line."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import rispy

from surveyor.corpus.readers.fields import collapse, find_arxiv_id, normalize_doi, parse_year
from surveyor.corpus.readers.text import Line, iter_lines
from surveyor.records import ReadError, Record

# rispy's names for the tags, in the order they are tried: TI/T1, AB/N2, AU/A1, PY/Y1/DA, and for the
# venue T2 (Zotero's journal or proceedings title), JO, JF, JA, J2.
_TITLE = ("title", "primary_title")
_ABSTRACT = ("abstract", "notes_abstract")
_AUTHORS = ("authors", "first_authors")
_YEAR = ("year", "publication_year", "date")
_VENUE = ("secondary_title", "journal_name", "alternate_title3", "alternate_title2", "alternate_title1")
# where reference managers leave an arXiv id: URLs, the DOI, notes, M3 (type of work), AN (accession number)
_ARXIV_SOURCES = ("urls", "doi", "notes", "note", "type_of_work", "accession_number")
_PARSER = rispy.RisParser()


def _text(value: object) -> str:
    """A field (rispy gives a string, or a list for list tags) as one collapsed string."""
    if isinstance(value, list):
        value = " ".join(str(item) for item in value)
    return collapse(value) if isinstance(value, str) else ""


def _first(fields: Mapping[str, object], names: Sequence[str]) -> str:
    """The first of the named fields that has text."""
    return next((text for text in (_text(fields.get(name)) for name in names) if text), "")


def _display_name(name: str) -> str:
    """RIS's 'Last, First' or 'Last, First, Suffix' as 'First Last Suffix'; other forms as they are."""
    parts = [part.strip() for part in name.split(",")]
    if len(parts) in (2, 3) and all(parts):
        return " ".join([parts[1], parts[0], *parts[2:]])
    return name


def _authors(fields: Mapping[str, object]) -> tuple[str, ...]:
    """The names of AU (else A1) as display names."""
    names = next((value for value in (fields.get(name) for name in _AUTHORS) if isinstance(value, list)), [])
    return tuple(name for name in (collapse(_display_name(str(n))) for n in names) if name)


def _url(fields: Mapping[str, object]) -> str | None:
    """The first URL of UR (rispy splits the tag's list on `;`)."""
    urls = fields.get("urls")
    first = collapse(str(urls[0])) if isinstance(urls, list) and urls else ""
    return first or None


def _record(fields: Mapping[str, object], file: str, line: int) -> Record | ReadError:
    """One parsed RIS record as a Record, or why it cannot be one."""
    title, abstract = _first(fields, _TITLE), _first(fields, _ABSTRACT)
    if not title:
        return ReadError(file, line, "record has no title")
    if not abstract:
        return ReadError(file, line, "record has no abstract")
    return Record(
        title=title,
        abstract=abstract,
        file=file,
        line=line,
        authors=_authors(fields),
        year=parse_year(_first(fields, _YEAR)),
        venue=_first(fields, _VENUE) or None,
        url=_url(fields),
        doi=normalize_doi(_text(fields.get("doi"))),
        arxiv_id=next(filter(None, (find_arxiv_id(_text(fields.get(name))) for name in _ARXIV_SOURCES)), None),
        external_id=_text(fields.get("id")) or None,
    )


def _parse(lines: list[Line], file: str) -> Record | ReadError:
    """The lines of one record, TY through ER, parsed by rispy."""
    first = lines[0].number
    bad = next((line for line in lines if line.error), None)
    if bad is not None:
        return ReadError(file, bad.number, bad.error or "")
    parsed = _PARSER.parse_lines(iter([line.text for line in lines]))
    return _record(parsed[0], file, first) if parsed else ReadError(file, first, "malformed record")


def _tag(line: Line) -> str | None:
    """The line's tag by rispy's rule (`TY  - ...`), or None for a continuation or stray line."""
    tag: str | None = _PARSER.parse_line(line.text)[0]
    return tag


def read(path: Path) -> Iterator[Record | ReadError]:
    """Every TY ... ER record in file order, streamed; a record cut off before its ER is an error."""
    file = str(path)
    record: list[Line] = []
    seen = False
    for line in iter_lines(path):
        tag = _tag(line)
        if tag == "TY":
            if record:
                yield ReadError(file, record[0].number, "record has no end (ER) line")
            record, seen = [line], True
        elif record:
            record.append(line)
            if tag == "ER":
                yield _parse(record, file)
                record = []
    if record:
        yield ReadError(file, record[0].number, "record has no end (ER) line")
    elif not seen:
        yield ReadError(file, None, "no RIS record (a record starts with a `TY  - ` line)")
