"""`surveyor eval`: how well the store answers a labelled question set, and drafts on a list of topics.

Questions are JSON lines `{"q": "...", "expect": [...], "contains": [...], "out_of_scope": false}` (all but
`q` optional). Topics are one per line, or a JSON object per line `{"topic": "...", "on_topic": "REGEX"}` whose
rule says which cited papers are on the topic. Each question is searched and asked once, with whichever answerer
the Surveyor is configured with; each topic is drafted once. Every metric is defined where it is computed;
`EvalReport.summary` averages each one over the questions it applies to, and says how many those were.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from surveyor.answer.citations import MARKER, expand_marker
from surveyor.app import Surveyor, check_query
from surveyor.errors import SurveyorError
from surveyor.records import Answer, Draft, Hit, Paper
from surveyor.text.phrases import holds as consecutive
from surveyor.text.sentences import split_sentences

FIELDS = ("q", "expect", "contains", "out_of_scope")
TOPIC_FIELDS = ("topic", "on_topic")
# Retrieval is measured on at least this many results, so a rank up to 10 is still seen.
SEARCH_DEPTH = 10
# Off-topic papers named per topic in the printed report (`--json` lists them all).
OFF_TOPIC_SHOWN = 5
# How a draft reports a citation it dropped (the verifier's and the LLM writer's warnings).
REMOVED = "removed citation"


@dataclass(frozen=True)
class Question:
    """One line of the question file."""

    line: int
    q: str
    expect: tuple[str, ...] = ()  # paper ids, citation keys or titles of the papers that answer it
    contains: tuple[str, ...] = ()  # strings a good answer holds (case-insensitive)
    out_of_scope: bool = False  # the corpus does not cover it: the right answer is to abstain


@dataclass(frozen=True)
class Topic:
    """One line of the topics file."""

    line: int
    topic: str
    # a paper cited in the topic's draft is on the topic when the rule matches its title and abstract, joined
    # by a space into one line (case-insensitive: `re.search` with IGNORECASE)
    on_topic: re.Pattern[str] | None = None


@dataclass
class QuestionResult:
    """What one question scored. A metric that does not apply to the question is None."""

    line: int
    question: str
    out_of_scope: bool
    abstained: bool
    cited: list[str]  # citation keys of the answer's references, in order
    rank: int | None  # 1-based rank of the first expected paper in the search results; None if absent
    hit_at_1: bool | None  # rank == 1 (questions with `expect`)
    hit_at_5: bool | None  # rank <= 5 (questions with `expect`)
    reciprocal_rank: float | None  # 1 / rank, 0 when absent (questions with `expect`)
    citation_hit: bool | None  # an expected paper is among the answer's citations (questions with `expect`)
    citation_precision: float | None  # see `citation_precision` (answered questions)
    citation_recall: float | None  # see `citation_recall` (answered questions)
    contains_rate: float | None  # see `contains_rate` (questions with `contains`)
    abstention_correct: bool  # abstained == out_of_scope (every question)
    search_seconds: float  # wall time of `surveyor.search(q, k=max(10, k))`
    ask_seconds: float  # wall time of `surveyor.ask(q, k)`


@dataclass
class QuestionSummary:
    """Means over the questions each metric applies to (None when it applies to none)."""

    questions: int
    with_expect: int  # retrieval metrics and citation hit average over these
    answered: int  # not abstained: citation precision and recall average over these
    with_contains: int  # contains rate averages over these
    hit_at_1: float | None
    hit_at_5: float | None
    mrr: float | None  # mean reciprocal rank
    citation_hit: float | None
    citation_precision: float | None
    citation_recall: float | None
    contains_rate: float | None
    abstention_accuracy: float  # share of all questions with abstained == out_of_scope
    ask_p50: float  # median seconds per `ask`
    ask_p95: float  # 95th percentile seconds per `ask` (linear interpolation between ranks)


@dataclass
class TopicResult:
    """What one draft scored; a topic the corpus does not cover has `covered` False and nothing else."""

    topic: str
    covered: bool
    sections: int
    papers_cited: int  # references of the draft
    citation_precision: float | None  # see `draft_citation_precision`
    theme_cohesion: float | None  # see `theme_cohesion`
    dangling_citations: int  # see `dangling_citations`; anything but 0 is a bug
    seconds: float  # wall time of the coverage check and `surveyor.draft(topic)`
    on_topic_share: float | None = None  # see `on_topic_share` (covered topics with an `on_topic` rule)
    off_topic: list[str] = field(default_factory=list)  # citation keys of the cited papers the rule rejects


@dataclass
class TopicSummary:
    """Over all topics of the file."""

    topics: int
    covered: int
    citation_precision: float | None  # mean over covered topics
    theme_cohesion: float | None  # mean over covered topics where it is defined
    dangling_citations: int  # total
    on_topic_share: float | None = None  # mean over covered topics with an `on_topic` rule


@dataclass
class EvalReport:
    """Per-question results and their summary; per-topic results and theirs when topics were given."""

    questions: list[QuestionResult]
    summary: QuestionSummary
    topics: list[TopicResult] = field(default_factory=list)
    topic_summary: TopicSummary | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "summary": asdict(self.summary),
            "questions": [asdict(r) for r in self.questions],
            "topic_summary": asdict(self.topic_summary) if self.topic_summary else None,
            "topics": [asdict(t) for t in self.topics],
        }

    def lines(self) -> list[str]:
        """The report for people: the summary, one line per topic, then each question that missed."""
        s = self.summary
        lines = [
            (
                f"questions: {s.questions} ({s.with_expect} with expected papers, {s.answered} answered, "
                f"{s.with_contains} with expected strings)"
            ),
            f"retrieval: hit@1 {_fmt(s.hit_at_1)}, hit@5 {_fmt(s.hit_at_5)}, MRR {_fmt(s.mrr)}",
            (
                f"answers: citation hit {_fmt(s.citation_hit)}, citation precision {_fmt(s.citation_precision)}, "
                f"citation recall {_fmt(s.citation_recall)}, contains {_fmt(s.contains_rate)}"
            ),
            f"abstention accuracy: {_fmt(s.abstention_accuracy)}",
            f"ask latency: p50 {s.ask_p50:.2f} s, p95 {s.ask_p95:.2f} s",
        ]
        if self.topic_summary is not None:
            t = self.topic_summary
            lines.append(
                f"topics: {t.topics} ({t.covered} covered), citation precision {_fmt(t.citation_precision)}, "
                f"theme cohesion {_fmt(t.theme_cohesion)}, {t.dangling_citations} dangling citations"
                + ("" if t.on_topic_share is None else f", on-topic {_fmt(t.on_topic_share)}")
            )
            lines += [f"  {_topic_line(r)}" for r in self.topics]
        return lines + [f"missed {miss}" for miss in map(_missed, self.questions) if miss]


def evaluate(surveyor: Surveyor, questions: Path, topics: Path | None = None, k: int = 5) -> EvalReport:
    """Score `surveyor` on the question file (and on drafts for each topic in `topics`).

    Both files are checked, and every expected paper looked up in the store, before anything is run:
    a mistake in them is a `SurveyorError` naming the file and line. `k` is the number of papers an
    answer draws on; retrieval is scored on the top max(10, k) search results.
    """
    if k < 1:
        raise SurveyorError(f"k must be at least 1, not {k}")
    asked = read_questions(questions)
    topic_list = read_topics(topics) if topics is not None else []
    papers = surveyor.papers()
    expected = [expected_ids(q, papers, questions) for q in asked]
    surveyor.load()  # the first question does not pay for loading the model and indexes
    results = [_score_question(surveyor, q, ids, k) for q, ids in zip(asked, expected)]
    if topics is None:
        return EvalReport(results, summarize(results))
    drafted = [_score_topic(surveyor, topic) for topic in topic_list]
    return EvalReport(results, summarize(results), drafted, summarize_topics(drafted))


# -- the input files ---------------------------------------------------------------------------------------


def read_questions(path: Path) -> list[Question]:
    """The questions of a JSONL file (blank lines skipped); a bad line is an error naming file and line."""
    lines = enumerate(read_text(path).splitlines(), 1)
    questions = [_question(f"{path}:{n}", n, text) for n, text in lines if text.strip()]
    if not questions:
        raise SurveyorError(f'{path}: no questions; write one JSON object per line, like {{"q": "..."}}')
    return questions


def read_topics(path: Path) -> list[Topic]:
    """One topic per line, or `{"topic": "...", "on_topic": "REGEX"}`; blank lines and '#' lines are skipped."""
    topics = [
        _topic(f"{path}:{n}", n, line.strip())
        for n, line in enumerate(read_text(path).splitlines(), 1)
        if line.strip() and not line.strip().startswith("#")
    ]
    if not topics:
        raise SurveyorError(f"{path}: no topics; write one topic per line")
    return topics


def expected_ids(question: Question, papers: list[Paper], path: Path) -> frozenset[str]:
    """The papers `expect` names. An item names a paper by its id (or an old id it kept as an alias), its
    citation key, or its title, compared case-insensitively; an item naming no stored paper is an error."""
    ids: set[str] = set()
    for item in question.expect:
        found = {
            p.paper_id
            for p in papers
            if item in (p.paper_id, p.key) or item in p.aliases or item.casefold() == p.title.casefold()
        }
        if not found:
            raise SurveyorError(f'{path}:{question.line}: "expect" names no paper in the store: {item!r}')
        ids |= found
    return frozenset(ids)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SurveyorError(f"{path}: cannot read ({exc})") from exc


def _question(where: str, line: int, text: str) -> Question:
    row = json_object(where, text, FIELDS, '{"q": "..."}')
    if "q" not in row:
        raise SurveyorError(f'{where}: "q" is missing')
    question = Question(
        line,
        _query(where, row["q"]),
        _strings(where, row, "expect"),
        _strings(where, row, "contains"),
        _flag(where, row, "out_of_scope"),
    )
    if question.out_of_scope and question.expect:
        raise SurveyorError(f'{where}: "expect" must be empty when "out_of_scope" is true')
    return question


def json_object(where: str, text: str, fields: tuple[str, ...], example: str) -> dict[str, Any]:
    """One line of an eval file: a JSON object with only known fields, or one error naming file and line."""
    try:
        row = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SurveyorError(f"{where}: not valid JSON ({exc.msg}, column {exc.colno})") from exc
    if not isinstance(row, dict):
        raise SurveyorError(f"{where}: expected a JSON object like {example}")
    unknown = [name for name in row if name not in fields]
    if unknown:
        raise SurveyorError(f'{where}: unknown field "{unknown[0]}" (the fields are {", ".join(fields)})')
    return row


def _query(where: str, value: object) -> str:
    if not isinstance(value, str):
        raise SurveyorError(f'{where}: "q" must be a string')
    try:
        return check_query(value)
    except SurveyorError as exc:
        raise SurveyorError(f'{where}: "q": {exc}') from exc


def _strings(where: str, row: dict[str, object], name: str) -> tuple[str, ...]:
    value = row.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SurveyorError(f'{where}: "{name}" must be a list of non-empty strings')
    return tuple(value)


def _flag(where: str, row: dict[str, object], name: str) -> bool:
    value = row.get(name, False)
    if not isinstance(value, bool):
        raise SurveyorError(f'{where}: "{name}" must be true or false')
    return value


def _topic(where: str, line: int, text: str) -> Topic:
    """A plain line is the topic; a line opening with `{` is a JSON object with the topic and its rule."""
    if not text.startswith("{"):
        return Topic(line, _topic_text(where, text))
    row = json_object(where, text, TOPIC_FIELDS, '{"topic": "...", "on_topic": "REGEX"}')
    if not isinstance(row.get("topic"), str):
        raise SurveyorError(f'{where}: "topic" must be a string')
    return Topic(line, _topic_text(where, row["topic"]), _rule(where, row.get("on_topic")))


def _topic_text(where: str, topic: str) -> str:
    try:
        return check_query(topic)
    except SurveyorError as exc:
        raise SurveyorError(f"{where}: {exc}") from exc


def _rule(where: str, value: object) -> re.Pattern[str] | None:
    """The `on_topic` regex, compiled case-insensitive; None when the line gives none."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise SurveyorError(f'{where}: "on_topic" must be a non-empty string (a regular expression)')
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as exc:
        reason = f"{exc.msg} at position {exc.pos}"
        raise SurveyorError(f'{where}: "on_topic" is not a valid regular expression ({reason})') from exc


