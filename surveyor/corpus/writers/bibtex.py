"""BibTeX out through bibtexparser's writer, with values escaped so pdflatex and BibTeX take them."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from surveyor.corpus.writers.csljson import csl_type
from surveyor.corpus.writers.names import bibtex_name_parts
from surveyor.records import Paper
from surveyor.text.latex import bibtex_escape

# The entry type and the field naming the venue, by the CSL type the venue suggests.
_KIND = {"paper-conference": ("inproceedings", "booktitle"), "article-journal": ("article", "journal")}


def _layout() -> BibtexFormat:
    layout = BibtexFormat()  # type: ignore[no-untyped-call]  # bibtexparser leaves __init__ unannotated
    layout.indent = "  "
    layout.block_separator = "\n"
    return layout


def _name(name: str, keep_unicode: bool) -> str:
    """One author as 'von Last, Jr, First', or whole in braces (an organisation, "Barnes and Noble")."""
    parts = bibtex_name_parts(name)
    if parts is None:
        return "{" + bibtex_escape(name, keep_unicode) + "}"
    return ", ".join(bibtex_escape(part, keep_unicode) for part in parts).rstrip(", ")


def _verbatim(identifier: str) -> str:
    """A DOI, URL or arXiv id as written: biblatex, natbib styles and Pandoc read these fields verbatim
    (an escaped `\\_` would show its backslash); only braces, which would end the field, are encoded."""
    return identifier.replace("{", "%7B").replace("}", "%7D")


def _kind(paper: Paper) -> tuple[str, str]:
    """`inproceedings` + booktitle, `article` + journal, or `misc` for a paper without a venue."""
    if not paper.venue:
        return "misc", ""
    return _KIND.get(csl_type(paper), ("article", "journal"))


def _entry(paper: Paper, export: bool) -> Entry:
    """One paper's entry, fields in the order people read them; absent values are left out."""
    escape = partial(bibtex_escape, keep_unicode=export)
    kind, venue_field = _kind(paper)
    # the title is braced twice so bibliography styles keep its capitals (HNeRV, not Hnerv)
    fields = [
        ("title", "{" + escape(paper.title) + "}"),
        ("author", " and ".join(_name(name, export) for name in paper.authors)),
        ("year", str(paper.year or "")),
        (venue_field, escape(paper.venue or "")),
        ("doi", _verbatim(paper.doi or "")),
        ("eprint", _verbatim(paper.arxiv_id or "")),
        ("archiveprefix", "arXiv" if paper.arxiv_id else ""),
        ("abstract", escape(paper.abstract) if export else ""),
        ("url", _verbatim(paper.url or "")),
        # where a backup came from; left out of drafts, whose bibliographies readers see
        ("note", f"surveyor id: {escape(paper.paper_id)}" if export else ""),
    ]
    return Entry(kind, paper.key, [Field(name, value) for name, value in fields if name and value])


def write_bibtex(papers: Sequence[Paper], *, export: bool = False) -> str:
    """A .bib entry per paper, keyed by citation key. `export`: with abstracts and unicode kept as
    is, so ingesting it gives back the same papers (a backup, not a file for pdflatex)."""
    return write_string(Library([_entry(p, export) for p in papers]), bibtex_format=_layout())
