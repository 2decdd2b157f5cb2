"""Bytes to text: binary sniffing, BOM handling, and line-by-line UTF-8 decoding that never raises."""

from __future__ import annotations

import codecs
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

SNIFF_BYTES = 8192
_CHUNK_CHARS = 1 << 16
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_BINARY_SIGNATURES = (
    b"\x89PNG\r\n\x1a\n",
    b"%PDF-",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"\x7fELF",
    b"\xfd7zXZ\x00",
)


@dataclass(frozen=True)
class Line:
    """One line of a file without its line ending; error says why its bytes were not valid UTF-8."""

    number: int
    text: str
    error: str | None = None


@dataclass(frozen=True)
class Document:
    """A whole file as one string, remembering where lines start and which ones did not decode."""

    text: str
    starts: list[int]
    bad: dict[int, str]

    def line_at(self, offset: int) -> int:
        """The 1-based line holding a character offset of text."""
        return bisect_right(self.starts, offset)

    def decode_error(self, first: int, last: int) -> tuple[int, str] | None:
        """The first undecodable line in first..last, so a record built from it can be refused."""
        return next(((n, reason) for n, reason in self.bad.items() if first <= n <= last), None)


def read_head(path: Path) -> bytes:
    """The first few KB of a file, enough to sniff its kind."""
    with path.open("rb") as stream:
        return stream.read(SNIFF_BYTES)


def _is_utf16(head: bytes) -> bool:
    """Whether the bytes open with a UTF-16 byte order mark."""
    return head.startswith(_UTF16_BOMS)


def is_binary(head: bytes) -> bool:
    """NUL bytes or a well-known binary signature; UTF-16 text is full of NULs, so its BOM wins."""
    if _is_utf16(head):
        return False
    return b"\x00" in head or head.startswith(_BINARY_SIGNATURES)


def decode_head(head: bytes) -> str:
    """The sniffed head as text, BOM removed and bad bytes replaced."""
    return head.decode("utf-16" if _is_utf16(head) else "utf-8-sig", errors="replace")


def open_text(path: Path) -> TextIO:
    """The file as forgiving text (BOM-aware, bad bytes replaced), split on newlines only."""
    encoding = "utf-16" if _is_utf16(read_head(path)[:2]) else "utf-8-sig"
    return path.open(encoding=encoding, errors="replace", newline="\n")


def is_blank(path: Path) -> bool:
    """True when the file holds nothing but whitespace; stops at the first chunk with content."""
    with open_text(path) as stream:
        return all(not chunk.strip() for chunk in iter(lambda: stream.read(_CHUNK_CHARS), ""))


def _decode(raw: bytes) -> tuple[str, str | None]:
    """Strict UTF-8, else the text with bad bytes replaced and where the first one sits."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as err:
        column = len(raw[: err.start].decode("utf-8", errors="replace")) + 1
        reason = f"not valid UTF-8 (byte 0x{raw[err.start]:02x} at column {column})"
        return raw.decode("utf-8", errors="replace"), reason


def _utf16_lines(path: Path) -> Iterator[Line]:
    """Lines of a UTF-16 file; its bytes cannot be split on a newline byte, so the codec does it."""
    with open_text(path) as stream:
        for number, text in enumerate(stream, 1):
            yield Line(number, text.removesuffix("\n").removesuffix("\r"))


def iter_lines(path: Path) -> Iterator[Line]:
    """Stream the file line by line; each line is decoded on its own so one bad byte costs one line."""
    if _is_utf16(read_head(path)[:2]):
        yield from _utf16_lines(path)
        return
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, 1):
            if number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            text, error = _decode(raw.removesuffix(b"\n").removesuffix(b"\r"))
            yield Line(number, text, error)


def read_document(path: Path) -> Document:
    """The whole file for formats that need it at once (JSON array, BibTeX, Atom)."""
    parts: list[str] = []
    starts: list[int] = []
    bad: dict[int, str] = {}
    offset = 0
    for line in iter_lines(path):
        starts.append(offset)
        parts.append(line.text)
        offset += len(line.text) + 1
        if line.error:
            bad[line.number] = line.error
    return Document("\n".join(parts), starts, bad)