# -- questions ---------------------------------------------------------------------------------------------


def _score_question(surveyor: Surveyor, question: Question, expected: frozenset[str], k: int) -> QuestionResult:
    started = time.perf_counter()
    hits = surveyor.search(question.q, k=max(SEARCH_DEPTH, k))
    searched = time.perf_counter()
    answer = surveyor.ask(question.q, k)
    answered = time.perf_counter()
    rank = first_rank(hits, expected)
    retrieval = bool(expected)
    return QuestionResult(
        line=question.line,
        question=question.q,
        out_of_scope=question.out_of_scope,
        abstained=answer.abstained,
        cited=[c.paper.key for c in answer.citations],
        rank=rank,
        hit_at_1=rank == 1 if retrieval else None,
        hit_at_5=rank is not None and rank <= 5 if retrieval else None,
        reciprocal_rank=(1 / rank if rank else 0.0) if retrieval else None,
        citation_hit=any(c.paper.paper_id in expected for c in answer.citations) if retrieval else None,
        citation_precision=citation_precision(answer),
        citation_recall=citation_recall(answer),
        contains_rate=contains_rate(answer.text, question.contains),
        abstention_correct=answer.abstained == question.out_of_scope,
        search_seconds=searched - started,
        ask_seconds=answered - searched,
    )


