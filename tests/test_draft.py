"""Related-work drafts on the fixture corpora: themes, verified citations, templates that compile."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import bibtexparser
import numpy as np
import pytest
from conftest import CORPORA, write_jsonl
from scripted_llm import Reply, ScriptedLLM, scripted_llm
from typer.testing import CliRunner

from surveyor import Settings, Surveyor, SurveyorError
from surveyor.cli import app
from surveyor.draft.render import TEMPLATES_DIR, Renderer, latex_escape
from surveyor.draft.themes import OTHER
from surveyor.draft.write import ANONYMOUS
from surveyor.evaluate import on_topic_share, read_topics
from surveyor.records import Draft
from surveyor.text.phrases import holds, is_dangling, is_generic, phrase_key
from surveyor.text.sentences import split_sentences
from surveyor.text.tokens import tokenize

TOPICS = [
    "diffusion model acceleration",
    "federated learning with non-IID clients",
    "graph neural networks",
    "distributed training of large models",
    "representation learning and embeddings",
]


@pytest.fixture(scope="module")
def drafts(corpus: Surveyor) -> dict[str, Draft]:
    return {topic: corpus.draft(topic) for topic in TOPICS}


@pytest.mark.parametrize("topic", TOPICS)
def test_every_citation_resolves_and_is_verified(corpus: Surveyor, drafts: dict[str, Draft], topic: str) -> None:
    draft = drafts[topic]
    assert draft.sections and draft.references
    stored = {p.paper_id for p in corpus.papers()}
    pool = set(draft.retrieved)
    for n, paper in enumerate(draft.references, 1):
        assert paper.paper_id in stored and paper.paper_id in pool
    first_use: list[int] = []
    for section in draft.sections:
        for paragraph in section.paragraphs:
            numbers = [int(n) for n in re.findall(r"\[(\d+)\]", paragraph.text)]
            assert all(1 <= n <= len(draft.references) for n in numbers)
            assert paragraph.citations == list(dict.fromkeys(draft.references[n - 1].paper_id for n in numbers))
            first_use += [n for n in dict.fromkeys(numbers) if n not in first_use]
    assert first_use == list(range(1, len(draft.references) + 1))


@pytest.mark.parametrize("topic", TOPICS)
def test_themes_are_cohesive_and_cited(corpus: Surveyor, drafts: dict[str, Draft], topic: str) -> None:
    draft = drafts[topic]
    for section in draft.sections:
        cited = {pid for p in section.paragraphs for pid in p.citations}
        assert len(cited) >= 2 or len(draft.references) < 2 or section.title == OTHER, section.title
    themes = [[pid for p in s.paragraphs for pid in p.citations] for s in draft.sections]
    themes = [t for t in themes if t]
    if len(themes) < 2:
        return
    vectors = corpus.drafter().paper_vectors([pid for t in themes for pid in t])
    index = {pid: i for i, pid in enumerate(pid for t in themes for pid in t)}
    intra = [float(vectors[index[a]] @ vectors[index[b]]) for t in themes for a, b in combinations(t, 2)]
    inter = [float(vectors[index[a]] @ vectors[index[b]]) for s, t in combinations(themes, 2) for a in s for b in t]
    assert np.mean(intra) > np.mean(inter)


@pytest.mark.parametrize("topic", TOPICS)
def test_themes_are_named_for_a_phrase_their_papers_share(
    corpus: Surveyor, drafts: dict[str, Draft], topic: str
) -> None:
    papers = {p.paper_id: p for p in corpus.papers()}
    titles = [s.title for s in drafts[topic].sections]
    assert len(set(titles)) == len(titles)
    assert sum(set(phrase_key(topic)) <= set(phrase_key(t)) for t in titles) <= 1  # one theme may be the core
    for section in drafts[topic].sections:
        if section.title.startswith(OTHER):
            continue
        assert not is_dangling(section.title) and not is_generic(section.title), section.title
        assert " and " not in section.title or section.title.lower() == topic.lower()
        key = phrase_key(section.title)
        cited = {pid for p in section.paragraphs for pid in p.citations}
        holding = [pid for pid in cited if holds(tokenize(f"{papers[pid].title} {papers[pid].abstract}"), key)]
        assert len(holding) >= min(2, len(cited)), (section.title, [papers[pid].title for pid in cited])


def test_a_paper_that_shares_neither_the_name_nor_the_neighbourhood_is_moved_out() -> None:
    from surveyor.draft.themes import refine
    from surveyor.records import Paper

    caching = [Paper(f"c{i}", f"c{i}", f"Feature Caching for {target}",
                     f"We propose feature caching for {target}, reusing features across denoising steps.")
               for i, target in enumerate(["Video Synthesis", "Diffusion Transformers", "U-Nets", "Image Editing"])]
    stray = Paper("s", "s", "Protein Folding with Equivariant Networks", "We predict protein structures.")
    vectors = np.array([[1.0, 0.0], [0.99, 0.14], [0.98, -0.2], [0.97, 0.24], [0.0, 1.0]])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    groups, names, strays = refine([[0, 1, 2, 3, 4]], [], [*caching, stray], vectors)
    assert names == ["Feature Caching"] and groups == [[0, 1, 2, 3]] and strays == [4]


SHARED = re.compile(r"^(?:All|Most|Some) of the work below is about (.+?) ((?:\[\d+\])+)\.$|"
                    r"^(.+?) is what (?:all|most|some) of the work below is about ((?:\[\d+\])+)\.$")


def test_extractive_prose_is_third_person_and_grouped(drafts: dict[str, Draft]) -> None:
    draft = drafts["diffusion model acceleration"]
    text = " ".join(p.text for s in draft.sections for p in s.paragraphs)
    assert not re.search(r"(^|[.!?] )We ", text)
    assert re.search(r"[A-Z][\w-]+ \[\d+\] (proposes|introduces|presents)", text)
    # papers are named by the system's name, which is said once ('CacheQuant [n] is a ...')
    assert re.search(r"CacheQuant \[\d+\] is a novel training-free paradigm", text)
    assert "proposes CacheQuant" not in text
    for section in draft.sections:  # a topic sentence first: what the theme shares (cited), or an uncited one
        first = split_sentences(section.paragraphs[0].text)[0]
        assert SHARED.match(first) or "[" not in first, first


@pytest.mark.parametrize("topic", TOPICS)
def test_the_same_study_is_one_the_paragraph_already_cited(drafts: dict[str, Draft], topic: str) -> None:
    anonymous = 0
    for section in drafts[topic].sections:
        for paragraph in section.paragraphs:
            for match in re.finditer(r"The same study \[(\d+)\]", paragraph.text):
                assert f"[{match.group(1)}]" in paragraph.text[: match.start()], paragraph.text
            anonymous += len(re.findall(r"\b(?:One|Another|A further|A related) study \[", paragraph.text))
    assert anonymous, "no paper of these drafts is referred to anonymously: the rule above checks nothing"


@pytest.mark.parametrize("topic", TOPICS)
def test_never_three_anonymous_references_in_a_row(drafts: dict[str, Draft], topic: str) -> None:
    for section in drafts[topic].sections:
        for paragraph in section.paragraphs:
            run = 0
            for sentence in split_sentences(paragraph.text):
                run = run + 1 if sentence.startswith(ANONYMOUS) else 0
                assert run < 3, paragraph.text
    text = " ".join(p.text for s in drafts[topic].sections for p in s.paragraphs)
    assert len(re.findall(r"\bOther work \[", text)) <= 1


def test_each_theme_says_what_its_papers_share_in_a_sentence_that_verifies(
    corpus: Surveyor, drafts: dict[str, Draft]
) -> None:
    papers = {p.paper_id: p for p in corpus.papers()}
    themes = shared = 0
    for draft in drafts.values():
        for section in draft.sections:
            if section.title.startswith(OTHER):
                continue
            themes += 1
            first = split_sentences(section.paragraphs[0].text)[0]
            match = SHARED.match(first)
            if not match:
                continue
            shared += 1
            phrase = match.group(1) or match.group(3)
            numbers = [int(n) for n in re.findall(r"\d+", match.group(2) or match.group(4))]
            assert len(numbers) >= 2 and phrase.lower() == section.title.lower(), first  # kept by the verifier
            for n in numbers:  # each cited paper says it in its own words
                paper = papers[draft.references[n - 1].paper_id]
                assert holds(tokenize(paper.abstract), phrase_key(phrase)), (first, paper.title)
    assert shared >= 0.6 * themes, (shared, themes)


BREAK_MISS = re.compile(r"below a break in relevance \(([\d.]+) to ([\d.]+)\)$")
FLOOR_MISS = re.compile(r"below the relevance floor \((\d\.\d+) < (\d\.\d+)\)")


def test_pool_is_the_papers_over_the_floor_and_reports_the_near_misses(corpus: Surveyor, tmp_path: Path) -> None:
    draft = corpus.draft("accelerating diffusion model inference", dump_dir=tmp_path)
    pool = json.loads((tmp_path / "pool.json").read_text())
    coverage = json.loads(Renderer().render(draft, "json"))["coverage"]
    floor = pool["floor"]
    assert coverage["floor"] == floor > 0 and all(entry["score"] >= floor for entry in pool["papers"])
    # the topic, not the top 40: far fewer papers than the cap, out of many more candidates
    assert coverage["relevant"] == coverage["retrieved"] == len(draft.retrieved) < 30 < coverage["candidates"]
    misses = coverage["near_misses"]
    assert misses and {"paper_id", "key", "title", "score", "reason"} <= misses[0].keys()
    # Left out below the floor, or below a sharp drop in relevance above it: each says which, with the numbers.
    below = [m for m in misses if FLOOR_MISS.match(m["reason"])]
    broken = [(m, BREAK_MISS.match(m["reason"])) for m in misses if BREAK_MISS.match(m["reason"])]
    assert below or broken
    assert all(m["score"] < floor and float(FLOOR_MISS.match(m["reason"]).group(2)) == round(floor, 3)
               for m in below)
    lowest = min(entry["score"] for entry in pool["papers"])
    assert all(float(b.group(1)) == round(lowest, 3) and float(b.group(2)) == round(m["score"], 3) >= floor
               for m, b in broken)
    assert not {m["paper_id"] for m in misses} & set(draft.retrieved)
    titles = {p.title for p in corpus.papers() if p.paper_id in draft.retrieved}
    assert not any(t.startswith(("ControlMat", "Score Jacobian Chaining", "Unifying Diffusion Models' Latent"))
                   for t in titles)


def test_max_papers_is_a_cap_and_what_it_cuts_is_reported(corpus: Surveyor) -> None:
    draft = corpus.draft("accelerating diffusion model inference", max_papers=3)
    coverage = draft.coverage()
    assert len(draft.retrieved) == 3 < coverage["relevant"]
    beyond = [m for m in coverage["near_misses"] if m["reason"] == "beyond --max-papers (3)"]
    assert len(beyond) == min(10, coverage["relevant"] - 3)
    assert draft.pool is not None and all(m.score >= (draft.pool.floor or 0) for m in draft.pool.near_misses[:len(beyond)])


def test_a_narrow_topic_cites_its_few_papers(corpus: Surveyor) -> None:
    draft = corpus.draft("speaker verification")
    keys = {p.key for p in draft.references}
    assert {"ecapatdnn", "efficienttdnn"} <= keys and len(keys) <= 3


def test_a_topic_few_passages_match_is_still_told_from_its_field(corpus: Surveyor) -> None:
    """Eleven papers clear the search's own floor for this topic: too few to show the field's background
    level, so all were kept, distribution-shift papers too. The pool looks below the floor instead."""
    assert len(corpus.search("scoring test inputs as out-of-distribution (OOD detectors)", 120)) < 20
    draft = corpus.draft("scoring test inputs as out-of-distribution (OOD detectors)")
    coverage = draft.coverage()
    keys = {p.key for p in draft.references}
    assert coverage["candidates"] >= 20 and {"metaood", "adascale", "flowcon"} <= keys, coverage
    assert not keys & {"featureshiftdetection", "modelweight"}, keys


def test_drafts_stay_on_the_topics_angle(corpus: Surveyor) -> None:
    """`corpora/topics.txt` defines each topic's angle by a rule; before the pool was chosen by relevance the
    share of cited papers on it was 0.35 to 0.75 (mean 0.59); now 0.81 to 1.00 (mean 0.93)."""
    shares = {}
    for topic in read_topics(CORPORA / "topics.txt"):
        assert topic.on_topic is not None
        shares[topic.topic] = on_topic_share(corpus.draft(topic.topic).references, topic.on_topic)
    assert all(share is not None and share >= 0.75 for share in shares.values()), shares
    assert sum(shares.values()) / len(shares) >= 0.85, shares


@pytest.mark.parametrize("topic", TOPICS[:2])
def test_latex_and_bibtex_compile(corpus: Surveyor, drafts: dict[str, Draft], tmp_path: Path, topic: str) -> None:
    renderer = Renderer()
    tex = renderer.render(drafts[topic], "latex", bib_name="rw")
    bib = renderer.bibtex(drafts[topic].references)
    library = bibtexparser.parse_string(bib)
    assert library.failed_blocks == []
    keys = {entry.key for entry in library.entries}
    cited = {k for group in re.findall(r"\\cite\{([^}]*)\}", tex) for k in group.split(",")}
    assert cited == keys == {p.key for p in drafts[topic].references}
    assert keys <= {p.key for p in corpus.papers()}
    _assert_latex_structure(tex)
    _compile(tmp_path, tex, bib)


def _assert_latex_structure(tex: str) -> None:
    body = re.sub(r"^%.*$", "", tex, flags=re.MULTILINE)
    unescaped = body.replace("\\{", "").replace("\\}", "")
    assert unescaped.count("{") == unescaped.count("}")
    assert "\\section{Related Work}" in body and "\\subsection{" in body
    stripped = re.sub(r"\\[a-zA-Z]+\{[^{}]*\}|\\[a-zA-Z]+|\\[&%$#_{}~^'\"`]", "", body)
    for special in "&%$#_^":
        assert special not in stripped, f"unescaped {special!r}"


def _compile(folder: Path, tex: str, bib: str) -> None:
    """pdflatex + bibtex when a LaTeX engine is installed (.ci/run installs one)."""
    if shutil.which("pdflatex") is None or shutil.which("bibtex") is None:
        pytest.fail("pdflatex/bibtex not installed: run .ci/run or apt-get install texlive-latex-base")
    (folder / "rw.tex").write_text(tex)
    (folder / "rw.bib").write_text(bib)
    (folder / "main.tex").write_text(
        "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\begin{document}\n\\input{rw}\n"
        "\\bibliographystyle{plain}\n\\bibliography{rw}\n\\end{document}\n"
    )
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "main.tex"]
    for command in (latex, ["bibtex", "main"], latex, latex):
        result = subprocess.run(command, cwd=folder, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout[-2000:]
    log = (folder / "main.log").read_text(errors="replace")
    assert "Citation" not in log or "undefined" not in log


def test_cli_writes_tex_and_bib(corpus: Surveyor, tmp_path: Path) -> None:
    out = tmp_path / "rw.tex"
    result = CliRunner().invoke(app, ["draft", "diffusion model acceleration", "--format", "latex", "--out", str(out),
                                      "--store", corpus.settings.store])
    assert result.exit_code == 0, result.stderr
    assert out.exists() and (tmp_path / "rw.bib").exists()
    assert re.match(r"draft: \d+ themes?, \d+ of \d+ retrieved papers cited", result.stderr.splitlines()[-1])
    _compile(tmp_path, out.read_text(), (tmp_path / "rw.bib").read_text())


def _pandoc(folder: Path, *args: str) -> str:
    """A real pandoc (the pypandoc-binary wheel of the test extra) run in folder; its warnings fail the test."""
    try:
        import pypandoc
    except ImportError:
        pytest.fail("pandoc not installed: pip install -e '.[test]' (pypandoc-binary)")
    command = [pypandoc.get_pandoc_path(), *args]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    return result.stdout


# A second citation style: pandoc ships only Chicago author-date, so the test brings a small numeric one.
NUMERIC_CSL = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Numeric</title><id>numeric</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout prefix="[" suffix="]" delimiter=", "><text variable="citation-number"/></layout></citation>
  <bibliography><layout><text variable="citation-number" prefix="(" suffix=") "/><text variable="title"/></layout>
  </bibliography>
</style>
"""


