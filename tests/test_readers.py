"""Readers: the Daily Papers seeds byte-exact, every other format from realistic fixtures, and bad input."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Iterable
from pathlib import Path

import pytest

from surveyor.corpus.readers import FORMATS, detect_format, read_file, read_paths
from surveyor.records import ReadError, Record

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
SEEDS = sorted(CORPORA.glob("0*.txt"))
SEED_COUNTS = (80, 226, 63, 65)
CHROME = {
    "new",
    "Subscribe",
    "Daily Papers",
    "Get trending papers in your email inbox!",
    "Get trending papers in your email inbox once a day!",
    "byAK and the research community",
    "by AK and the research community",
    "Aug 11",
    "Sep 11",
}


def records(items: Iterable[Record | ReadError]) -> list[Record]:
    return [item for item in items if isinstance(item, Record)]


def errors(items: Iterable[Record | ReadError]) -> list[ReadError]:
    return [item for item in items if isinstance(item, ReadError)]


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def raw_lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8").split("\n")


# --- Daily Papers seeds -------------------------------------------------------------------------


def test_seed_files_are_the_four_expected() -> None:
    assert [path.name[:3] for path in SEEDS] == ["000", "001", "002", "003"]


@pytest.mark.parametrize(("path", "count"), list(zip(SEEDS, SEED_COUNTS)), ids=lambda v: getattr(v, "name", str(v)))
def test_seed_counts_and_byte_exact_fields(path: Path, count: int) -> None:
    items = list(read_file(path))
    found = records(items)
    assert errors(items) == []
    assert len(found) == count
    lines = raw_lines(path)
    full_lines = set(lines)
    for record in found:
        assert record.file == str(path)
        assert record.abstract in full_lines
        assert record.title not in CHROME
        source = lines[record.line - 1]
        assert source == record.title or source == "Subscribe" + record.title
        assert record.title in full_lines or source == "Subscribe" + record.title
        assert lines[record.line - 1 :].index(record.abstract) > 0


def test_glued_subscribe_title_is_recovered() -> None:
    path = SEEDS[1]
    found = records(read_file(path))
    first = found[0]
    assert first.title == "HNeRV: A Hybrid Neural Representation for Videos"
    assert raw_lines(path)[first.line - 1] == "SubscribeHNeRV: A Hybrid Neural Representation for Videos"
    assert first.line == 3
    assert first.abstract.startswith("Implicit neural representations store videos")


def test_seed_titles_on_the_four_files_are_363_distinct_with_one_abstract_each() -> None:
    abstracts: dict[str, str] = {}
    for record in records(read_paths(SEEDS)):
        assert abstracts.setdefault(record.title, record.abstract) == record.abstract
    assert len(abstracts) == 363


def test_seed_folder_reads_in_file_order(tmp_path: Path) -> None:
    found = records(read_paths([CORPORA]))
    assert len(found) == sum(SEED_COUNTS)
    assert [record.file for record in found] == sorted(record.file for record in found)


# --- Daily Papers robustness --------------------------------------------------------------------

LONG_ABSTRACT = (
    "We propose a method for learning representations. It works on many benchmarks and is simple to use. "
    "Experiments show strong results across tasks, and the code is released for others to build upon."
) * 2


def test_daily_dangling_last_title(tmp_path: Path) -> None:
    path = write(tmp_path, "page.txt", f"Daily Papers\n\nFirst Title\n\n{LONG_ABSTRACT}\n\nDangling Title\n")
    items = list(read_file(path))
    assert [record.title for record in records(items)] == ["First Title"]
    assert errors(items) == [ReadError(str(path), 7, "title without abstract")]


def test_daily_resyncs_on_lines_of_the_wrong_kind(tmp_path: Path) -> None:
    content = "\n".join(
        [
            "new",
            "Sep 11, 2023",
            "A Title Whose Abstract Went Missing",  # 3: followed by another title
            "Second Title: Properly Paired",  # 4
            LONG_ABSTRACT,  # 5
            LONG_ABSTRACT,  # 6: abstract where a title is expected
            "Third Title",  # 7
            LONG_ABSTRACT,  # 8
        ]
    )
    path = write(tmp_path, "page.md", content)
    items = list(read_file(path))
    assert [(record.title, record.line) for record in records(items)] == [
        ("Second Title: Properly Paired", 4),
        ("Third Title", 7),
    ]
    assert errors(items) == [
        ReadError(str(path), 3, "title without abstract"),
        ReadError(str(path), 6, "abstract without title"),
    ]


def test_daily_keeps_lines_verbatim_but_drops_invisible_characters(tmp_path: Path) -> None:
    content = "Subscribe\n  Spaced\u200b Title \n\tTabbed\x07 abstract that stays verbatim.\n"
    found = records(read_file(write(tmp_path, "page.txt", content)))
    assert [(record.title, record.abstract) for record in found] == [
        ("  Spaced Title ", " Tabbed abstract that stays verbatim.")
    ]


def test_daily_crlf_line_endings(tmp_path: Path) -> None:
    path = write(tmp_path, "page.txt", b"Daily Papers\r\n\r\nA Title\r\n" + LONG_ABSTRACT.encode() + b"\r\n")
    assert [(r.title, r.abstract, r.line) for r in records(read_file(path))] == [("A Title", LONG_ABSTRACT, 3)]


# --- JSON Lines, JSON, CSV ----------------------------------------------------------------------


def test_jsonl_fields_and_bad_lines(tmp_path: Path) -> None:
    content = "\n".join(
        [
            '{"id": 7, "title": "Alpha", "abstract": "Alpha abstract.", "year": 2021, "authors": ["Ada Lovelace"]}',
            '{"title": "Beta", "abstract": "Beta',
            "[1, 2]",
            "",
            '{"Title": "Gamma", "ABSTRACT": "Gamma\\nabstract.", "Authors": "Grace Hopper and John von Neumann",'
            ' "Year": "published 2019", "DOI": "https://doi.org/10.1000/ABC.5", "arxiv_id": "arXiv:2101.00001v2",'
            ' "venue": "ICML", "url": "https://example.org/gamma"}',
            '{"title": "Delta", "abstract": "Delta abstract.", "year": "n/a",'
            ' "authors": "Lovelace, Ada; Turing, Alan"}',
            '{"title": "Epsilon"}',
            '{"abstract": "Zeta abstract."}',
        ]
    )
    path = write(tmp_path, "papers.jsonl", content)
    items = list(read_file(path))
    file = str(path)
    alpha, gamma, delta = records(items)
    assert alpha == Record("Alpha", "Alpha abstract.", file, 1, ("Ada Lovelace",), 2021, external_id="7")
    assert gamma == Record(
        "Gamma",
        "Gamma abstract.",
        file,
        5,
        ("Grace Hopper", "John von Neumann"),
        2019,
        venue="ICML",
        url="https://example.org/gamma",
        doi="10.1000/abc.5",
        arxiv_id="2101.00001",
    )
    assert (delta.line, delta.year, delta.authors) == (6, None, ("Ada Lovelace", "Alan Turing"))
    assert errors(items) == [
        ReadError(file, 2, "invalid JSON: unterminated string starting at (column 31)"),
        ReadError(file, 3, "record is not a JSON object"),
        ReadError(file, 7, "record has no abstract"),
        ReadError(file, 8, "record has no title"),
    ]


JSON_ARRAY = """[
  {
    "title": "First Paper",
    "abstract": "An abstract.",
    "authors": ["Ada Lovelace", "Turing, Alan"],
    "year": "2020"
  },
  {"title": "Second", "abstract": "Another abstract.", "year": 20201, "doi": "doi:10.1000/XYZ"},
  "not an object",
  {"title": "", "abstract": "No title."}
]
"""


def test_json_array_with_element_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "papers.json", JSON_ARRAY)
    items = list(read_file(path))
    first, second = records(items)
    assert (first.title, first.line, first.authors, first.year) == (
        "First Paper",
        2,
        ("Ada Lovelace", "Alan Turing"),
        2020,
    )
    assert (second.line, second.year, second.doi) == (8, None, "10.1000/xyz")
    assert errors(items) == [
        ReadError(str(path), 9, "record is not a JSON object"),
        ReadError(str(path), 10, "record has no title"),
    ]


def test_json_object_wrapping_papers(tmp_path: Path) -> None:
    content = (
        '{\n  "source": {"name": "export", "items": 2},\n  "papers": [\n'
        '    {"title": "T1", "abstract": "A1."},\n\n    {"title": "T2", "abstract": "A2."}\n  ]\n}\n'
    )
    found = records(read_file(write(tmp_path, "export.json", content)))
    assert [(record.title, record.line) for record in found] == [("T1", 4), ("T2", 6)]


def test_json_broken_array_keeps_earlier_elements(tmp_path: Path) -> None:
    content = '[\n  {"title": "Kept", "abstract": "Before the damage."},\n  {"title": "Lost", "abstract": }\n]\n'
    path = write(tmp_path, "broken.json", content)
    items = list(read_file(path))
    assert [record.title for record in records(items)] == ["Kept"]
    assert errors(items) == [ReadError(str(path), 3, "invalid JSON: expecting value")]


def test_csv_with_quoted_commas_and_newlines(tmp_path: Path) -> None:
    content = (
        "id,Title,Abstract,Authors,Year,Venue,DOI,arXiv_id\n"
        'p1,"Attention, Please: A Study","We show that attention, used well, helps.",'
        '"Ada Lovelace; Alan Turing",2021,NeurIPS,https://doi.org/10.5555/ABC.1,arXiv:2101.00001v3\n'
        'p2,Multi-line Abstract,"First line of the abstract,\nsecond line.",Grace Hopper and John Doe,circa 2019,,,\n'
        "\n"
        "p3,No Abstract Here,,,,,,\n"
        'p4,Bad Year,Short abstract.,"Jane Smith, John Doe",not a year,,,\n'
    )
    path = write(tmp_path, "papers.csv", content)
    items = list(read_file(path))
    file = str(path)
    p1, p2, p4 = records(items)
    assert p1 == Record(
        "Attention, Please: A Study",
        "We show that attention, used well, helps.",
        file,
        2,
        ("Ada Lovelace", "Alan Turing"),
        2021,
        venue="NeurIPS",
        doi="10.5555/abc.1",
        arxiv_id="2101.00001",
        external_id="p1",
    )
    assert (p2.line, p2.abstract, p2.authors, p2.year) == (
        3,
        "First line of the abstract, second line.",
        ("Grace Hopper", "John Doe"),
        2019,
    )
    assert (p4.line, p4.year, p4.authors) == (7, None, ("Jane Smith", "John Doe"))
    assert errors(items) == [ReadError(file, 6, "record has no abstract")]


def test_tsv(tmp_path: Path) -> None:
    content = "TITLE\tabstract\tyear\nCommas, Unquoted\tAn abstract, with commas.\t2022\n"
    found = records(read_file(write(tmp_path, "papers.tsv", content)))
    assert [(r.title, r.abstract, r.year, r.line) for r in found] == [
        ("Commas, Unquoted", "An abstract, with commas.", 2022, 2)
    ]


def test_csv_without_title_column(tmp_path: Path) -> None:
    path = write(tmp_path, "other.csv", "name,value\na,1\n")
    assert list(read_file(path)) == [ReadError(str(path), 1, "csv header has no title and abstract columns")]


# --- BibTeX -------------------------------------------------------------------------------------

BIBTEX = r"""% exported from a reference manager
@comment{jabref-meta: databaseType:bibtex;}
@string{cvpr = "CVPR"}

