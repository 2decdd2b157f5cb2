"""CSL-JSON (Zotero, Better BibTeX, Pandoc, `surveyor export --format csljson`): a JSON array of CSL items."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from surveyor.corpus.readers.fields import collapse, find_arxiv_id
from surveyor.corpus.readers.tabular import read_json_objects, record_from_mapping
from surveyor.records import ReadError, Record

# Keys only CSL items carry; one of them in the first few KB of a JSON array marks the file as CSL-JSON.
CSL_KEYS = ("container-title", "issued", "citation-key", "date-parts", "collection-title", "publisher-place")
CSL_TYPES = (
    "article", "article-journal", "article-magazine", "article-newspaper", "paper-conference", "book", "chapter",
    "report", "thesis", "manuscript", "webpage", "post-weblog", "dataset", "software", "speech", "standard",
)
# where Zotero and Better BibTeX leave an arXiv id: `number` ("arXiv:2304.02633"), notes, the URL, the DOI
_ARXIV_SOURCES = ("number", "note", "archive_location", "URL", "DOI")
_NAME_PARTS = ("given", "dropping-particle", "non-dropping-particle", "family", "suffix")


def _string(item: Mapping[str, object], key: str) -> str:
    """A text field; a number (CSL allows `"number": 7`) as its digits; anything else as missing."""
    value = item.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return collapse(value) if isinstance(value, str) else ""


def _name(person: object) -> str:
    """A CSL name object as a display name: `literal` as it is, else given, particles, family, suffix."""
    if not isinstance(person, Mapping):
        return ""
    if isinstance(person.get("literal"), str):
        return collapse(person["literal"])
    return " ".join(part for part in (_string(person, key) for key in _NAME_PARTS) if part)


def _year(item: Mapping[str, object]) -> object:
    """`issued.date-parts[0][0]`, else the date's `raw` or `literal` text, else a bare `year`."""
    issued = item.get("issued")
    if isinstance(issued, Mapping):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return parts[0][0]
        return issued.get("raw") or issued.get("literal")
    return issued if isinstance(issued, (str, int)) else item.get("year")


def _authors(item: Mapping[str, object]) -> tuple[str, ...]:
    people = item.get("author")
    names = (_name(person) for person in people) if isinstance(people, list) else ()
    return tuple(name for name in names if name)


def fields_from_csl(item: Mapping[str, object]) -> dict[str, object]:
    """A CSL item in the field names every tabular record uses (title, abstract, year, venue, ...)."""
    arxiv = (find_arxiv_id(_string(item, key)) for key in _ARXIV_SOURCES)
    return {
        "title": item.get("title"),
        "abstract": item.get("abstract"),
        "year": _year(item),
        "venue": item.get("container-title"),
        "url": item.get("URL"),
        "doi": item.get("DOI"),
        "arxiv_id": next(filter(None, arxiv), None),
        "key": _string(item, "citation-key") or _string(item, "id"),
    }


def read(path: Path) -> Iterator[Record | ReadError]:
    """Every item of the array with the line it starts on."""
    for found in read_json_objects(path):
        if isinstance(found, ReadError):
            yield found
        else:
            fields = fields_from_csl(found.fields)
            yield record_from_mapping(fields, str(path), found.line, authors=_authors(found.fields))
