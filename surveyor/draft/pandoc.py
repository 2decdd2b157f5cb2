"""Pandoc Markdown: `[n]` markers as Pandoc citations (`[@key]`, `[@a; @b]`), prose escaped so Pandoc
reads it as the plain text it is (an `@` or `*` in an abstract is not a citation or emphasis)."""

from __future__ import annotations

import re

from surveyor.records import Paper

# A key Pandoc reads bare: alphanumerics and `_`, with single punctuation marks only between them.
# Any other key (a trailing `.`, a doubled `--`) must be written `@{key}`.
_BARE_KEY = re.compile(r"[A-Za-z0-9_]+(?:[:.#$%&\-+?<>~/][A-Za-z0-9_]+)*")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>@$^~#|&])")
# "1. " or "- " opening a paragraph or heading would start a list
_LIST_START = re.compile(r"^(\d+)([.)])(?=\s)|^([-+])(?=\s)")
_MARKERS = re.compile(r"(\s*)(\[\d+\](?:\s*\[\d+\])*)")


def citation(key: str) -> str:
    """`@key`, or `@{key}` when Pandoc would otherwise cut the key short."""
    return f"@{key}" if _BARE_KEY.fullmatch(key) else "@{" + key + "}"


def markdown_escape(text: str) -> str:
    """Plain text as Pandoc Markdown that renders as that text."""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return _LIST_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", escaped)


def _names_its_authors(prose: str, paper: Paper) -> bool:
    """Whether prose ends with the paper's first author ('Chen et al.', 'Chen'), as the draft writers name it."""
    surname = paper.authors[0].split()[-1] if paper.authors else ""
    return bool(surname) and prose.rstrip().endswith((f"{surname} et al.", surname))


def pandoc_cite(text: str, references: list[Paper]) -> str:
    """Escape prose and turn each run of `[n]` markers into one Pandoc citation, `[@a; @b]`. After prose that
    already names the authors ('Chen et al. [1]') the citation is `[-@a]`, so author-date styles print
    'Chen et al. (2023)' rather than the names twice; numeric styles print the number either way."""
    parts, last = [], 0
    for match in _MARKERS.finditer(text):
        prose = text[last : match.start()]
        parts.append(markdown_escape(prose))
        numbers = dict.fromkeys(int(n) for n in re.findall(r"\d+", match.group(2)))
        cited = [references[n - 1] for n in numbers]
        keys = [citation(paper.key) for paper in cited]
        if len(cited) == 1 and _names_its_authors(prose, cited[0]):
            keys = ["-" + keys[0]]
        parts.append(match.group(1) + "[" + "; ".join(keys) + "]")
        last = match.end()
    parts.append(markdown_escape(text[last:]))
    return "".join(parts)