@inproceedings{chen2023hnerv,
  title     = {{HNeRV}: A Hybrid Neural
               Representation for Videos},
  author    = {Chen, Hao and Gwilliam, Matthew and Lim, Ser-Nam and Abhinav Shrivastava},
  booktitle = {Proceedings of the {IEEE/CVF} Conference on Computer Vision and Pattern Recognition},
  year      = 2023,
  doi       = {https://doi.org/10.1109/CVPR52729.2023.00990},
  url       = {https://arxiv.org/abs/2304.02633},
  eprint    = {2304.02633v1},
  archivePrefix = {arXiv},
  abstract  = {Implicit neural representations store videos as neural networks
               and have performed well {(NeRV, E-NeRV, etc.)}.}
}

@article{mueller2021,
  author = "M{\"u}ller, J{\"o}rg and Jos\'e Garc\'{\i}a and {Barnes and Noble}",
  title = "Sch{\"o}ne {N}etze f\"ur R\&D: 50\% weniger~Fehler",
  journal = {Journal of Machine Learning Research},
  year = {2021},
  doi = {10.5555/jmlr\_2021--7},
  url = {https://example.org/~mueller/nets},
  abstract = "We study \emph{nice} networks, with a\_b escaped.",
}

@misc{noabstract2020,
  title = {A Paper Without Abstract},
  year = {2020}
}

@article{broken2022,
  title = {Unbalanced {Braces,
  abstract = {This entry never closes.},

@article{after2022,
  title = {Recovered After Damage},
  author = {Doe, Jane},
  journal = {arXiv preprint arXiv:2201.00001},
  abstract = {Parsing resumes at the next entry.},
}
"""


def test_bibtex_entries(tmp_path: Path) -> None:
    path = write(tmp_path, "refs.bib", BIBTEX)
    items = list(read_file(path))
    file = str(path)
    chen, mueller, after = records(items)
    assert chen == Record(
        "HNeRV: A Hybrid Neural Representation for Videos",
        "Implicit neural representations store videos as neural networks and have performed well "
        "(NeRV, E-NeRV, etc.).",
        file,
        5,
        ("Hao Chen", "Matthew Gwilliam", "Ser-Nam Lim", "Abhinav Shrivastava"),
        2023,
        venue="Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition",
        url="https://arxiv.org/abs/2304.02633",
        doi="10.1109/cvpr52729.2023.00990",
        arxiv_id="2304.02633",
        external_id="chen2023hnerv",
    )
    assert mueller.title == "Schöne Netze für R&D: 50% weniger Fehler"
    assert mueller.authors == ("Jörg Müller", "José García", "Barnes and Noble")
    assert mueller.abstract == "We study nice networks, with a_b escaped."
    assert (mueller.line, mueller.year, mueller.venue) == (19, 2021, "Journal of Machine Learning Research")
    assert (mueller.doi, mueller.url) == ("10.5555/jmlr_2021--7", "https://example.org/~mueller/nets")
    assert (after.title, after.line, after.authors, after.arxiv_id) == (
        "Recovered After Damage",
        38,
        ("Jane Doe",),
        "2201.00001",
    )
    assert errors(items) == [
        ReadError(file, 29, "entry noabstract2020 has no abstract"),
        ReadError(
            file,
            34,
            "malformed entry: unexpected block start: `@article`. Was still looking for field-value closing `}`",
        ),
    ]


def test_bibtex_parenthesised_entry_and_concatenation(tmp_path: Path) -> None:
    content = '@article(key1,\n  title = "Part One" # { and Two},\n  abstract = {Joined.})\n'
    found = records(read_file(write(tmp_path, "refs.bib", content)))
    assert [(r.title, r.external_id) for r in found] == [("Part One and Two", "key1")]


RIS = """TY  - JOUR
TI  - HNeRV: A Hybrid Neural Representation for Videos
AU  - Chen, Hao
AU  - Gwilliam, Matthew
A2  - Editor, Not An
PY  - 2023///
T2  - Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition
AB  - Implicit neural representations store videos as neural networks
  and have performed well for various vision tasks.
DO  - https://doi.org/10.1109/CVPR52729.2023.00990
UR  - https://arxiv.org/abs/2304.02633
ID  - chen2023hnerv
ER  - 

TY  - ELEC
T1  - Müller's Second Paper
A1  - Müller, Jörg
Y1  - 2021/05/03
JO  - Journal of Machine Learning Research
N2  - An abstract under N2, as Mendeley writes it.
N1  - arXiv:2105.00001 [cs.LG]
ER  -
TY  - BOOK
TI  - A Book Without Abstract
PY  - 2020
ER  - 
TY  - RPRT
TI  - Cut Off Before Its End
AB  - The file ends inside this record.
"""


def test_ris_records_fields_and_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "zotero.ris", RIS)
    items = list(read_file(path))
    file = str(path)
    hnerv, mueller = records(items)
    assert hnerv == Record(
        "HNeRV: A Hybrid Neural Representation for Videos",
        "Implicit neural representations store videos as neural networks and have performed well for various "
        "vision tasks.",
        file,
        1,
        ("Hao Chen", "Matthew Gwilliam"),
        2023,
        venue="Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition",
        url="https://arxiv.org/abs/2304.02633",
        doi="10.1109/cvpr52729.2023.00990",
        arxiv_id="2304.02633",
        external_id="chen2023hnerv",
    )
    assert (mueller.title, mueller.abstract, mueller.line) == (
        "Müller's Second Paper", "An abstract under N2, as Mendeley writes it.", 15
    )
    assert (mueller.authors, mueller.year, mueller.venue, mueller.arxiv_id) == (
        ("Jörg Müller",), 2021, "Journal of Machine Learning Research", "2105.00001"
    )
    assert errors(items) == [
        ReadError(file, 23, "record has no abstract"),
        ReadError(file, 27, "record has no end (ER) line"),
    ]


def test_ris_detected_by_content_and_undecodable_lines_cost_their_record(tmp_path: Path) -> None:
    endnote = write(tmp_path, "export.txt", "\n1.\nTY  - JOUR\nTI  - Saved As Text\nAB  - By EndNote.\nER  - \n")
    assert detect_format(endnote) == "ris"
    assert [(r.title, r.line) for r in records(read_file(endnote))] == [("Saved As Text", 3)]
    broken = write(tmp_path, "refs", RIS.encode().replace(b"Gwilliam", b"Gw\xefl"))
    assert detect_format(broken) == "ris"
    items = list(read_file(broken))
    assert [r.title for r in records(items)] == ["Müller's Second Paper"]
    assert errors(items)[0] == ReadError(str(broken), 4, "not valid UTF-8 (byte 0xef at column 9)")
    page = write(tmp_path, "notes.ris", "Not a reference file at all.\n")
    assert list(read_file(page)) == [
        ReadError(str(page), None, "no RIS record (a record starts with a `TY  - ` line)")
    ]


CSL_JSON = """[
  {
    "id": "chen2023hnerv",
    "type": "paper-conference",
    "title": "HNeRV: A Hybrid Neural Representation for Videos",
    "author": [{"family": "Chen", "given": "Hao"}, {"family": "Beethoven", "given": "Ludwig",
                "non-dropping-particle": "van"}, {"literal": "Barnes, Noble and Co"}],
    "issued": {"date-parts": [[2023, 4, 5]]},
    "container-title": "CVPR",
    "abstract": "Implicit neural representations store videos as neural networks.",
    "DOI": "10.1109/CVPR52729.2023.00990",
    "URL": "https://example.org/hnerv"
  },
  {"id": "http://zotero.org/users/1/items/ABCD", "type": "article", "title": "A Preprint",
   "abstract": "Its arXiv id is only in number.", "number": "arXiv:2304.02633", "issued": {"raw": "2023-04"}},
  {"id": "noabstract", "type": "book", "title": "No Abstract"}
]
"""


def test_csl_json_items(tmp_path: Path) -> None:
    path = write(tmp_path, "zotero.json", CSL_JSON)
    assert detect_format(path) == "csljson"
    items = list(read_file(path))
    hnerv, preprint = records(items)
    assert hnerv == Record(
        "HNeRV: A Hybrid Neural Representation for Videos",
        "Implicit neural representations store videos as neural networks.",
        str(path),
        2,
        ("Hao Chen", "Ludwig van Beethoven", "Barnes, Noble and Co"),
        2023,
        venue="CVPR",
        url="https://example.org/hnerv",
        doi="10.1109/cvpr52729.2023.00990",
        external_id="chen2023hnerv",
    )
    assert (preprint.arxiv_id, preprint.year, preprint.line) == ("2304.02633", 2023, 14)
    assert preprint.external_id == "http://zotero.org/users/1/items/ABCD"  # not a usable key: one is assigned
    assert errors(items) == [ReadError(str(path), 16, "record has no abstract")]
    plain = write(tmp_path, "list.json", '[{"title": "T", "abstract": "A.", "type": "preprint-ish"}]')
    assert detect_format(plain) == "json"


def test_bibtex_macros_duplicates_and_names(tmp_path: Path) -> None:
    content = r"""@string{conf = "Proceedings of "}
@STRING{cvpr = conf # {CVPR}}
@inproceedings{dup, title = {First}, booktitle = cvpr # " 2023", abstract = {One.},
  author = {van Beethoven, Ludwig and M{\"u}ller, Jr., Jos{\'e} and {\relax Barnes and Noble}}}
@article{dup, title = {Second}, title = {Ignored}, abstract = {Two: 5% better, R&D.}, year = {2020}}
"""
    first, second = records(read_file(write(tmp_path, "refs.bib", content)))
    assert (first.title, first.venue, first.line) == ("First", "Proceedings of CVPR 2023", 3)
    assert first.authors == ("Ludwig van Beethoven", "José Müller Jr.", "Barnes and Noble")
    assert (second.title, second.abstract, second.external_id, second.line) == (
        "Second", "Two: 5% better, R&D.", "dup", 5
    )


# --- arXiv Atom and snapshot --------------------------------------------------------------------

ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?search_query%3Dall%3Ahnerv" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=all:hnerv&amp;start=0&amp;max_results=2</title>
  <id>http://arxiv.org/api/cHxbiOdZaP56ODnBPIenZhzg5f8</id>
  <updated>2023-04-06T00:00:00-04:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">2</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/abs/2304.02633v1</id>
    <updated>2023-04-05T17:55:15Z</updated>
    <published>2023-04-05T17:55:15Z</published>
    <title>HNeRV: A Hybrid Neural Representation for
  Videos</title>
    <summary>  Implicit neural representations store videos as neural networks and have
performed well for various vision tasks such as video compression and
denoising.
</summary>
    <author>
      <name>Hao Chen</name>
    </author>
    <author>
      <name>Matt Gwilliam</name>
    </author>
    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">CVPR 2023</arxiv:comment>
    <link href="http://arxiv.org/abs/2304.02633v1" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/2304.02633v1" rel="related" type="application/pdf"/>
    <category term="cs.CV" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/hep-th/9901001v2</id>
    <updated>1999-01-05T10:00:00Z</updated>
    <published>1999-01-04T10:00:00Z</published>
    <title>An Old-Style Identifier</title>
    <summary>A theory paper &amp; its abstract.</summary>
    <author><name>J. Doe</name></author>
    <arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">10.1016/S0550-3213(99)00001-X</arxiv:doi>
    <arxiv:journal_ref xmlns:arxiv="http://arxiv.org/schemas/atom">Nucl.Phys. B550 (1999) 1</arxiv:journal_ref>
    <link href="http://arxiv.org/abs/hep-th/9901001v2" rel="alternate" type="text/html"/>
  </entry>
</feed>
"""


def test_atom_feed(tmp_path: Path) -> None:
    path = write(tmp_path, "query.xml", ATOM)
    items = list(read_file(path))
    assert errors(items) == []
    hnerv, old = records(items)
    assert hnerv == Record(
        "HNeRV: A Hybrid Neural Representation for Videos",
        "Implicit neural representations store videos as neural networks and have performed well for "
        "various vision tasks such as video compression and denoising.",
        str(path),
        8,
        ("Hao Chen", "Matt Gwilliam"),
        2023,
        url="http://arxiv.org/abs/2304.02633v1",
        arxiv_id="2304.02633",
    )
    assert (old.line, old.arxiv_id, old.year, old.abstract) == (
        29,
        "hep-th/9901001",
        1999,
        "A theory paper & its abstract.",
    )
    assert (old.doi, old.venue) == ("10.1016/s0550-3213(99)00001-x", "Nucl.Phys. B550 (1999) 1")


def test_atom_malformed_xml_is_one_error(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.atom", ATOM.replace("</author>\n    <arxiv:comment", "\n    <arxiv:comment"))
    items = list(read_file(path))
    assert len(items) == 1
    assert isinstance(items[0], ReadError)
    assert items[0].line == 28  # the </entry> that does not close the open <author>
    assert items[0].reason.startswith("malformed XML: ")


def test_atom_refuses_entity_declarations(tmp_path: Path) -> None:
    content = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"/>\n'
    )
    path = write(tmp_path, "bomb.xml", content)
    assert list(read_file(path)) == [ReadError(str(path), 2, "xml with doctype or entity declarations refused")]


def test_atom_api_error_entry(tmp_path: Path) -> None:
    content = (
        '<feed xmlns="http://www.w3.org/2005/Atom">\n<entry>\n'
        "<id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id>\n<title>Error</title>\n"
        "<summary>incorrect id format for 1234</summary>\n</entry>\n</feed>\n"
    )
    path = write(tmp_path, "api.xml", content)
    assert list(read_file(path)) == [ReadError(str(path), 2, "arxiv api error: incorrect id format for 1234")]


SNAPSHOT = [
    {
        "id": "0704.0001",
        "submitter": "Pavel Nadolsky",
        "authors": "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",
        "title": "Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies",
        "comments": "37 pages, 15 figures; published version",
        "journal-ref": "Phys.Rev.D76:013009,2007",
        "doi": "10.1103/PhysRevD.76.013009",
        "categories": "hep-ph",
        "license": None,
        "abstract": "  A fully differential calculation in perturbative quantum chromodynamics is\n"
        "presented for the production of massive photon pairs at hadron colliders.\n",
        "versions": [
            {"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"},
            {"version": "v2", "created": "Tue, 24 Jul 2007 20:10:27 GMT"},
        ],
        "update_date": "2008-11-13",
        "authors_parsed": [["Bal\\'azs", "C.", ""], ["Berger", "E. L.", ""], ["Yuan", "C. -P.", "Jr"]],
    },
    {
        "id": "hep-th/9901001",
        "submitter": "J. Doe",
        "authors": "J. Doe and R. Roe",
        "title": "Old Style",
        "abstract": "  An old abstract.\n",
        "update_date": "1999-01-05",
    },
]


def test_arxiv_snapshot_lines(tmp_path: Path) -> None:
    content = "\n".join(json.dumps(row) for row in SNAPSHOT) + '\n{"id": "0704.0002", "title": "No abstract"}\n'
    path = write(tmp_path, "arxiv-metadata-oai-snapshot.json", content)
    assert detect_format(path) == "arxiv-jsonl"
    items = list(read_file(path))
    new, old = records(items)
    assert new == Record(
        "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies",
        "A fully differential calculation in perturbative quantum chromodynamics is presented for the "
        "production of massive photon pairs at hadron colliders.",
        str(path),
        1,
        ("C. Balázs", "E. L. Berger", "C. -P. Yuan Jr"),
        2007,
        venue="Phys.Rev.D76:013009,2007",
        url="https://arxiv.org/abs/0704.0001",
        doi="10.1103/physrevd.76.013009",
        arxiv_id="0704.0001",
    )
    assert (old.arxiv_id, old.authors, old.year, old.url) == (
        "hep-th/9901001",
        ("J. Doe", "R. Roe"),
        1999,
        "https://arxiv.org/abs/hep-th/9901001",
    )
    assert errors(items) == [ReadError(str(path), 3, "record has no abstract")]


# --- detection and format choice ----------------------------------------------------------------

DETECTION_CASES = [
    ("page.txt", "Daily Papers\nA Title\n" + LONG_ABSTRACT + "\n", "daily"),
    ("page", "A Title\n" + LONG_ABSTRACT + "\n", "daily"),
    ("papers.jsonl", '{"title": "T", "abstract": "A."}\n', "jsonl"),
    ("papers.ndjson", '{"title": "T", "abstract": "A."}\n', "jsonl"),
    ("papers.json", '{"title": "T", "abstract": "A."}\n{"title": "U", "abstract": "B."}\n', "jsonl"),
    ("papers", '{"title": "T", "abstract": "A."}\n', "jsonl"),
    ("papers.json", JSON_ARRAY, "json"),
    ("papers", JSON_ARRAY, "json"),
    ("pretty.json", '{\n  "papers": [\n    {"title": "T", "abstract": "A."}\n  ]\n}\n', "json"),
    ("wrapped", '{"items": [{"title": "T", "abstract": "A."}]}', "json"),
    ("papers.csv", "title,abstract\nT,A\n", "csv"),
    ("papers.tsv", "title\tabstract\nT\tA\n", "csv"),
    ("export", "title,abstract\nT,A\n", "csv"),
    ("refs.bib", BIBTEX, "bibtex"),
    ("refs", BIBTEX, "bibtex"),
    ("refs.ris", RIS, "ris"),
    ("refs", RIS, "ris"),
    ("endnote.txt", RIS, "ris"),
    ("zotero.json", CSL_JSON, "csljson"),
    ("zotero", CSL_JSON, "csljson"),
    ("query.xml", ATOM, "atom"),
    ("query.atom", ATOM, "atom"),
    ("query", ATOM, "atom"),
    ("feed", ATOM.partition("\n")[2], "atom"),
    ("snapshot.jsonl", json.dumps(SNAPSHOT[0]) + "\n", "arxiv-jsonl"),
    ("snapshot", json.dumps(SNAPSHOT[1]) + "\n", "arxiv-jsonl"),
]


@pytest.mark.parametrize(("name", "content", "expected"), DETECTION_CASES)
def test_detect_format(tmp_path: Path, name: str, content: str, expected: str) -> None:
    path = write(tmp_path, name, content)
    assert detect_format(path) == expected
    assert records(read_file(path)), f"{name} detected as {expected} but yielded no records"


def test_detect_format_of_binary_or_missing_file_is_none(tmp_path: Path) -> None:
    assert detect_format(write(tmp_path, "blob", b"\x00\x01\x02")) is None
    assert detect_format(tmp_path / "missing.txt") is None


def test_fmt_forces_the_format(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.txt", '{"title": "Forced", "abstract": "Read as JSON lines."}\n')
    assert records(read_file(path)) == []
    assert [record.title for record in records(read_file(path, fmt="jsonl"))] == ["Forced"]
    assert [record.title for record in records(read_paths([tmp_path], fmt="jsonl"))] == ["Forced"]


def test_unknown_fmt_raises_eagerly(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "x\n")
    with pytest.raises(ValueError, match="arxiv-jsonl"):
        read_file(path, fmt="yaml")
    with pytest.raises(ValueError, match="daily"):
        read_paths([path], fmt="yaml")


def test_formats_constant() -> None:
    assert FORMATS == ("daily", "jsonl", "json", "csv", "bibtex", "atom", "arxiv-jsonl", "ris", "csljson")


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\n\t \r\n"], ids=["empty", "whitespace"])
@pytest.mark.parametrize(
    "name", ["page.txt", "papers.jsonl", "papers.json", "refs.bib", "feed.xml", "t.csv", "refs.ris"]
)
def test_empty_file(tmp_path: Path, name: str, content: bytes) -> None:
    path = write(tmp_path, name, content)
    assert list(read_file(path)) == [ReadError(str(path), None, "empty file")]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("nul.txt", b"Title\n\x00\x00\x00binary"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("paper.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        ("bundle.zip", b"PK\x03\x04\x14\x00\x06\x00"),
        ("disguised.jsonl", b"PK\x03\x04 not really json"),
    ],
)
def test_binary_file(tmp_path: Path, name: str, content: bytes) -> None:
    path = write(tmp_path, name, content)
    assert list(read_file(path)) == [ReadError(str(path), None, "binary file, not text")]
    assert list(read_file(path, fmt="daily")) == [ReadError(str(path), None, "binary file, not text")]


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    assert list(read_paths([missing])) == [ReadError(str(missing), None, "no such file or directory")]
    assert list(read_file(missing)) == [ReadError(str(missing), None, "no such file or directory")]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be"])
def test_bom_encodings(tmp_path: Path, encoding: str) -> None:
    daily = "Daily Papers\nÜber Titles\n" + LONG_ABSTRACT + "\nSecond\n" + LONG_ABSTRACT + "\n"
    bom = b"\xfe\xff" if encoding == "utf-16-be" else b""
    page = write(tmp_path, "page.txt", bom + daily.encode(encoding))
    assert [(r.title, r.line) for r in records(read_file(page))] == [("Über Titles", 2), ("Second", 4)]
    table = write(tmp_path, "papers.csv", bom + "title,abstract\nÉté,Résumé.\n".encode(encoding))
    assert [(r.title, r.abstract) for r in records(read_file(table))] == [("Été", "Résumé.")]
    lines = write(tmp_path, "papers", bom + '{"title": "T", "abstract": "A."}\n'.encode(encoding))
    assert detect_format(lines) == "jsonl"


def test_latin1_daily_lines_become_errors_and_the_rest_is_read(tmp_path: Path) -> None:
    content = (
        "Daily Papers\n\nGood Title\n\n" + LONG_ABSTRACT + "\n\n"
    ).encode() + b"Caf\xe9 Title\n\n" + LONG_ABSTRACT.encode() + b"\n\nLast Title\n\n" + LONG_ABSTRACT.encode()
    path = write(tmp_path, "page.txt", content)
    items = list(read_file(path))
    assert [record.title for record in records(items)] == ["Good Title", "Last Title"]
    assert errors(items) == [ReadError(str(path), 7, "not valid UTF-8 (byte 0xe9 at column 4)")]


def test_cp1252_in_line_and_document_formats(tmp_path: Path) -> None:
    jsonl = write(
        tmp_path,
        "papers.jsonl",
        b'{"title": "Ok", "abstract": "Fine."}\n{"title": "\x93Quoted\x94", "abstract": "Bad."}\n'
        b'{"title": "Ok too", "abstract": "Fine."}\n',
    )
    items = list(read_file(jsonl))
    assert [r.title for r in records(items)] == ["Ok", "Ok too"]
    assert errors(items) == [ReadError(str(jsonl), 2, "not valid UTF-8 (byte 0x93 at column 12)")]
    table = write(tmp_path, "papers.csv", b'title,abstract\nOk,"Two\nlines, one bad \xe9"\nFine,Row.\n')
    items = list(read_file(table))
    assert [r.title for r in records(items)] == ["Fine"]
    assert errors(items) == [ReadError(str(table), 3, "not valid UTF-8 (byte 0xe9 at column 16)")]
    bib = write(tmp_path, "refs.bib", BIBTEX.encode().replace(b"Gwilliam", b"Gw\xefl"))
    items = list(read_file(bib))
    assert [r.external_id for r in records(items)] == ["mueller2021", "after2022"]
    assert errors(items)[0] == ReadError(str(bib), 8, "not valid UTF-8 (byte 0xef at column 32)")


def test_mixed_folder(tmp_path: Path) -> None:
    write(tmp_path, "a_refs.bib", BIBTEX)
    write(tmp_path, "b_papers.jsonl", '{"title": "J", "abstract": "Jsonl."}\nnot json\n')
    write(tmp_path, "c_table.csv", "title,abstract\nC,Csv.\n")
    write(tmp_path, "d_feed.xml", ATOM)
    write(tmp_path, "e_empty.txt", "")
    write(tmp_path, "f_logo.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    write(tmp_path, ".hidden.jsonl", '{"title": "Hidden", "abstract": "Skipped."}\n')
    write(tmp_path, ".git/config.json", '[{"title": "Hidden", "abstract": "Skipped."}]')
    write(tmp_path, "sub/g_page.txt", "Daily Papers\nNested Title\n" + LONG_ABSTRACT + "\n")
    write(tmp_path, "sub/h_snapshot.json", json.dumps(SNAPSHOT[1]) + "\n")
    items = list(read_paths([tmp_path]))
    by_file: dict[str, list[str]] = {}
    for item in items:
        name = Path(item.file).relative_to(tmp_path).as_posix()
        by_file.setdefault(name, []).append(item.title if isinstance(item, Record) else f"! {item.reason}")
    assert list(by_file) == [
        "a_refs.bib",
        "b_papers.jsonl",
        "c_table.csv",
        "d_feed.xml",
        "e_empty.txt",
        "f_logo.png",
        "sub/g_page.txt",
        "sub/h_snapshot.json",
    ]
    assert len(by_file["a_refs.bib"]) == 5
    assert by_file["b_papers.jsonl"] == ["J", "! invalid JSON: expecting value (column 1)"]
    assert by_file["c_table.csv"] == ["C"]
    assert len(by_file["d_feed.xml"]) == 2
    assert by_file["e_empty.txt"] == ["! empty file"]
    assert by_file["f_logo.png"] == ["! binary file, not text"]
    assert by_file["sub/g_page.txt"] == ["Nested Title"]
    assert by_file["sub/h_snapshot.json"] == ["Old Style"]


def _first_item_peak(path: Path) -> int:
    """Bytes allocated at peak while producing the first item: tiny if the reader streams."""
    tracemalloc.start()
    try:
        next(iter(read_file(path)))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_large_jsonl_is_streamed(tmp_path: Path) -> None:
    line = json.dumps({"title": "Paper", "abstract": "word " * 200, "year": 2020}) + "\n"
    count = 20_000_000 // len(line)
    path = write(tmp_path, "big.jsonl", line * count)
    assert _first_item_peak(path) < 1_000_000
    assert sum(isinstance(item, Record) for item in read_file(path)) == count


@pytest.mark.parametrize(
    ("name", "row"),
    [
        ("big.txt", "A Title\n" + LONG_ABSTRACT + "\n"),
        ("big.csv", f'title,abstract\n"A Title","{LONG_ABSTRACT}"\n'),
        ("big_snapshot.jsonl", json.dumps(SNAPSHOT[0]) + "\n"),
    ],
)
def test_line_formats_stream(tmp_path: Path, name: str, row: str) -> None:
    header, _, body = row.partition("\n") if name.endswith(".csv") else ("", "", row)
    path = write(tmp_path, name, (header + "\n" if header else "") + body * (5_000_000 // len(body)))
    assert _first_item_peak(path) < 1_000_000


def test_folder_walk_honours_surveyorignore(tmp_path: Path) -> None:
    (tmp_path / "papers.jsonl").write_text('{"title": "Kept Paper", "abstract": "It is kept."}\n')
    (tmp_path / "questions.jsonl").write_text('{"q": "not a paper"}\n')
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "notes.txt").write_text("Not a paper\n")
    (tmp_path / ".surveyorignore").write_text("# evaluation files\nquestions.jsonl\ndraft*\n")
    items = list(read_paths([tmp_path]))
    assert [i.title for i in items if isinstance(i, Record)] == ["Kept Paper"] and len(items) == 1
    named = list(read_paths([tmp_path / "questions.jsonl"]))  # a file named explicitly is always read
    assert len(named) == 1 and isinstance(named[0], ReadError)