def _assert_pandoc_resolves(folder: Path, draft: Draft, markdown: str, bib: str) -> str:
    """pandoc --citeproc on the draft and its .bib: every citation resolves to exactly the draft's references,
    in the default author-date style and in a numeric one. Returns the plain-text rendering."""
    (folder / "rw.md").write_text(markdown)
    (folder / "rw.bib").write_text(bib)
    html = _pandoc(folder, "--citeproc", "rw.md", "-t", "html", "--wrap=none")
    cited = {key for group in re.findall(r'data-cites="([^"]*)"', html) for key in group.split()}
    listed = re.findall(r'<div id="ref-([^"]+)" class="csl-entry"', html)
    assert cited == set(listed) == {p.key for p in draft.references}
    assert len(listed) == len(draft.references)
    plain = _pandoc(folder, "--citeproc", "rw.md", "-t", "plain", "--wrap=none")
    assert "???" not in plain and not any(f"@{p.key}" in plain for p in draft.references)
    (folder / "numeric.csl").write_text(NUMERIC_CSL)
    numeric = _pandoc(folder, "--citeproc", "--csl", "numeric.csl", "rw.md", "-t", "plain", "--wrap=none")
    numbers = {int(n) for group in re.findall(r"\[(\d+(?:, \d+)*)\]", numeric) for n in group.split(", ")}
    assert numbers == set(range(1, len(draft.references) + 1)) and numeric != plain
    assert sorted(int(n) for n in re.findall(r"^\((\d+)\) ", numeric, flags=re.MULTILINE)) == sorted(numbers)
    return plain


