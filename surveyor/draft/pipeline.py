"""The draft pipeline: pool -> themes (clustered, named, ordered) -> sections -> verified Draft.

Every stage returns a typed artifact that can be dumped and resumed from (`stages.py`).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from surveyor.answer.citations import MARKER, check_texts
from surveyor.answer.support import SupportChecker
from surveyor.draft.relevance import COMMON_SHARE, MIN_BACKGROUND, field_terms, select
from surveyor.draft.stages import Artifact, LeftOut, Pool, PoolEntry, Section, Sections, Theme, Themes, dump
from surveyor.draft.themes import OTHER, cluster, name_themes, refine, unique_names
from surveyor.draft.write import Writer
from surveyor.errors import SurveyorError
from surveyor.index.retriever import Retriever
from surveyor.records import Draft, DraftParagraph, DraftSection, NearMiss, Paper, PoolReport
from surveyor.settings import MAX_QUERY_CHARS
from surveyor.text.phrases import title_case
from surveyor.text.tokens import tokenize

# Candidates retrieved for a draft (or 3x --max-papers, if more): enough that the typical candidate shows
# the field's background level, against which the relevant papers stand out.
CANDIDATES = 120


class Drafter:
    """Runs the stages with one retriever, writer and support checker."""

    def __init__(
        self,
        retriever: Retriever,
        writer: Writer,
        checker: SupportChecker,
        *,
        names_from_writer: bool,
        concurrency: int = 1,
    ) -> None:
        self.retriever = retriever
        self.writer = writer
        self.checker = checker
        self.db = retriever.store.db
        self.names_from_writer = names_from_writer
        self.concurrency = concurrency

    def run(self, start: Artifact, sections: int | None = None, dump_dir: Path | None = None) -> Draft:
        """Continue from any artifact (a fresh Pool, or a stage loaded from disk) to the verified draft."""
        artifact = start
        while not isinstance(artifact, Sections):
            artifact = self.themes(artifact, sections) if isinstance(artifact, Pool) else self.write(artifact)
            if dump_dir:
                dump(artifact, dump_dir / f"{type(artifact).__name__.lower()}.json")
        return self.verify(artifact)

    def pool(self, topic: str, user_abstract: str | None, max_papers: int) -> Pool:
        """The papers on the topic's own angle, up to `max_papers`, chosen from a wider retrieval."""
        query = (user_abstract or topic)[:MAX_QUERY_CHARS]
        wanted = max(CANDIDATES, 3 * max_papers)
        hits = self.retriever.search(query, wanted)
        if 0 < len(hits) < MIN_BACKGROUND:  # too few to show the field's background level: look below the floor
            wider = self.retriever.search(query, wanted, floor=False)
            hits = wider if len(wider) >= MIN_BACKGROUND else hits  # (a small store has no background to show)
        if not hits:
            subject = "your abstract" if user_abstract else repr(topic)
            raise SurveyorError(
                f"the corpus does not cover {subject}: no paper passed the relevance floor, no draft written"
            )
        papers = [h.paper for h in hits]
        chunks = self.retriever.store.chunk_vectors([p.paper_id for p in papers])
        vectors = [np.vstack([v for _, v in chunks[p.paper_id]] or [np.zeros(1)]) for p in papers]
        lexical = self.retriever.store.lexical
        common = frozenset(t for t, n in lexical.document_frequencies(tokenize(query)).items()
                           if n >= COMMON_SHARE * lexical.chunk_count)
        chosen = select(query, papers, vectors, _unit(self.retriever.query_vector(query)), self._embed, max_papers,
                        common=common, token_states=self.retriever.embedder.token_states)
        return Pool(
            topic,
            user_abstract,
            [PoolEntry(s.paper.paper_id, s.relevance) for s in chosen.kept],
            candidates=chosen.candidates,
            relevant=chosen.relevant,
            floor=chosen.floor,
            angle=chosen.angle,
            near_misses=[LeftOut(s.paper.paper_id, s.relevance, why) for s, why in chosen.near_misses],
        )

    def _embed(self, text: str) -> np.ndarray:
        return _unit(self.retriever.embedder.embed([text])[0])

    def _embed_many(self, texts: list[str]) -> np.ndarray:
        return self.retriever.embedder.embed(texts)

    def themes(self, pool: Pool, sections: int | None) -> Themes:
        papers = self._papers([e.paper_id for e in pool.papers])
        vectors = self.paper_vectors([p.paper_id for p in papers])
        groups, strays = cluster(vectors, sections)
        members = [[papers[i] for i in group] for group in groups]
        # A topic restated names no theme; an abstract's words may, except those of its field.
        topic = "" if pool.user_abstract else pool.topic
        field = field_terms(pool.user_abstract or pool.topic, pool.angle)
        if sections:  # the user chose how many themes: name them, move nothing
            named = name_themes(members, self._embed_many, [vectors[g] for g in groups], topic=topic, field=field)
            names = [n.name if n else OTHER for n in named]
        else:
            groups, names, strays = refine(groups, strays, papers, vectors, self._embed_many, topic, field)
            if not groups and strays:  # no phrase names any part of the pool: one theme, the topic's own
                groups, names, strays = [strays], [title_case(topic) if topic else OTHER], []
        if strays:
            groups, names = [*groups, strays], [*names, OTHER]
        score = {e.paper_id: e.score for e in pool.papers}
        themes = [
            Theme(name, sorted((papers[i].paper_id for i in group), key=lambda pid: -score[pid]))
            for name, group in zip(unique_names(names), groups)
        ]
        themes.sort(key=lambda t: (t.name.startswith(OTHER), -float(np.mean([score[p] for p in t.paper_ids]))))
        return Themes(pool, themes)

    def write(self, themes: Themes) -> Sections:
        """Each theme's paragraph; with an LLM, up to `concurrency` themes are written at once."""
        source_ids = [pid for theme in themes.themes for pid in theme.paper_ids]
        position = {pid: n for n, pid in enumerate(source_ids, 1)}
        papers = [self._papers(theme.paper_ids) for theme in themes.themes]
        jobs = [
            (theme.name, group, themes.pool.user_abstract, i)
            for i, (theme, group) in enumerate(zip(themes.themes, papers))
        ]
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            written = list(pool.map(lambda job: self.writer.write(*job), jobs))
        sections, warnings = [], []
        for theme, group, paragraph in zip(themes.themes, papers, written):
            # The writer numbered this theme's papers 1..m; the draft numbers all sources 1..N.
            local = {i: position[p.paper_id] for i, p in enumerate(group, 1)}
            text = MARKER.sub(lambda m: _global(m.group(1), local), paragraph.text)
            title = paragraph.title if self.names_from_writer else theme.name
            sections.append(Section(title, [text], theme.paper_ids))
            warnings += paragraph.warnings
        return Sections(themes, source_ids, sections, warnings)

    def verify(self, written: Sections) -> Draft:
        sources = self._papers(written.source_ids)
        texts = [p for s in written.sections for p in s.paragraphs]
        verified, ledger = check_texts(self.checker, texts, sources)
        references = [c.paper for c in ledger.citations]
        remaining = iter(verified)
        sections = []
        for section in written.sections:
            paragraphs = [next(remaining) for _ in section.paragraphs]
            sections.append(DraftSection(section.title, [DraftParagraph(t, _cited(t, references)) for t in paragraphs]))
        pool = written.themes.pool
        return Draft(
            pool.topic,
            sections,
            references,
            written.warnings + ledger.warnings,
            [e.paper_id for e in pool.papers],
            self._report(pool),
        )

    def _report(self, pool: Pool) -> PoolReport:
        found = self.db.get([m.paper_id for m in pool.near_misses])
        misses = [NearMiss(found[m.paper_id], m.score, m.reason) for m in pool.near_misses if m.paper_id in found]
        size = len(pool.papers)
        return PoolReport(pool.candidates or size, pool.relevant or size, pool.floor, pool.angle, misses)

    def paper_vectors(self, paper_ids: list[str]) -> np.ndarray:
        """One unit vector per paper: the mean of its chunk vectors."""
        chunks = self.retriever.store.chunk_vectors(paper_ids)
        rows = [np.mean([v for _, v in chunks[pid]], axis=0) for pid in paper_ids]
        matrix = np.vstack(rows) if rows else np.zeros((0, 1), dtype=np.float32)
        unit: np.ndarray = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
        return unit

    def _papers(self, paper_ids: list[str]) -> list[Paper]:
        found = self.db.get(paper_ids)
        missing = [pid for pid in paper_ids if pid not in found]
        if missing:
            raise SurveyorError(f"the saved stage names papers not in this store: {', '.join(missing[:3])}")
        return [found[pid] for pid in paper_ids]


def _unit(vector: np.ndarray) -> np.ndarray:
    unit: np.ndarray = vector / max(float(np.linalg.norm(vector)), 1e-12)
    return unit


def _global(body: str, local: dict[int, int]) -> str:
    numbers = [local[int(n)] for n in re.findall(r"\d+", body) if int(n) in local]
    return "".join(f"[{n}]" for n in numbers)


def _cited(text: str, references: list[Paper]) -> list[str]:
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", text)]
    return list(dict.fromkeys(references[n - 1].paper_id for n in numbers))
