"""Hugging Face "Daily Papers" page text: page chrome, then non-empty lines alternating title, abstract."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from surveyor.corpus.readers.fields import clean_text
from surveyor.corpus.readers.text import Line, iter_lines
from surveyor.records import ReadError, Record

_CHROME = frozenset(
    {
        "new",
        "Subscribe",
        "Daily Papers",
        "Get trending papers in your email inbox!",
        "Get trending papers in your email inbox once a day!",
        "byAK and the research community",
        "by AK and the research community",
    }
)
_DATE = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}(?:, \d{4})?")
# the copied page can glue the Subscribe button onto the first title: "SubscribeHNeRV: ..."
_GLUED = re.compile(r"Subscribe(?=[A-Z0-9])")
_SENTENCE_BREAK = re.compile(r"[.!?](?=\s+[A-Z])")
# longer than any real paper title, shorter than any real abstract
_TITLE_MAX = 300


def _is_chrome(text: str) -> bool:
    """Page furniture of the Daily Papers site rather than paper text."""
    stripped = text.strip()
    return stripped in _CHROME or _DATE.fullmatch(stripped) is not None


def _unglue(line: Line) -> Line:
    """The line without a Subscribe button glued to its front."""
    if _GLUED.match(line.text):
        return Line(line.number, _GLUED.sub("", line.text, count=1), line.error)
    return line


def _looks_like_abstract(text: str) -> bool:
    """Where a title is expected: too long, or several sentences ending with a period."""
    ends_sentence = text.rstrip().endswith(".") and _SENTENCE_BREAK.search(text) is not None
    return len(text) > _TITLE_MAX or ends_sentence


def _looks_like_title(text: str) -> bool:
    """Where an abstract is expected: short and not ending like a sentence."""
    return len(text) <= _TITLE_MAX and not text.rstrip().endswith(".")


def _record(file: str, title: Line, abstract: Line) -> Record | ReadError:
    """The pair as a Record, or the decoding error of whichever line is broken."""
    bad = title if title.error else abstract
    if bad.error:
        return ReadError(file, bad.number, bad.error)
    return Record(title=clean_text(title.text), abstract=clean_text(abstract.text), file=file, line=title.number)


def _content_lines(path: Path) -> Iterator[Line | None]:
    """Non-empty lines with the Subscribe prefix removed; None marks page chrome, a record boundary."""
    for line in iter_lines(path):
        if not clean_text(line.text).strip():
            continue
        yield None if _is_chrome(line.text) else _unglue(line)


def read(path: Path) -> Iterator[Record | ReadError]:
    """Pair each title line with the abstract line after it, resyncing on lines of the wrong kind."""
    file = str(path)
    title: Line | None = None
    for line in _content_lines(path):
        if title is None:
            if line is not None and _looks_like_abstract(line.text):
                yield ReadError(file, line.number, "abstract without title")
            else:
                title = line
        elif line is None or _looks_like_title(line.text):
            yield ReadError(file, title.number, "title without abstract")
            title = line
        else:
            yield _record(file, title, line)
            title = None
    if title is not None:
        yield ReadError(file, title.number, "title without abstract")
