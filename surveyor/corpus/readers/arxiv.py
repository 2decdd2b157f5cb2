"""arXiv sources: API responses (Atom XML) and the metadata snapshot (one JSON object per line)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from xml.parsers import expat

from surveyor.corpus.readers.fields import collapse, normalize_arxiv_id, normalize_doi, parse_year, split_authors
from surveyor.corpus.readers.latex import latex_to_text
from surveyor.corpus.readers.tabular import object_from_line
from surveyor.corpus.readers.text import Document, iter_lines, read_document
from surveyor.records import ReadError, Record

_ATOM = "http://www.w3.org/2005/Atom"
_ARXIV = "http://arxiv.org/schemas/atom"
_ENTRY = f"{{{_ATOM}}}entry"
_FEED = f"{{{_ATOM}}}feed"
# entity declarations are the door to billion-laughs and external-entity attacks; feeds never need them
_UNSAFE = re.compile(r"<!DOCTYPE|<!ENTITY")


def _tag(name: str) -> str:
    """expat's `namespace}local` as ElementTree's `{namespace}local`."""
    return "{" + name if "}" in name else name


def _parse(text: str) -> tuple[ET.Element, list[tuple[int, int]]]:
    """The element tree plus the first and last line of every Atom entry, in document order."""
    # ElementTree's own parser hides positions, so expat drives its TreeBuilder and reports entry lines
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    starts: list[int] = []
    spans: list[tuple[int, int]] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        tag = _tag(name)
        if tag == _ENTRY:
            starts.append(parser.CurrentLineNumber)
        builder.start(tag, {_tag(key): value for key, value in attributes.items()})

    def end(name: str) -> None:
        tag = _tag(name)
        if tag == _ENTRY:
            spans.append((starts.pop(), parser.CurrentLineNumber))
        builder.end(tag)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.Parse(text, True)
    return builder.close(), spans


def _text(entry: ET.Element, name: str, namespace: str = _ATOM) -> str:
    """All text inside the first child element called name, or "" when there is none."""
    child = entry.find(f"{{{namespace}}}{name}")
    return "".join(child.itertext()) if child is not None else ""


def _url(entry: ET.Element, fallback: str) -> str | None:
    """The entry's alternate (HTML) link, else its id."""
    for link in entry.findall(f"{{{_ATOM}}}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return fallback or None


def _entry_record(entry: ET.Element, file: str, line: int) -> Record | ReadError:
    """One Atom entry as a Record, or why it cannot be one."""
    raw_id = _text(entry, "id").strip()
    title = collapse(_text(entry, "title"))
    abstract = collapse(_text(entry, "summary") or _text(entry, "content"))
    if "/api/errors" in raw_id:
        return ReadError(file, line, f"arxiv api error: {abstract.lower() or 'unknown'}")
    if not title:
        return ReadError(file, line, "entry has no title")
    if not abstract:
        return ReadError(file, line, "entry has no abstract")
    arxiv_id = normalize_arxiv_id(raw_id)
    names = (collapse(_text(author, "name")) for author in entry.findall(f"{{{_ATOM}}}author"))
    return Record(
        title=title,
        abstract=abstract,
        file=file,
        line=line,
        authors=tuple(name for name in names if name),
        year=parse_year(_text(entry, "published") or _text(entry, "updated")),
        venue=collapse(_text(entry, "journal_ref", _ARXIV)) or None,
        url=_url(entry, raw_id),
        doi=normalize_doi(_text(entry, "doi", _ARXIV)),
        arxiv_id=arxiv_id,
        external_id=None if arxiv_id else raw_id or None,
    )


def _feed_records(document: Document, file: str) -> Iterator[Record | ReadError]:
    """Records of a parsed feed, refusing entries that touch undecodable lines."""
    try:
        root, spans = _parse(document.text)
    except expat.ExpatError as err:
        yield ReadError(file, err.lineno, f"malformed XML: {expat.ErrorString(err.code)}")
        return
    if root.tag not in (_FEED, _ENTRY):
        yield ReadError(file, 1, f"not an atom feed (root element {root.tag.rpartition('}')[2]})")
        return
    for entry, (first, last) in zip(root.iter(_ENTRY), spans):
        bad = document.decode_error(first, last)
        yield ReadError(file, *bad) if bad else _entry_record(entry, file, first)


def read_atom(path: Path) -> Iterator[Record | ReadError]:
    """Entries of an arXiv API response (or any Atom feed) with their starting lines."""
    file = str(path)
    document = read_document(path)
    unsafe = _UNSAFE.search(document.text)
    if unsafe:
        yield ReadError(file, document.line_at(unsafe.start()), "xml with doctype or entity declarations refused")
        return
    yield from _feed_records(document, file)


def _parsed_name(row: list[object]) -> str:
    """An `authors_parsed` row [last, first, suffix] as 'First Last Suffix'."""
    last, first, suffix = ([part if isinstance(part, str) else "" for part in row[:3]] + ["", "", ""])[:3]
    return " ".join(part for part in (first, last, suffix) if part)


def _snapshot_authors(fields: Mapping[str, object]) -> tuple[str, ...]:
    """Names from `authors_parsed`, else from the `authors` string; LaTeX accents resolved."""
    parsed = fields.get("authors_parsed")
    names: Iterable[str]
    if isinstance(parsed, list) and parsed:
        names = [_parsed_name(row) for row in parsed if isinstance(row, list)]
    else:
        names = split_authors(fields.get("authors"))
    cleaned = (latex_to_text(name) for name in names)
    return tuple(name for name in cleaned if name)


def _snapshot_year(fields: Mapping[str, object]) -> int | None:
    """The year of the first version, else of the last metadata update."""
    versions = fields.get("versions")
    if isinstance(versions, list) and versions and isinstance(versions[0], dict):
        year = parse_year(versions[0].get("created"))
        if year:
            return year
    return parse_year(fields.get("update_date"))


def _string(fields: Mapping[str, object], name: str) -> str:
    """A string field, or "" when it is missing or of another type."""
    value = fields.get(name)
    return value if isinstance(value, str) else ""


def _snapshot_record(fields: Mapping[str, object], file: str, line: int) -> Record | ReadError:
    """One snapshot object as a Record, or why it cannot be one."""
    title, abstract = collapse(_string(fields, "title")), collapse(_string(fields, "abstract"))
    if not title:
        return ReadError(file, line, "record has no title")
    if not abstract:
        return ReadError(file, line, "record has no abstract")
    arxiv_id = normalize_arxiv_id(str(fields.get("id", "")))
    # the snapshot lists several DOIs separated by spaces when a paper has more than one
    doi = _string(fields, "doi").split()
    return Record(
        title=title,
        abstract=abstract,
        file=file,
        line=line,
        authors=_snapshot_authors(fields),
        year=_snapshot_year(fields),
        venue=collapse(_string(fields, "journal-ref")) or None,
        url=f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None,
        doi=normalize_doi(doi[0]) if doi else None,
        arxiv_id=arxiv_id,
    )


def read_snapshot(path: Path) -> Iterator[Record | ReadError]:
    """The Kaggle/arXiv metadata snapshot, streamed line by line."""
    file = str(path)
    for line in iter_lines(path):
        if not line.text.strip():
            continue
        fields = object_from_line(line, file)
        yield fields if isinstance(fields, ReadError) else _snapshot_record(fields, file, line.number)
