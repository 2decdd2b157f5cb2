"""BibTeX: a small brace-aware parser; entries with an abstract become records."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from surveyor.corpus.readers.fields import display_name, normalize_arxiv_id, normalize_doi, parse_year
from surveyor.corpus.readers.latex import latex_to_text
from surveyor.corpus.readers.text import Document, read_document
from surveyor.records import ReadError, Record

# an entry runs until the next line starting with "@type{"; that is where parsing resumes after damage
_ENTRY = re.compile(r"^[ \t]*(@)[ \t]*([A-Za-z]+)[ \t]*([{(])", re.MULTILINE)
_SKIPPED = frozenset({"comment", "string", "preamble"})
_KEY = re.compile(r"\s*([^\s,{}()=\"#]+)\s*(?:,|(?=[})]))")
_NAME = re.compile(r"\s*([A-Za-z][^\s=,{}()\"#]*)\s*=\s*")
_BARE = re.compile(r"[^\s,#{}()\"]+")
_BRACE = re.compile(r"\\.|[{}]", re.DOTALL)
_QUOTE_END = re.compile(r"\\.|[{}\"]", re.DOTALL)
_AUTHOR_AND = re.compile(r"\s+and\s+")
_ARXIV_IN_TEXT = re.compile(r"arxiv:\s*(\S+)", re.IGNORECASE)
_ID_ESCAPE = re.compile(r"\\([_%&#$])")


class _Malformed(Exception):
    """Why an entry could not be parsed."""


class _EntryParser:
    """Parses the body of one entry, `key, name = value, ...` up to its closing delimiter."""

    def __init__(self, text: str, pos: int, end: int, closer: str) -> None:
        self.text, self.pos, self.end, self.closer = text, pos, end, closer

    def parse(self) -> tuple[str, dict[str, str]]:
        """The entry key and its fields (names lowercased, first occurrence wins)."""
        key = _KEY.match(self.text, self.pos, self.end)
        if key is None:
            raise _Malformed("missing citation key")
        self.pos = key.end()
        fields: dict[str, str] = {}
        while not self._at_close():
            name, value = self._field()
            fields.setdefault(name, value)
        return key.group(1), fields

    def _at_close(self) -> bool:
        """Skip separators; True at the closing delimiter, error when the entry runs out."""
        while self.pos < self.end and (self.text[self.pos].isspace() or self.text[self.pos] == ","):
            self.pos += 1
        if self.pos >= self.end:
            raise _Malformed("unbalanced braces")
        return self.text[self.pos] == self.closer

    def _field(self) -> tuple[str, str]:
        """One `name = value # value ...` field."""
        name = _NAME.match(self.text, self.pos, self.end)
        if name is None:
            raise _Malformed("expected a field name")
        self.pos = name.end()
        parts = [self._value_part()]
        while self._skip_space() and self.text[self.pos] == "#":
            self.pos += 1
            self._skip_space()
            parts.append(self._value_part())
        return name.group(1).lower(), "".join(parts)

    def _skip_space(self) -> bool:
        """Skip whitespace; False when the entry has run out."""
        while self.pos < self.end and self.text[self.pos].isspace():
            self.pos += 1
        return self.pos < self.end

    def _value_part(self) -> str:
        """One braced, quoted or bare (number, macro name) value."""
        char = self.text[self.pos] if self.pos < self.end else ""
        if char == "{":
            return self._delimited(_BRACE, "}")
        if char == '"':
            return self._delimited(_QUOTE_END, '"')
        bare = _BARE.match(self.text, self.pos, self.end)
        if bare is None:
            raise _Malformed("expected a field value")
        self.pos = bare.end()
        return bare.group()

    def _delimited(self, tokens: re.Pattern[str], closer: str) -> str:
        """The text between pos and its matching closer, braces balanced, escapes skipped."""
        depth = 0
        for token in tokens.finditer(self.text, self.pos + 1, self.end):
            mark = token.group()
            if mark == closer and depth == 0:
                value = self.text[self.pos + 1 : token.start()]
                self.pos = token.end()
                return value
            depth += {"{": 1, "}": -1}.get(mark, 0)
            if depth < 0:
                break
        raise _Malformed("unbalanced braces")


def _authors(value: str) -> tuple[str, ...]:
    """'Last, First and First Last' as display names; `and` inside braces is part of a name."""
    names: list[str] = []
    depth, start = 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", value):
        mark = match.group()
        if mark in "{}":
            depth += 1 if mark == "{" else -1
        elif depth == 0:
            names.append(value[start : match.start()])
            start = match.end()
    names.append(value[start:])
    cleaned = (latex_to_text(display_name(name)) for name in names)
    return tuple(name for name in cleaned if name)


def _plain(value: str) -> str:
    """An identifier or URL: only escapes and braces removed, never LaTeX-converted (`--`, `~` are real)."""
    return _ID_ESCAPE.sub(r"\1", value).replace("{", "").replace("}", "").strip()


def _arxiv_id(fields: dict[str, str]) -> str | None:
    """The arXiv id from eprint + archivePrefix, else from an "arXiv:..." journal field."""
    archive = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    if archive == "arxiv" and "eprint" in fields:
        return normalize_arxiv_id(_plain(fields["eprint"]))
    # Google Scholar style: journal = {arXiv preprint arXiv:2304.02633}
    found = _ARXIV_IN_TEXT.search(fields.get("journal", ""))
    return normalize_arxiv_id(found.group(1)) if found else None


def _record(file: str, line: int, key: str, fields: dict[str, str]) -> Record | ReadError:
    """One parsed entry as a Record, or why it cannot be one."""
    if not latex_to_text(fields.get("abstract", "")):
        return ReadError(file, line, f"entry {key} has no abstract")
    title = latex_to_text(fields.get("title", ""))
    if not title:
        return ReadError(file, line, f"entry {key} has no title")
    venue = fields.get("journal") or fields.get("booktitle") or fields.get("journaltitle") or ""
    return Record(
        title=title,
        abstract=latex_to_text(fields["abstract"]),
        file=file,
        line=line,
        authors=_authors(fields.get("author", "")),
        year=parse_year(fields.get("year") or fields.get("date")),
        venue=latex_to_text(venue) or None,
        url=_plain(fields.get("url", "")) or None,
        doi=normalize_doi(_plain(fields.get("doi", ""))),
        arxiv_id=_arxiv_id(fields),
        external_id=key,
    )


def _entry(document: Document, file: str, head: re.Match[str], end: int) -> Record | ReadError:
    """Parse the entry starting at head and ending before end."""
    line = document.line_at(head.start(1))
    closer = "}" if head.group(3) == "{" else ")"
    try:
        key, fields = _EntryParser(document.text, head.end(), end, closer).parse()
    except _Malformed as err:
        return ReadError(file, line, f"malformed entry: {err}")
    bad = document.decode_error(line, document.line_at(end - 1))
    return ReadError(file, *bad) if bad else _record(file, line, key, fields)


def read(path: Path) -> Iterator[Record | ReadError]:
    """Every entry in file order; @comment, @string and @preamble are skipped."""
    file = str(path)
    document = read_document(path)
    heads = list(_ENTRY.finditer(document.text))
    ends = [head.start() for head in heads[1:]] + [len(document.text)]
    for head, end in zip(heads, ends):
        if head.group(2).lower() not in _SKIPPED:
            yield _entry(document, file, head, end)