def first_rank(hits: list[Hit], expected: frozenset[str]) -> int | None:
    """The 1-based position of the first hit that is an expected paper; None if there is none."""
    return next((rank for rank, hit in enumerate(hits, 1) if hit.paper.paper_id in expected), None)


def citation_precision(answer: Answer) -> float | None:
    """Supported citations / citations of an answer (a citation is one referenced paper, supported when
    the verifier found every sentence citing it backed by its abstract). None when the answer abstained."""
    if answer.abstained or not answer.citations:
        return None
    return sum(c.supported for c in answer.citations) / len(answer.citations)


def citation_recall(answer: Answer) -> float | None:
    """Answer sentences carrying at least one supported citation / answer sentences (the ALCE idea: every
    statement should be backed by what it cites). Sentences are split as the verifier splits them. None
    when the answer abstained."""
    sentences = [s for s in split_sentences(answer.text) if s.strip()]
    if answer.abstained or not sentences:
        return None
    supported = {c.n for c in answer.citations if c.supported}
    backed = [s for s in sentences if supported.intersection(_markers(s))]
    return len(backed) / len(sentences)


def contains_rate(text: str, contains: tuple[str, ...]) -> float | None:
    """The share of `contains` strings the answer holds (see `holds`); None when there are none."""
    if not contains:
        return None
    return sum(holds(text, s) for s in contains) / len(contains)


