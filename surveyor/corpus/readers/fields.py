"""Field normalisation shared by the readers: text cleaning, ids, years and author names."""

from __future__ import annotations

import re
from collections.abc import Mapping

_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")
_LINE_SPACE = str.maketrans("\t\n", "  ")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_ARXIV_PREFIX = re.compile(r"^(?:arxiv:\s*|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)", re.IGNORECASE)
_ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?")
# "arXiv:2304.02633", "arXiv preprint arXiv:2304.02633", "arxiv.org/abs/2304.02633v2", "10.48550/arXiv.2304.02633"
_ARXIV_MENTION = re.compile(
    r"arxiv(?:\.org/(?:abs|pdf)/|[:.]\s*|\s+)(\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})", re.IGNORECASE
)
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_AND = re.compile(r"\s+and\s+")
_AUTHOR_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


def clean_text(text: str) -> str:
    """Drop control and zero-width characters; tabs and newlines become spaces."""
    if text.isprintable():
        # the common case: nothing to drop, and this check is far cheaper than the substitution
        return text
    return _INVISIBLE.sub("", text).translate(_LINE_SPACE)


def collapse(text: str) -> str:
    """Clean text and squeeze every whitespace run (hard line wraps included) into one space."""
    return " ".join(clean_text(text).split())


def normalize_doi(value: str) -> str | None:
    """`https://doi.org/10.1/X` or `doi:10.1/X` as `10.1/x`; None when it is not a DOI."""
    doi = _DOI_PREFIX.sub("", value.strip()).lower()
    return doi if _DOI.fullmatch(doi) else None


def normalize_arxiv_id(value: str) -> str | None:
    """`arXiv:2304.02633v1` or an abs/pdf URL as `2304.02633` (old `hep-th/9901001` ids too)."""
    match = _ARXIV_ID.fullmatch(_ARXIV_PREFIX.sub("", value.strip()))
    return match.group(1) if match else None


def find_arxiv_id(text: str) -> str | None:
    """The arXiv id a free-text field mentions (a note, a journal, a URL, an arXiv DOI); None if none."""
    match = _ARXIV_MENTION.search(text)
    return normalize_arxiv_id(match.group(1)) if match else None


def parse_year(value: object) -> int | None:
    """A plausible year from an int or from the first 4-digit year in a string; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        value = str(value)
    match = _YEAR.search(value) if isinstance(value, str) else None
    return int(match.group(1)) if match else None


def display_name(name: str) -> str:
    """'Last, First' (or 'Last, Jr., First') as 'First Last'; other forms are kept as they are."""
    parts = [part.strip() for part in name.split(",")]
    if len(parts) == 2:
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3:
        return f"{parts[2]} {parts[0]} {parts[1]}"
    return name


def _split_author_string(value: str) -> list[str]:
    """Split a one-string author list on ";", " and " or ","."""
    if ";" in value:
        return [display_name(part) for part in value.split(";")]
    pieces = _AND.split(value)
    # "Last, First and Last, First" is BibTeX order, not a comma-separated list
    if len(pieces) > 1 and all(piece.count(",") == 1 for piece in pieces):
        return [display_name(piece) for piece in pieces]
    return _AUTHOR_SEPARATOR.split(value)


def _author_name(item: object) -> str:
    """A display name from a string or a {name} / {given, family} / {first, last} object."""
    if isinstance(item, str):
        return display_name(item)
    if isinstance(item, Mapping):
        if isinstance(item.get("name"), str):
            return display_name(item["name"])
        given = item.get("given") or item.get("first") or ""
        family = item.get("family") or item.get("last") or ""
        return f"{given} {family}" if isinstance(given, str) and isinstance(family, str) else ""
    return ""


def split_authors(value: object) -> tuple[str, ...]:
    """Display names from a list of names/objects or from a ';', ' and ' or ',' separated string."""
    if isinstance(value, str):
        names = _split_author_string(value)
    elif isinstance(value, list):
        names = [_author_name(item) for item in value]
    else:
        return ()
    return tuple(name for name in map(collapse, names) if name)
