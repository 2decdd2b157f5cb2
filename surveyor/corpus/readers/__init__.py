"""Readers: every supported file format to a stream of Record or ReadError, never raising on bad content."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from surveyor.corpus.readers import arxiv, bibtex, csljson, daily, ris, tabular
from surveyor.corpus.readers.detect import detect_format, sniff_format
from surveyor.corpus.readers.text import is_binary, is_blank, read_head
from surveyor.records import ReadError, Record

__all__ = ["FORMATS", "detect_format", "read_file", "read_paths"]

FORMATS: tuple[str, ...] = ("daily", "jsonl", "json", "csv", "bibtex", "atom", "arxiv-jsonl", "ris", "csljson")

_READERS: dict[str, Callable[[Path], Iterator[Record | ReadError]]] = {
    "daily": daily.read,
    "jsonl": tabular.read_jsonl,
    "json": tabular.read_json,
    "csv": tabular.read_csv,
    "bibtex": bibtex.read,
    "atom": arxiv.read_atom,
    "arxiv-jsonl": arxiv.read_snapshot,
    "ris": ris.read,
    "csljson": csljson.read,
}


def _check_format(fmt: str | None) -> None:
    """Fail fast, before any file is touched, on a format name that does not exist."""
    if fmt is not None and fmt not in _READERS:
        raise ValueError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")


def _os_reason(err: OSError) -> str:
    """A short lowercase reason for a file that could not be opened or read."""
    if isinstance(err, FileNotFoundError):
        return "no such file or directory"
    return f"cannot read file: {(err.strerror or str(err)).lower()}"


def _read_one(path: Path, fmt: str | None) -> Iterator[Record | ReadError]:
    """One file with a known-good fmt (or None to detect), unreadable files reported."""
    file = str(path)
    try:
        head = read_head(path)
        if is_binary(head):
            yield ReadError(file, None, "binary file, not text")
        elif is_blank(path):
            yield ReadError(file, None, "empty file")
        else:
            yield from _READERS[fmt or sniff_format(path, head)](path)
    except OSError as err:
        # also covers a file vanishing or failing halfway: the records read so far stand
        yield ReadError(file, None, _os_reason(err))


def read_file(path: Path, fmt: str | None = None) -> Iterator[Record | ReadError]:
    """Records and errors of one file in file order; fmt forces a format instead of detecting it."""
    _check_format(fmt)
    return _read_one(Path(path), fmt)


IGNORE_FILE = ".surveyorignore"


def _walk(folder: Path) -> Iterator[Path | ReadError]:
    """Files under folder in sorted order; hidden entries, and names matching a glob listed in a
    folder's .surveyorignore (say, an evaluation question file beside the papers), are skipped.
    Unlistable folders are reported last."""
    failures: list[OSError] = []
    for root, folders, files in os.walk(folder, onerror=failures.append):
        ignored = _ignored(Path(root))
        folders[:] = sorted(n for n in folders if not n.startswith(".") and not _matches(n, ignored))
        yield from (Path(root, n) for n in sorted(files) if not n.startswith(".") and not _matches(n, ignored))
    yield from (ReadError(str(err.filename), None, _os_reason(err)) for err in failures)


def _ignored(folder: Path) -> list[str]:
    try:
        lines = (folder / IGNORE_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _matches(name: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


def _read_many(paths: list[Path], fmt: str | None) -> Iterator[Record | ReadError]:
    """Each path in turn, folders expanded."""
    for path in paths:
        found: Iterator[Path | ReadError] = _walk(path) if path.is_dir() else iter([path])
        for item in found:
            if isinstance(item, ReadError):
                yield item
            else:
                yield from _read_one(item, fmt)


def read_paths(paths: Sequence[Path], fmt: str | None = None) -> Iterator[Record | ReadError]:
    """Records and errors of files and folders (recursive, sorted, hidden entries skipped), in order."""
    _check_format(fmt)
    return _read_many([Path(path) for path in paths], fmt)
