"""Property-based: no reader input, however hostile, gives a traceback; clean records come out clean."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveyor.corpus.readers import FORMATS, read_file
from surveyor.records import ReadError, Record

_UNCLEAN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")
# Derandomized: CI sees the same examples every run; change the seed locally to explore more.
_SETTINGS = settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_EXTENSIONS = {"daily": ".txt", "jsonl": ".jsonl", "json": ".json", "csv": ".csv", "bibtex": ".bib",
               "atom": ".xml", "arxiv-jsonl": ".jsonl"}


def _read_all(path: Path, fmt: str | None) -> list[Record | ReadError]:
    items = list(read_file(path, fmt))
    for item in items:
        assert isinstance(item, (Record, ReadError))
        if isinstance(item, Record):
            assert item.title.strip() and item.abstract.strip()
            assert not _UNCLEAN.search(item.title + item.abstract + "".join(item.authors))
        else:
            assert item.reason and "\n" not in item.reason
    return items


@_SETTINGS
@given(data=st.binary(max_size=4000), fmt=st.sampled_from([None, *FORMATS]))
def test_random_bytes_in_any_format(tmp_path: Path, data: bytes, fmt: str | None) -> None:
    path = tmp_path / f"input{_EXTENSIONS.get(fmt or 'daily', '.txt')}"
    path.write_bytes(data)
    _read_all(path, fmt)


@_SETTINGS
@given(text=st.text(max_size=3000), fmt=st.sampled_from([None, *FORMATS]))
def test_random_unicode_in_any_format(tmp_path: Path, text: str, fmt: str | None) -> None:
    path = tmp_path / f"input{_EXTENSIONS.get(fmt or 'daily', '.txt')}"
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    _read_all(path, fmt)


_fields = st.text(min_size=0, max_size=300)


@_SETTINGS
@given(rows=st.lists(st.fixed_dictionaries({"title": _fields, "abstract": _fields}, optional={
    "authors": st.one_of(st.text(max_size=50), st.lists(st.text(max_size=20), max_size=5), st.integers()),
    "year": st.one_of(st.integers(), st.text(max_size=8), st.none()),
    "doi": st.text(max_size=30), "arxiv_id": st.text(max_size=20)}), min_size=1, max_size=8))
def test_json_lines_with_odd_fields(tmp_path: Path, rows: list[dict[str, object]]) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    items = _read_all(path, None)
    assert len(items) == len(rows)


def test_huge_fields_and_deep_nesting(tmp_path: Path) -> None:
    huge = tmp_path / "huge.jsonl"
    huge.write_text(json.dumps({"title": "T" * 100_000, "abstract": "word " * 500_000}) + "\n")
    (record,) = _read_all(huge, None)
    assert isinstance(record, Record) and len(record.abstract) > 2_000_000
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    items = _read_all(deep, None)
    assert items and all(isinstance(i, ReadError) for i in items)
    nested = tmp_path / "nested.jsonl"
    nested.write_text('{"title": ' + "[" * 50_000 + "]" * 50_000 + ', "abstract": "x"}\n')
    assert all(isinstance(i, ReadError) for i in _read_all(nested, None))
