"""BibTeX through bibtexparser: entries with an abstract become records, damaged entries become errors."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from bibtexparser.entrypoint import parse_string
from bibtexparser.exceptions import BlockAbortedException
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from bibtexparser.model import Block, DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, ParsingFailedBlock

from surveyor.corpus.readers.fields import find_arxiv_id, normalize_arxiv_id, normalize_doi, parse_year
from surveyor.corpus.readers.latex import latex_to_text
from surveyor.corpus.readers.text import Document, read_document
from surveyor.records import ReadError, Record

# Damaged entries come back as ReadErrors with their line; bibtexparser's own warning about them would
# reach the user's terminal a second time through logging's last-resort handler.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

_ID_ESCAPE = re.compile(r"\\([_%&#$])")
_CONCATENATION = re.compile(r'\\.|[{}"#]', re.DOTALL)
_MACRO_DEPTH = 8


def _split_concatenation(raw: str) -> list[str]:
    """`"Part One" # { and Two}` as its parts; a `#` inside braces or quotes is text."""
    parts, depth, quoted, start = [], 0, False, 0
    for mark in _CONCATENATION.finditer(raw):
        char = mark.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(raw[start : mark.start()])
            start = mark.end()
    return parts + [raw[start:]]


def _value(raw: str, macros: Mapping[str, str], depth: int = 0) -> str:
    """A field's value with @string macros and `#` concatenation resolved and the delimiters removed.
    bibtexparser 2.1 resolves a lone macro but leaves concatenations as written, hence this."""
    parts = _split_concatenation(raw) if "#" in raw else [raw]
    return "".join(_part(part.strip(), macros, depth) for part in parts)


def _part(part: str, macros: Mapping[str, str], depth: int) -> str:
    """One braced, quoted or bare (number, macro name) piece of a value."""
    if len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
        return part[1:-1]
    macro = macros.get(part.lower())
    if macro is not None and depth < _MACRO_DEPTH:
        return _value(macro, macros, depth + 1)
    return part  # a number, or a macro the file never defines (BibTeX itself would warn and go on)


def _authors(value: str) -> tuple[str, ...]:
    """'Last, First and First Last' as display names 'First von Last Jr'; `and` inside braces is part of a name."""
    names = []
    for name in split_multiple_persons_names(value):
        parts = parse_single_name_into_parts(name, strict=False)
        names.append(latex_to_text(" ".join(parts.first + parts.von + parts.last + parts.jr)))
    return tuple(name for name in names if name)


def _plain(value: str) -> str:
    """An identifier or URL: only escapes and braces removed, never LaTeX-converted (`--`, `~` are real)."""
    return _ID_ESCAPE.sub(r"\1", value).replace("{", "").replace("}", "").strip()


def _arxiv_id(fields: Mapping[str, str]) -> str | None:
    """The arXiv id from eprint + archivePrefix, else from an "arXiv:..." journal field."""
    archive = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    if archive == "arxiv" and "eprint" in fields:
        return normalize_arxiv_id(_plain(fields["eprint"]))
    # Google Scholar style: journal = {arXiv preprint arXiv:2304.02633}
    return find_arxiv_id(fields.get("journal", ""))


def _record(file: str, line: int, key: str, fields: Mapping[str, str]) -> Record | ReadError:
    """One entry's resolved fields as a Record, or why they cannot be one."""
    abstract = latex_to_text(fields.get("abstract", ""))
    if not abstract:
        return ReadError(file, line, f"entry {key} has no abstract")
    title = latex_to_text(fields.get("title", ""))
    if not title:
        return ReadError(file, line, f"entry {key} has no title")
    venue = fields.get("journal") or fields.get("booktitle") or fields.get("journaltitle") or ""
    return Record(
        title=title,
        abstract=abstract,
        file=file,
        line=line,
        authors=_authors(fields.get("author", "")),
        year=parse_year(fields.get("year") or fields.get("date")),
        venue=latex_to_text(venue) or None,
        url=_plain(fields.get("url", "")) or None,
        doi=normalize_doi(_plain(fields.get("doi", ""))),
        arxiv_id=_arxiv_id(fields),
        external_id=key or None,
    )


def _failure(block: ParsingFailedBlock) -> str:
    """Why bibtexparser could not split an entry, as a short reason."""
    error = block.error
    reason = " ".join((error.abort_reason if isinstance(error, BlockAbortedException) else str(error)).split())
    return f"malformed entry: {reason[:1].lower()}{reason[1:].rstrip('.')}"


def _block(document: Document, file: str, block: Block, macros: Mapping[str, str]) -> Record | ReadError | None:
    """One block of the file as a record or an error; None for comments, @string and @preamble."""
    line = (block.start_line or 0) + 1
    if isinstance(block, (DuplicateBlockKeyBlock, DuplicateFieldKeyBlock)):
        # a duplicate key is settled later like any key clash; of duplicate fields the first one wins
        block = block.ignore_error_block or block
    if not isinstance(block, (Entry, ParsingFailedBlock)):
        return None
    bad = document.decode_error(line, line + (block.raw or "").count("\n"))
    if bad:
        return ReadError(file, *bad)
    if isinstance(block, ParsingFailedBlock):
        return ReadError(file, line, _failure(block))
    fields: dict[str, str] = {}
    for field in block.fields:
        if isinstance(field.value, str):
            fields.setdefault(field.key.lower(), _value(field.value, macros))
    return _record(file, line, block.key.strip(), fields)


def read(path: Path) -> Iterator[Record | ReadError]:
    """Every entry in file order; comments, @string and @preamble are not papers."""
    file = str(path)
    document = read_document(path)
    # no middlewares: values are resolved above, where a damaged entry costs only itself
    library = parse_string(document.text, parse_stack=[])
    macros = {key.lower(): s.value for key, s in library.strings_dict.items() if isinstance(s.value, str)}
    for block in library.blocks:
        item = _block(document, file, block, macros)
        if item is not None:
            yield item
