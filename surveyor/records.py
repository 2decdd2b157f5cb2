"""Typed records passed between the pipeline stages: files -> Record -> Paper -> Chunk -> Hit."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Record:
    """One title/abstract pair as a reader found it in a file, before identity and dedupe."""

    title: str
    abstract: str
    file: str
    line: int
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None
    url: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    external_id: str | None = None


@dataclass(frozen=True)
class ReadError:
    """A record or file a reader could not use; reported, never fatal for the rest of the run."""

    file: str
    line: int | None
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "reason": self.reason}


@dataclass
class Paper:
    """A deduplicated paper: the source of truth the index is built from."""

    paper_id: str
    key: str
    title: str
    abstract: str
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str | None = None
    url: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    sources: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    # One letter per abstract sentence, set at ingest: 'b' background (prior work), 'c' the paper's own.
    roles: str = ""

    @property
    def short_name(self) -> str | None:
        """The name before a colon in titles like 'HNeRV: A Hybrid Neural Representation'."""
        head, sep, _ = self.title.partition(":")
        words = head.split()
        if not (sep and 0 < len(words) <= 3 and len(head) <= 24):
            return None
        # 'What the DAAM: ...': a name among words that only make the title a phrase.
        named = [w for w in words if sum(c.isupper() for c in w) >= 2]
        if len(words) > 1 and len(named) == 1 and all(w == named[0] or w.lower() in _TITLE_PHRASING for w in words):
            return named[0]
        return head.strip()


# Words around a name in a title's head that make it a phrase ('What the DAAM', 'Is BERT Robust').
_TITLE_PHRASING = frozenset("what the a an is are do does how to why when where not all you need we our".split())


@dataclass(frozen=True)
class Chunk:
    """A window of consecutive abstract sentences [first_sentence, last_sentence] of one paper."""

    chunk_id: str
    paper_id: str
    ordinal: int
    text: str
    first_sentence: int
    last_sentence: int


@dataclass(frozen=True)
class Hit:
    """A paper retrieved for a query, with its best-matching chunk and sentence."""

    paper: Paper
    score: float
    similarity: float
    chunk: Chunk
    snippet: str

    def as_dict(self) -> dict[str, object]:
        return {
            "paper_id": self.paper.paper_id,
            "key": self.paper.key,
            "title": self.paper.title,
            "score": round(self.score, 4),
            "similarity": round(self.similarity, 4),
            "snippet": self.snippet,
        }


@dataclass
class Citation:
    """Reference n of an answer: the paper, the abstract sentence that supports the claim, how well, and
    if it does not, why (`negation`, `direction`, `number 9.1 not in the source`, ...)."""

    n: int
    paper: Paper
    quote: str
    supported: bool
    score: float
    reason: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "paper_id": self.paper.paper_id,
            "key": self.paper.key,
            "title": self.paper.title,
            "year": self.paper.year,
            "url": self.paper.url,
            "quote": self.quote,
            "supported": self.supported,
            "score": round(self.score, 3),
            "reason": self.reason,
        }


@dataclass
class AnswerSentence:
    """One verified sentence: its `[n]` markers, and for each the verdict on this very sentence."""

    text: str
    citations: list[Citation]
    item: int | None = None  # sentences with the same number form one item of a list; None: prose

    def as_dict(self) -> dict[str, object]:
        return {"text": self.text, "citations": [c.as_dict() for c in self.citations], "item": self.item}


@dataclass
class Answer:
    """A verified answer: `[n]` in `text` is `citations[n-1]`, numbered in order of first use.
    A citation is supported when every sentence citing it is; `sentences` has the verdict per sentence."""

    question: str
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sources: list[Hit] = field(default_factory=list)
    usage: dict[str, int | bool] = field(default_factory=dict)
    sentences: list[AnswerSentence] = field(default_factory=list)
    standalone: str = ""  # the question as searched (a follow-up rewritten to stand alone)

    def backed(self) -> list[Citation]:
        """The citations at least one sentence of the answer is supported by (a paper whose background
        sentence was shown unsupported still answered where another of its sentences was)."""
        held = {c.n for s in self.sentences for c in s.citations if c.supported}
        return [c for c in self.citations if c.supported or c.n in held]

    def as_dict(self) -> dict[str, object]:
        return {
            "question": self.question,
            "standalone": self.standalone or self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [c.as_dict() for c in self.citations],
            "sentences": [s.as_dict() for s in self.sentences],
            "warnings": self.warnings,
            "usage": self.usage,
        }


@dataclass
class DraftParagraph:
    text: str
    citations: list[str]


@dataclass
class DraftSection:
    title: str
    paragraphs: list[DraftParagraph]


@dataclass(frozen=True)
class NearMiss:
    """A candidate a draft left out of its pool, and why ('below the relevance floor (0.41 < 0.48)')."""

    paper: Paper
    score: float
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {
            "paper_id": self.paper.paper_id,
            "key": self.paper.key,
            "title": self.paper.title,
            "score": self.score,
            "reason": self.reason,
        }


@dataclass
class PoolReport:
    """How a draft chose its papers: of `candidates` retrieved, `relevant` cleared the relevance `floor`
    (scores in [0, 1]; `angle` is the part of the topic that set them apart); the best of the rest."""

    candidates: int
    relevant: int
    floor: float | None
    angle: str
    near_misses: list[NearMiss] = field(default_factory=list)


@dataclass
class Draft:
    """A verified related-work draft: `[n]` in any paragraph is `references[n-1]`. `retrieved` is the pool
    the draft drew from (the relevant papers, up to --max-papers)."""

    topic: str
    sections: list[DraftSection]
    references: list[Paper]
    warnings: list[str] = field(default_factory=list)
    retrieved: list[str] = field(default_factory=list)
    pool: PoolReport | None = None

    def coverage(self) -> dict[str, object]:
        cited = {p.paper_id for p in self.references}
        left_out = [pid for pid in self.retrieved if pid not in cited]
        pool = self.pool or PoolReport(len(self.retrieved), len(self.retrieved), None, "")
        return {
            "candidates": pool.candidates,
            "relevant": pool.relevant,
            "retrieved": len(self.retrieved),
            "cited": len(cited),
            "left_out": left_out,
            "floor": pool.floor,
            "angle": pool.angle,
            "near_misses": [m.as_dict() for m in pool.near_misses],
        }

    def as_dict(self) -> dict[str, object]:
        return {
            "topic": self.topic,
            "sections": [
                {"title": s.title, "paragraphs": [{"text": p.text, "citations": p.citations} for p in s.paragraphs]}
                for s in self.sections
            ],
            "references": [
                {
                    "n": n,
                    "paper_id": p.paper_id,
                    "key": p.key,
                    "title": p.title,
                    "authors": p.authors,
                    "year": p.year,
                    "venue": p.venue,
                    "url": p.url,
                    "doi": p.doi,
                    "arxiv_id": p.arxiv_id,
                }
                for n, p in enumerate(self.references, 1)
            ],
            "warnings": self.warnings,
            "coverage": self.coverage(),
        }


@dataclass(frozen=True)
class SourcesEvent:
    """An answer under way: retrieval is done (`standalone` is the question as searched)."""

    hits: list[Hit]
    standalone: str


@dataclass(frozen=True)
class SentenceEvent:
    """An answer under way: one more sentence, its citations verified and numbered."""

    sentence: AnswerSentence


@dataclass(frozen=True)
class AnswerEvent:
    """The answer is complete."""

    answer: Answer


AskEvent = SourcesEvent | SentenceEvent | AnswerEvent