def holds(text: str, string: str) -> bool:
    """Whether the answer states `string`: as written (ignoring case), or as the answer rewrites an abstract
    in the third person: 'we apply channel-wise interpolation' is held by 'One study [1] applies channel-wise
    interpolation' (personal pronouns, articles, citation markers and word endings aside)."""
    if string.casefold() in text.casefold():
        return True
    return consecutive(_stems(MARKER.sub(" ", text)), tuple(_stems(string)))


# The words the third-person rewriting changes ('we' -> 'the authors', 'our' -> 'their'), and articles.
_PERSON = frozenset({"we", "our", "us", "ours", "they", "their", "them", "the", "a", "an", "authors"})


def _stems(text: str) -> list[str]:
    words = [w for w in re.findall(r"[\w-]+", text.casefold()) if w not in _PERSON]
    words = [re.sub(r"(?:ies|ied|y)$", "i", w) for w in words]
    return [re.sub(r"(?:es|s|ed|ing|e)$", "", w) if len(w) > 3 else w for w in words]


def summarize(results: list[QuestionResult]) -> QuestionSummary:
    latencies = [r.ask_seconds for r in results]
    return QuestionSummary(
        questions=len(results),
        with_expect=sum(r.hit_at_1 is not None for r in results),
        answered=sum(not r.abstained for r in results),
        with_contains=sum(r.contains_rate is not None for r in results),
        hit_at_1=_mean([r.hit_at_1 for r in results]),
        hit_at_5=_mean([r.hit_at_5 for r in results]),
        mrr=_mean([r.reciprocal_rank for r in results]),
        citation_hit=_mean([r.citation_hit for r in results]),
        citation_precision=_mean([r.citation_precision for r in results]),
        citation_recall=_mean([r.citation_recall for r in results]),
        contains_rate=_mean([r.contains_rate for r in results]),
        abstention_accuracy=sum(r.abstention_correct for r in results) / len(results),
        ask_p50=float(np.percentile(latencies, 50)),
        ask_p95=float(np.percentile(latencies, 95)),
    )