@pytest.mark.parametrize("topic", TOPICS)
def test_pandoc_draft_renders_with_every_citation_resolved(
    drafts: dict[str, Draft], tmp_path: Path, topic: str
) -> None:
    renderer = Renderer()
    markdown = renderer.render(drafts[topic], "pandoc", bib_name="rw")
    assert markdown.startswith('---\n') and '\nbibliography: "rw.bib"\n' in markdown.split("\n---\n")[0]
    assert not re.search(r"\[\d+\]", markdown)  # every marker became a Pandoc citation
    _assert_pandoc_resolves(tmp_path, drafts[topic], markdown, renderer.bibtex(drafts[topic].references))


def test_pandoc_citations_group_runs_and_name_authors_once() -> None:
    from surveyor.draft.pandoc import pandoc_cite
    from surveyor.records import Paper

    papers = [Paper("p1", "chen2023b", "T", "A.", ["Hao Chen", "Ann Lee"]), Paper("p2", "odd.key-", "U", "B."),
              Paper("p3", "x--y", "V", "C.")]
    text = "Two works [1][2] and a third [3]. Chen et al. [1] propose Recall@10 *fast* [x] 5% $y$."
    assert pandoc_cite(text, papers) == (
        "Two works [@chen2023b; @{odd.key-}] and a third [@{x--y}]. Chen et al. [-@chen2023b] propose "
        "Recall\\@10 \\*fast\\* \\[x\\] 5% \\$y\\$."
    )


