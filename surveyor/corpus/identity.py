"""Paper identity: stable ids, readable citation keys, and merging duplicate records."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections.abc import Container, Iterable

from surveyor.records import Paper, Record

_STOPWORDS = frozenset(
    "a an the of on for in to and with via from by at as is are towards toward using do does how what why when "
    "can we our new".split()
)


def normalize_title(title: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a title, used to spot duplicates."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def paper_id_for(record: Record) -> str:
    """A real id where one exists (arXiv, DOI), else one derived from the normalized title."""
    if record.arxiv_id:
        return f"arxiv:{record.arxiv_id}"
    if record.doi:
        return f"doi:{record.doi}"
    return title_id(record.title)


def title_id(title: str) -> str:
    """The id a paper gets from its title alone; every paper keeps it as an alias."""
    return "t:" + hashlib.sha1(normalize_title(title).encode()).hexdigest()[:12]


def _richness(record: Record) -> tuple[int, int]:
    fields = (record.authors, record.year, record.venue, record.url, record.doi, record.arxiv_id)
    return sum(1 for value in fields if value), len(record.abstract)


def merge(records: Iterable[Record]) -> list[tuple[Paper, list[Record]]]:
    """Group records of the same paper (same real id or same normalized title); keep the richest."""
    groups: dict[str, list[Record]] = {}
    alias_of: dict[str, str] = {}
    for record in records:
        names = [normalize_title(record.title), *(n for n in (record.arxiv_id, record.doi) if n)]
        group = next((alias_of[n] for n in names if n in alias_of), names[0])
        groups.setdefault(group, []).append(record)
        for name in names:
            alias_of.setdefault(name, group)
    return [(_paper_from(group), group) for group in groups.values()]


def _paper_from(group: list[Record]) -> Paper:
    best = max(group, key=_richness)
    ids = {paper_id_for(r) for r in group}
    paper_id = next((i for i in (paper_id_for(best), *sorted(ids)) if not i.startswith("t:")), paper_id_for(best))
    return Paper(
        paper_id=paper_id,
        key=next((r.external_id for r in group if r.external_id and KEY_PATTERN.fullmatch(r.external_id)), ""),
        title=best.title,
        abstract=best.abstract,
        authors=list(best.authors) or next((list(r.authors) for r in group if r.authors), []),
        year=best.year or next((r.year for r in group if r.year), None),
        venue=best.venue or next((r.venue for r in group if r.venue), None),
        url=best.url or next((r.url for r in group if r.url), None),
        doi=best.doi or next((r.doi for r in group if r.doi), None),
        arxiv_id=best.arxiv_id or next((r.arxiv_id for r in group if r.arxiv_id), None),
        sources=sorted({r.file for r in group}),
        aliases=sorted((ids | {title_id(best.title)}) - {paper_id}),
    )


def _ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower())


def base_key(paper: Paper) -> str:
    """`hnerv2023` style: the title's short name, else the first author's surname, else title words."""
    if paper.short_name:
        stem = _ascii_word(paper.short_name)
    elif paper.authors:
        stem = _ascii_word(paper.authors[0].split()[-1])
    else:
        words = [w for w in re.findall(r"[A-Za-z0-9]+", paper.title) if w.lower() not in _STOPWORDS]
        stem = _ascii_word("".join(words[:2]))
    stem = (stem or "paper")[:24]
    if stem[0].isdigit():
        stem = f"p{stem}"
    return f"{stem}{paper.year or ''}"


# A citation key a source may bring along (a BibTeX entry key, an exported "key"), kept if free.
KEY_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_:.-]{0,63}")


def assign_key(paper: Paper, taken: Container[str]) -> str:
    """The source's own key if it has a usable, free one; else unique among `taken`: `hnerv2023`,
    then `hnerv2023b`, `hnerv2023c`, ..."""
    if paper.key and paper.key not in taken:
        return paper.key
    base = base_key(paper)
    candidates = (f"{base}{_suffix(n)}" for n in range(10_000))
    return next(c for c in candidates if c not in taken)


def _suffix(n: int) -> str:
    return "" if n == 0 else "abcdefghijklmnopqrstuvwxyz"[n] if n < 26 else str(n)


def combine(stored: Paper | None, incoming: Paper) -> Paper:
    """The incoming version wins field by field; the stored one fills gaps and keeps its key.
    Sources and aliases are unions, so combining the same versions in any order gives the same paper."""
    if stored is None:
        return dataclasses.replace(incoming)
    real_id = next((i for i in (incoming.paper_id, stored.paper_id) if not i.startswith("t:")), stored.paper_id)
    aliases = {*stored.aliases, *incoming.aliases, stored.paper_id, incoming.paper_id, title_id(incoming.title)}
    return dataclasses.replace(
        incoming,
        paper_id=real_id,
        key=stored.key,
        authors=incoming.authors or stored.authors,
        year=incoming.year or stored.year,
        venue=incoming.venue or stored.venue,
        url=incoming.url or stored.url,
        doi=incoming.doi or stored.doi,
        arxiv_id=incoming.arxiv_id or stored.arxiv_id,
        sources=sorted({*stored.sources, *incoming.sources}),
        aliases=sorted(aliases - {real_id}),
    )