# -- topics ------------------------------------------------------------------------------------------------


def _score_topic(surveyor: Surveyor, entry: Topic) -> TopicResult:
    started = time.perf_counter()
    topic, rule = entry.topic, entry.on_topic
    # The draft's own retrieval, which returns nothing exactly when no paper clears the relevance floor.
    if not surveyor.search(topic, k=1):
        return TopicResult(topic, False, 0, 0, None, None, 0, time.perf_counter() - started)
    draft = surveyor.draft(topic)
    seconds = time.perf_counter() - started
    themes = [[pid for p in s.paragraphs for pid in p.citations] for s in draft.sections]
    ids = list(dict.fromkeys(pid for theme in themes for pid in theme))
    vectors = dict(zip(ids, surveyor.drafter().paper_vectors(ids)))
    return TopicResult(
        topic=topic,
        covered=True,
        sections=len(draft.sections),
        papers_cited=len(draft.references),
        citation_precision=draft_citation_precision(draft),
        theme_cohesion=theme_cohesion(themes, vectors),
        dangling_citations=dangling_citations(draft),
        seconds=seconds,
        on_topic_share=on_topic_share(draft.references, rule) if rule else None,
        off_topic=[p.key for p in draft.references if rule and not _matches(p, rule)],
    )


def on_topic_share(papers: list[Paper], rule: re.Pattern[str]) -> float | None:
    """Cited papers whose title + abstract match the topic's `on_topic` rule / cited papers. The rule is the
    team's own definition of the topic's angle (a draft on faster diffusion sampling should cite work on
    speed, not any diffusion paper); None when the draft cites nothing."""
    if not papers:
        return None
    return sum(_matches(p, rule) for p in papers) / len(papers)


def _matches(paper: Paper, rule: re.Pattern[str]) -> bool:
    """Whether the rule finds a match in the title and abstract, joined by a space into one line."""
    return rule.search(" ".join(f"{paper.title} {paper.abstract}".split())) is not None