def test_json_and_markdown_shapes(drafts: dict[str, Draft]) -> None:
    draft = drafts["graph neural networks"]
    data = json.loads(Renderer().render(draft, "json"))
    assert {"topic", "sections", "references", "warnings"} <= data.keys()
    assert [r["paper_id"] for r in data["references"]] == [p.paper_id for p in draft.references]
    assert data["coverage"]["cited"] == len(draft.references)
    markdown = Renderer().render(draft, "markdown")
    assert markdown.startswith("## Related Work\n") and "\n## References\n" in markdown
    for n, paper in enumerate(draft.references, 1):
        assert f"\n{n}. " in markdown and paper.title in markdown


def test_every_shipped_template_renders(drafts: dict[str, Draft]) -> None:
    renderer = Renderer()
    shipped = sorted(p.name for p in TEMPLATES_DIR.glob("*.jinja"))
    assert shipped == ["related_work.md.jinja", "related_work.pandoc.md.jinja", "related_work.tex.jinja"]
    outputs = [renderer.render(drafts[TOPICS[0]], f) for f in ("markdown", "pandoc", "latex")]
    outputs.append(renderer.bibtex(drafts[TOPICS[0]].references))
    assert all(len(o) > 200 for o in outputs)


def test_user_templates_override_by_name_and_the_rest_are_shipped(drafts: dict[str, Draft], tmp_path: Path) -> None:
    (tmp_path / "references.bib.jinja").write_text(
        "{% for ref in references %}@misc{ {{- ref.key }}, title = { {{- ref.title | bibtex_title -}} }}\n{% endfor %}"
    )
    draft = drafts[TOPICS[0]]
    renderer = Renderer(tmp_path)
    bib = renderer.bibtex(draft.references)
    assert bib.count("@misc{") == len(draft.references) and "year =" not in bib
    assert renderer.render(draft, "pandoc") == Renderer().render(draft, "pandoc")


def test_broken_user_template_names_its_line(drafts: dict[str, Draft], tmp_path: Path) -> None:
    (tmp_path / "related_work.md.jinja").write_text("## Related\n\n{% for s in sections %}\n{{ s.title }\n{% endfor %}\n")
    with pytest.raises(SurveyorError, match=r"related_work\.md\.jinja:4"):
        Renderer(tmp_path).render(drafts[TOPICS[0]], "markdown")
    (tmp_path / "related_work.md.jinja").write_text("line one\n{{ no_such_value }}\n")
    with pytest.raises(SurveyorError, match=r"related_work\.md\.jinja:2: 'no_such_value' is undefined"):
        Renderer(tmp_path).render(drafts[TOPICS[0]], "markdown")


def test_user_template_is_sandboxed(drafts: dict[str, Draft], tmp_path: Path) -> None:
    (tmp_path / "related_work.md.jinja").write_text("{{ sections.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(SurveyorError, match="unsafe|access"):
        Renderer(tmp_path).render(drafts[TOPICS[0]], "markdown")


def test_uncovered_and_empty_topics(corpus: Surveyor) -> None:
    with pytest.raises(SurveyorError, match="does not cover 'medieval french poetry and troubadours'"):
        corpus.draft("medieval french poetry and troubadours")
    with pytest.raises(SurveyorError, match="the query is empty"):
        corpus.draft("  ")


SPECIAL = [
    {"title": "Ünïcode & 100% $Cost_{x}$ #1: {Braces} ~Tilde^ Back\\slash in Sparse Retrieval",
     "abstract": "We propose sparse retrieval with 100% recall & low cost_{x}. It is fast. Résumé ~ naïve ^ caret.",
     "authors": ["Zoë Ångström", "José Müller"], "year": 2024},
    {"title": "Dense Retrieval for Sparse Queries", "abstract": "We introduce dense retrieval for sparse queries. It helps."},
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Surveyor:
    folder = tmp_path_factory.mktemp("tiny")
    surveyor = Surveyor(Settings(store=str(folder / "store")))
    surveyor.ingest([write_jsonl(folder / "p.jsonl", SPECIAL)])
    return surveyor


def test_tiny_store_with_specials_gives_one_theme_that_compiles(tiny: Surveyor, tmp_path: Path) -> None:
    draft = tiny.draft("sparse retrieval")
    assert len(draft.sections) == 1 and len(draft.references) == 2
    renderer = Renderer()
    tex, bib = renderer.render(draft, "latex", bib_name="rw"), renderer.bibtex(draft.references)
    assert latex_escape("100% $Cost_{x}$ #1 ~^\\") == r"100\% \$Cost\_\{x\}\$ \#1 \textasciitilde{}\textasciicircum{}\textbackslash{}"
    assert "{\\\"U}n{\\\"\\i}code" in bib or "{\\\"U}n{\\\"i}code" in bib
    library = bibtexparser.parse_string(bib)
    assert library.failed_blocks == [] and len(library.entries) == 2
    _assert_latex_structure(tex)
    _compile(tmp_path, tex, bib)


KEYED = [
    {"key": "chen2023b", "title": "Sparse Retrieval with Learned Term Weights", "authors": ["Hao Chen", "Ann Lee"],
     "abstract": "We propose sparse retrieval with learned term weights, Recall@10 of 0.9 at *half* the cost [sic] "
     "with <b>no</b> tuning, #1 on $x_1$ & ~ ^ | benchmarks. It is simple.", "year": 2023,
     "venue": "Proceedings of SIGIR"},
    {"key": "odd.key-", "title": "Dense Retrieval for Sparse Queries", "authors": ["Barnes and Noble"],
     "year": 2022, "abstract": "We introduce dense retrieval for sparse queries. It helps."},
    {"key": "x--y", "title": "Hybrid Sparse and Dense Retrieval", "arxiv_id": "2304.02633",
     "abstract": "We present hybrid sparse and dense retrieval. It combines both."},
]


def test_pandoc_keys_with_punctuation_and_markdown_specials(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("keyed")
    surveyor = Surveyor(Settings(store=str(folder / "store")))
    surveyor.ingest([write_jsonl(folder / "p.jsonl", KEYED)])
    draft = surveyor.draft("sparse retrieval")
    assert {p.key for p in draft.references} == {"chen2023b", "odd.key-", "x--y"}
    renderer = Renderer()
    markdown = renderer.render(draft, "pandoc", bib_name="rw")
    assert "[@{odd.key-}]" in markdown or "[-@{odd.key-}]" in markdown
    plain = _assert_pandoc_resolves(folder, draft, markdown, renderer.bibtex(draft.references))
    assert "Recall@10 of 0.9 at *half* the cost [sic] with <b>no</b> tuning, #1 on $x_1$ & ~ ^ | benchmarks" in plain
    assert "Chen et al. (2023) propose sparse retrieval" in plain  # the authors named once, not twice


def test_cli_writes_pandoc_markdown_and_bib(corpus: Surveyor, tmp_path: Path) -> None:
    out = tmp_path / "rw.md"
    store = ["--store", corpus.settings.store]
    command = ["draft", "graph neural networks", "--format", "pandoc", *store]
    result = CliRunner().invoke(app, [*command, "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    bib = (tmp_path / "rw.bib").read_text()
    assert '\nbibliography: "rw.bib"\n' in out.read_text() and bib.startswith("@")
    html = _pandoc(tmp_path, "--citeproc", "rw.md", "-t", "html")
    assert 'class="citation"' in html and html.count('class="csl-entry"') == bib.count("\n@") + 1
    printed = CliRunner().invoke(app, command)
    text, separator, printed_bib = printed.stdout.partition("\n<!-- ---- references.bib ---- -->\n")
    assert separator and '\nbibliography: "references.bib"\n' in text and printed_bib == bib


def test_resume_from_an_edited_stage(tiny: Surveyor, tmp_path: Path) -> None:
    first = tiny.draft("sparse retrieval", dump_dir=tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {"pool.json", "themes.json", "sections.json"}
    themes = json.loads((tmp_path / "themes.json").read_text())
    themes["themes"][0]["name"] = "Retrieval, Renamed by Hand"
    (tmp_path / "themes.json").write_text(json.dumps(themes))
    resumed = tiny.draft(from_stage=tmp_path / "themes.json")
    assert resumed.sections[0].title == "Retrieval, Renamed by Hand"
    assert [p.paper_id for p in resumed.references] == [p.paper_id for p in first.references]
    (tmp_path / "bad.json").write_text("{\"stage\": \"themes\"}")
    with pytest.raises(SurveyorError, match="bad.json: not a saved draft stage"):
        tiny.draft(from_stage=tmp_path / "bad.json")


def test_a_pool_saved_before_it_reported_its_floor_still_loads(tiny: Surveyor, tmp_path: Path) -> None:
    ids = [p.paper_id for p in tiny.papers()]
    old = {"stage": "pool", "topic": "sparse retrieval", "user_abstract": None,
           "papers": [{"paper_id": pid, "score": 0.9} for pid in ids]}
    (tmp_path / "pool.json").write_text(json.dumps(old))
    draft = tiny.draft(from_stage=tmp_path / "pool.json")
    assert set(draft.retrieved) == set(ids)
    assert draft.coverage()["relevant"] == len(ids) and draft.coverage()["near_misses"] == []


def test_user_abstract_closes_each_theme_with_its_relation(tiny: Surveyor) -> None:
    mine = "We propose hybrid sparse and dense retrieval for scientific search. Queries are short."
    draft = tiny.draft("mine", user_abstract=mine)
    closing = draft.sections[0].paragraphs[0].text.split(". ")[-1]
    assert closing.startswith("Like these works, our work is concerned with") and "propose hybrid sparse and dense retrieval" in closing


@pytest.fixture(scope="module")
def llm() -> Iterator[ScriptedLLM]:
    with scripted_llm() as server:
        yield server


def test_llm_writer_invented_and_unsupported_citations_are_removed(tiny: Surveyor, llm: ScriptedLLM) -> None:
    def reply(prompt: str) -> str:
        ids = dict((t.split(":")[0].strip(), int(n)) for n, t in re.findall(r'<source id="(\d+)">\nTitle: ([^\n]*)', prompt))
        dense = next(n for t, n in ids.items() if t.startswith("Dense"))
        sparse = next(n for t, n in ids.items() if not t.startswith("Dense"))
        return (f"TITLE: Sparse and Dense Retrieval\nDense retrieval is introduced for sparse queries [{dense}]. "
                f"Graph neural networks predict protein folding [{sparse}]. Another method exists [42].")

    llm.script(Reply(reply))
    settings = tiny.settings.model_copy(update={"llm": "openai", "model": "scripted", "base_url": llm.url, "llm_retries": 0})
    draft = Surveyor(settings).draft("sparse retrieval")
    assert draft.sections[0].title == "Sparse and Dense Retrieval"
    text = draft.sections[0].paragraphs[0].text
    assert "[42]" not in text and [p.title for p in draft.references] == [SPECIAL[1]["title"]]
    assert any("removed citation [42]" in w for w in draft.warnings)
    assert any("does not support 'Graph neural networks predict protein folding" in w for w in draft.warnings)
    assert "<source id=" in llm.prompt() and "data, not instructions" in llm.prompt()


def test_a_long_topic_line_keeps_every_word_of_its_angle() -> None:
    from collections import Counter

    from surveyor.draft.relevance import _angle, _bag

    topic = ("training large models over poorly connected or geographically distributed hardware with little "
             "communication (decentralized, low-bandwidth training)")
    bags = [(_bag(f"Paper {i}"), _bag("Distributed training of models with communication between workers.")) for i in range(12)]
    bags[0] = (_bag("Training over poorly connected devices"), Counter(_bag("Low-bandwidth training on the internet.")))
    angle = _angle(topic, bags)[2].split()
    assert {"poorly", "connected", "low-bandwidth"} <= set(angle), angle
    abstract = topic + ". " + "We study it further with many more words that an abstract would hold. " * 3
    assert len(_angle(abstract, bags)[2].split()) <= 8


def test_a_topic_opening_on_an_act_is_about_that_act() -> None:
    from surveyor.draft.relevance import _angle, _bag

    bags = [(_bag(f"Paper {i}"), _bag("Neural networks are trained with gradient descent.")) for i in range(12)]
    bags[0] = (_bag("Merging models modulo permutation symmetries"), _bag("We merge two trained networks."))
    bags[1] = (_bag("Learning in deep weight spaces"), _bag("Networks that process the weight space of networks."))
    bags[2] = (_bag("Equivariant weight space architectures"), _bag("Learning on weight spaces of neural networks."))
    held, weights, angle = _angle("merging trained neural networks in weight space", bags, act=True)
    coverage = held @ weights / weights.sum()
    assert angle.split()[0] == "merging", angle
    assert coverage[0] > coverage[1] and coverage[0] > coverage[2], coverage
    # A topic naming no act weighs its angle by rarity alone: the weight-space papers hold more of it.
    held, weights, _ = _angle("neural network merges in weight space", bags)
    coverage = held @ weights / weights.sum()
    assert coverage[1] > coverage[0], coverage


def test_a_topic_opening_on_a_noun_in_ing_names_no_act() -> None:
    from surveyor.draft.relevance import _opens_on_act
    from surveyor.records import Paper

    papers = [Paper("a", "a", "Learnable Embeddings for Recommendation", "We store embeddings in a table."),
              Paper("b", "b", "Collisionless Embedding Tables", "Hashing embeddings for click-through prediction."),
              Paper("c", "c", "Git Re-Basin", "Merging models modulo permutation symmetries."),
              Paper("d", "d", "Neural Scaling Laws", "Scaling laws predict the loss."),
              Paper("e", "e", "Scaling Laws for Routed Language Models", "We fit scaling laws.")]
    assert not _opens_on_act("embedding table design for recommender systems", papers)  # 'embeddings': a noun
    assert not _opens_on_act("scaling laws for predicting model performance", papers)  # a compound they write
    assert _opens_on_act("merging trained neural networks in weight space", papers)
    assert not _opens_on_act("neural network merges in weight space", papers)


def test_a_paper_without_the_field_the_topic_names_shares_only_its_angle() -> None:
    from surveyor.draft.relevance import _bag, _lacking

    diffusion = [(_bag("Diffusion features"), _bag("Diffusion models learn visual representations.")) for _ in range(18)]
    contrastive = [(_bag("Contrastive learning"), _bag("Models learn visual representations by contrast.")) for _ in range(6)]
    lacking = _lacking("diffusion models as visual representation learners", diffusion + contrastive, frozenset({"model"}))
    assert lacking == [None] * 18 + ["diffusion"] * 6
    # A subject that names the angle itself ('scaling laws', which few candidates hold) adds nothing.
    neural = [(_bag("Neural networks"), _bag("Neural networks generalise.")) for _ in range(20)]
    laws = [(_bag("Scaling laws"), _bag("Scaling laws of language models.")) for _ in range(4)]
    assert _lacking("neural scaling laws", neural + laws, frozenset()) == [None] * 24
    # What the topic's process acts on ('... quantization of diffusion models') names the field as well: a
    # paper quantizing any network shares the angle only, while the rare 'post-training' subject adds nothing.
    quantized = [(_bag("Diffusion quantization"), _bag("Low-bit diffusion models.")) for _ in range(14)]
    quantized += [(_bag("Post-training quantization"), _bag("Post-training diffusion models.")) for _ in range(4)]
    networks = [(_bag("Network quantization"), _bag("Low-bit neural networks.")) for _ in range(6)]
    topic = "post-training and low-bit quantization of diffusion models"
    assert _lacking(topic, quantized + networks, frozenset({"model"})) == [None] * 18 + ["diffusion"] * 6
    learned = [(_bag("Diffusion features"), _bag("Representation learning with diffusion models.")) for _ in range(18)]
    contrast = [(_bag("Contrastive learning"), _bag("Representation learning by contrast.")) for _ in range(6)]
    topic = "representation learning in and for diffusion models"
    assert _lacking(topic, learned + contrast, frozenset({"model"})) == [None] * 18 + ["diffusion"] * 6
    assert _lacking("semantic representations learned inside diffusion models", learned + contrast,
                    frozenset({"model"})) == [None] * 18 + ["diffusion"] * 6
    # What the topic takes place in names its field by its common word, however few say the rest of it ...
    composing = [(_bag("Multi-subject generation"), _bag("Text-to-image diffusion models compose subjects.")) for _ in range(4)]
    composing += [(_bag("Diffusion models"), _bag("Image synthesis with diffusion.")) for _ in range(16)]
    words = [(_bag("Compositional semantics"), _bag("Composition of word vectors.")) for _ in range(4)]
    topic = "multi-subject and multi-concept composition in text-to-image diffusion"
    assert _lacking(topic, composing + words, frozenset()) == [None] * 20 + ["diffusion"] * 4
    # ... but words any network is described with name no field.
    ood = [(_bag("OOD detection"), _bag("Detecting out-of-distribution inputs with neural networks.")) for _ in range(16)]
    ood += [(_bag("Deep OOD"), _bag("Deep out-of-distribution detection with neural networks.")) for _ in range(4)]
    ood += [(_bag("Outlier exposure"), _bag("Out-of-distribution detection in fine-grained environments.")) for _ in range(4)]
    assert _lacking("out-of-distribution detection for deep neural networks", ood, frozenset()) == [None] * 24
    # A word of size or number names no field, however many candidates use it ('one large model').
    large = [(_bag("Large model serving"), _bag("Parallel inference of large models.")) for _ in range(16)]
    large += [(_bag("DistriFusion"), _bag("Parallel inference of diffusion models on several GPUs.")) for _ in range(4)]
    topic = "splitting the inference of one large model across several GPUs to cut latency"
    assert _lacking(topic, large, frozenset({"model"})) == [None] * 20
    # A topic opening on what is done ('quantizing diffusion models to ...') is about what it is done to.
    # (fewer than FIELD_SHARE of the candidates quantize: the verb is the angle, 'diffusion' the field).
    quantizing = [(_bag("Quantizing diffusion"), _bag("Low bit-widths for diffusion models.")) for _ in range(8)]
    sampling = [(_bag("Diffusion sampling"), _bag("Low bit-widths of diffusion models.")) for _ in range(10)]
    others = [(_bag("Quantizing networks"), _bag("Low bit-widths for neural networks.")) for _ in range(6)]
    topic = "quantizing diffusion models to low bit-widths"
    lacking = _lacking(topic, quantizing + sampling + others, frozenset({"model"}))
    assert lacking == [None] * 18 + ["diffusion"] * 6


def test_how_a_topic_is_phrased_is_not_its_angle() -> None:
    from surveyor.draft.relevance import concepts

    words = {c.word for c in concepts("Making distributed training robust to node failures, using checkpoints")}
    assert {"distributed", "robust", "failures", "checkpoints"} <= words and not words & {"Making", "using"}, words


def test_a_papers_sentence_is_its_own_and_stands_alone() -> None:
    from surveyor.draft.write import contribution
    from surveyor.records import Paper
    from surveyor.text.prose import Names, third_person

    paper = Paper("p", "p", "Weight-Entanglement Meets Gradient-Based Search",
                  "Weight sharing is a fundamental concept in architecture search. This paper aims to bridge two "
                  "communities by proposing a scheme for weight-entangled spaces. Their findings reveal that this "
                  "integration brings the benefits of gradient-based methods.")
    sentence = contribution(paper)
    assert sentence.startswith("This paper aims"), sentence  # not the background, not 'this integration'
    assert third_person(sentence, paper, 9, Names()).startswith("One study [9] aims to bridge")
    spaces = Paper("q", "q", "Deep Weight Spaces", "Weight spaces are hard. As a first step towards this goal, we "
                   "present here a novel network architecture for learning in deep weight spaces.")
    assert "present here" not in contribution(spaces) and "we present a novel" in contribution(spaces)


def test_a_sharp_drop_in_relevance_ends_the_pool(corpus: Surveyor) -> None:
    """Out-of-distribution detection: eight detection papers, then (a drop of 0.12) papers on generalizing out
    of distribution, which share the field and not the topic; they are near-misses, with the drop as reason."""
    draft = corpus.draft("out-of-distribution detection methods for deep neural networks")
    coverage = json.loads(Renderer().render(draft, "json"))["coverage"]
    broken = [m for m in coverage["near_misses"] if m["reason"].startswith("below a break in relevance")]
    titles = {p.title for p in corpus.papers() if p.paper_id in draft.retrieved}
    assert broken and not {m["paper_id"] for m in broken} & set(draft.retrieved)
    assert any(m["title"].startswith("Fine-tuning with Very Large Dropout") for m in broken)
    assert all("detect" in t.lower() or "don't know" in t.lower() for t in titles), titles


def test_a_drop_that_stands_out_from_the_steps_above_it_ends_the_pool() -> None:
    from surveyor.draft.relevance import Scored, _break
    from surveyor.records import Paper

    def scored(values: list[float]) -> list[Scored]:
        return [Scored(Paper(f"p{i}", f"p{i}", "T", "A."), v) for i, v in enumerate(values)]

    # Five papers a few hundredths apart, then 0.08 down: a break, though smaller than `BREAK`.
    assert _break(scored([0.545, 0.544, 0.541, 0.519, 0.515, 0.438, 0.435, 0.408])) == 5
    # The same drop where the papers above it are as far apart is no break.
    assert _break(scored([0.70, 0.62, 0.55, 0.49, 0.43, 0.36, 0.35])) == 7


def test_the_topic_read_word_by_word_ranks_a_paper_that_says_it_in_other_words() -> None:
    """Two candidates alike to the pooled vectors: the one whose words match the topic's word by word (here, by a
    table of what the model would find close) ranks first, though the other ranks first without token states."""
    from surveyor.draft.relevance import select
    from surveyor.records import Paper

    close = {"write": "generate", "parameters": "weights", "networks": "networks"}
    vocabulary = sorted(set(close.values()) | {"ranking", "documents", "queries"})

    def token_states(texts: object) -> list[np.ndarray]:
        def row(word: str) -> np.ndarray:  # one axis per word of the table, the last for any other word
            vector = np.zeros(len(vocabulary) + 1)
            word = close.get(word, word)
            vector[vocabulary.index(word) if word in vocabulary else -1] = 1.0
            return vector

        return [np.array([row(w) for w in re.findall(r"[a-z]+", str(t).lower())]) for t in texts]

    other = Paper("b", "b", "Ranking networks", "Networks rank documents for queries.")
    hyper = Paper("a", "a", "Hypernetworks", "Hypernetworks generate the weights of target networks.")
    same = [np.ones((1, 4)) / 2.0] * 2
    query = "networks that write the parameters of other networks"
    kwargs = {"embed": lambda _: np.ones(4) / 2.0, "cap": 5}
    plain = select(query, [other, hyper], same, np.ones(4) / 2.0, **kwargs)
    read = select(query, [other, hyper], same, np.ones(4) / 2.0, token_states=token_states, **kwargs)
    assert [s.paper.paper_id for s in plain.kept] == ["b", "a"]  # (it names the networks in its title)
    assert [s.paper.paper_id for s in read.kept] == ["a", "b"]
    assert read.kept[0].relevance > read.kept[1].relevance
    # A model that shows no token states leaves the relevance as it was.
    assert select(query, [other, hyper], same, np.ones(4) / 2.0, token_states=lambda _: None, **kwargs) == plain


def test_a_topic_word_meets_its_spelling_with_a_hyphen() -> None:
    from surveyor.draft.relevance import _bag, concepts, presence

    (word,) = concepts("oversmoothing")
    assert presence(word, _bag("Deeper GNNs"), _bag("We study over-smoothing and over-smoothing limits.")) == 1.0
    assert presence(word, _bag("Deeper GNNs"), _bag("We study smoothing of node features.")) == 0.0


def test_a_relative_clause_ends_the_topics_subject() -> None:
    from surveyor.draft.relevance import _subject_phrases

    # 'diffusion models | that generate neural network weights': a paper on weights with no diffusion in it is
    # outside the subject, as after a preposition.
    assert _subject_phrases("diffusion models that generate neural network weights")[0] == "diffusion models"
    assert _subject_phrases("networks which write the weights of other networks")[0] == "networks"