def draft_citation_precision(draft: Draft) -> float | None:
    """Citations the verifier kept / citations the writer made, counting one citation per `[n]` number in a
    sentence. A draft keeps only supported citations, so the ones it dropped are counted from its warnings
    ('removed citation ...': unsupported by the cited abstract, or naming no source). None when the writer
    cited nothing."""
    kept = sum(1 <= n <= len(draft.references) for n in _draft_markers(draft))
    made = kept + sum(w.startswith(REMOVED) for w in draft.warnings)
    return kept / made if made else None


def theme_cohesion(themes: list[list[str]], vectors: dict[str, np.ndarray]) -> float | None:
    """Mean cosine similarity of two papers cited in the same theme minus that of two papers cited in
    different themes, over all pairs of distinct papers (`vectors` are unit vectors, one per paper id).
    Positive when themes group similar papers; None without at least one pair of each kind."""
    members = [(t, pid) for t, theme in enumerate(themes) for pid in dict.fromkeys(theme)]
    within: list[float] = []
    across: list[float] = []
    for (t1, a), (t2, b) in combinations(members, 2):
        if a != b:
            (within if t1 == t2 else across).append(float(vectors[a] @ vectors[b]))
    if not within or not across:
        return None
    return float(np.mean(within) - np.mean(across))


def dangling_citations(draft: Draft) -> int:
    """`[n]` numbers in the text that name no reference, plus references no `[n]` names."""
    numbers = _draft_markers(draft)
    unresolved = sum(not 1 <= n <= len(draft.references) for n in numbers)
    uncited = len(set(range(1, len(draft.references) + 1)) - set(numbers))
    return unresolved + uncited


def summarize_topics(results: list[TopicResult]) -> TopicSummary:
    covered = [r for r in results if r.covered]
    return TopicSummary(
        topics=len(results),
        covered=len(covered),
        citation_precision=_mean([r.citation_precision for r in covered]),
        theme_cohesion=_mean([r.theme_cohesion for r in covered]),
        dangling_citations=sum(r.dangling_citations for r in results),
        on_topic_share=_mean([r.on_topic_share for r in covered]),
    )


# -- helpers -----------------------------------------------------------------------------------------------


def _markers(text: str) -> list[int]:
    """Every number of every `[n]`, `[n, m]` or `[n-m]` marker in `text`, in order."""
    return [n for match in MARKER.finditer(text) for n in expand_marker(match.group(1))]


def _draft_markers(draft: Draft) -> list[int]:
    return [n for section in draft.sections for p in section.paragraphs for n in _markers(p.text)]


def _mean(values: list[float | bool | None]) -> float | None:
    applicable = [float(v) for v in values if v is not None]
    return sum(applicable) / len(applicable) if applicable else None


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _topic_line(result: TopicResult) -> str:
    if not result.covered:
        return f"{result.topic!r}: not covered by the corpus"
    line = (
        f"{result.topic!r}: {result.sections} themes, {result.papers_cited} papers cited, citation precision "
        f"{_fmt(result.citation_precision)}, theme cohesion {_fmt(result.theme_cohesion)}, "
        f"{result.dangling_citations} dangling"
    )
    if result.on_topic_share is None:
        return line
    shown = ", ".join(result.off_topic[:OFF_TOPIC_SHOWN])
    more = len(result.off_topic) - OFF_TOPIC_SHOWN
    off = f" (off topic: {shown}{f' and {more} more' if more > 0 else ''})" if result.off_topic else ""
    return f"{line}, on-topic {_fmt(result.on_topic_share)}{off}"


def _missed(result: QuestionResult) -> str:
    """Why a question falls short ('' when it does not), for the report's list of misses."""
    reasons = [
        reason
        for reason, failed in (
            ("expected paper not in the top 5", result.hit_at_5 is False),
            ("expected paper not cited", result.citation_hit is False),
            ("expected strings missing", result.contains_rate is not None and result.contains_rate < 1),
            ("abstained" if result.abstained else "answered, but out of scope", not result.abstention_correct),
        )
        if failed
    ]
    return f"line {result.line} ({'; '.join(reasons)}): {result.question}" if reasons else ""
