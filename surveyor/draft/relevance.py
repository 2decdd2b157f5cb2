"""Which retrieved papers a draft is about: re-scored against the topic's own angle, cut at a floor.

Retrieval ranks papers by how much they resemble the query, so a draft on "accelerating diffusion model
inference" gets every diffusion paper. The angle is what sets the topic apart within its field: the topic's
words that most candidates lack ("accelerating", "inference"), where the field's words ("diffusion",
"model") are in nearly all of them. A paper's relevance weighs its similarity to the whole topic, its
similarity to the angle, how much of the angle its own text holds, and how closely its words match the topic's
word by word (see `TOKEN_WEIGHT`); a paper is kept when it stands out from the typical candidate (see
`FLOOR_SHARE`), up to the cap.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from surveyor.records import Paper
from surveyor.text.phrases import noun_phrases
from surveyor.text.sentences import split_sentences
from surveyor.text.tokens import STOPWORDS, same_term, shared_prefix, tokenize

# A topic word held by at least this share of the candidates names the field, not the angle.
FIELD_SHARE = 0.6
# Weights of the three signals: similarity to the topic, to its angle, and the angle's words held.
WEIGHTS = (1.0, 1.0, 0.6)
# The floor lies this share of the way from the median candidate's relevance to the best one's.
FLOOR_SHARE = 0.4
# A word in this share of the corpus's passages or more ('model', 'learning') says nothing of a paper's field.
COMMON_SHARE = 0.5
# A candidate less similar to the whole topic than this share of the candidates is outside its field, however
# well it matches the angle (a paper on faster mixture-of-experts inference, for a topic on faster diffusion).
FIELD_QUANTILE = 0.1
# A paper this relevant is on the topic however the rest compare (a small corpus, a topic it covers well).
CLEARLY_RELEVANT = 0.6
# A drop in relevance this sharp between two papers that cleared the floor (the typical step is a tenth of it or
# less) separates the topic's papers from the next cluster, once at least `BREAK_AFTER` are above it.
BREAK = 0.1
BREAK_AFTER = 3
# A smaller drop breaks too where it stands out from the steps above it ('multi-subject composition': five papers
# 0.03 apart, then 0.08 down to text-to-image papers composing nothing).
SMALL_BREAK = 0.05
STEPS = 5
MIN_STEP = 0.001
# Fewer candidates than this show no background level: the retriever's own floor is the only one.
MIN_BACKGROUND = 20
# A rare word is a strong sign, but one odd word ('low-bit') must not outweigh the rest of the angle.
MAX_IDF = 1.5
# A topic opening on an act ('merging trained networks in weight space', 'detecting out-of-distribution inputs') is
# about that act: when the act is part of the angle, its word weighs this many times the rest of the angle together,
# so papers holding only the rest ('learning in weight space') rank below those that do it.
ACT_WEIGHT = 2.0
# A topic's opening '-ing' word that this many candidates write in the plural is a noun ('embeddings').
NOUN_USES = 2
# The topic read word by word: each of its word pieces, as the model reads it in context, finds its best match among
# a candidate's (each of the candidate's sentences read alone), and the matches are averaged. It finds 'generating
# weights' for 'write the parameters', which pooled vectors blur. It weighs this much beside `WEIGHTS`.
TOKEN_WEIGHT = 1.0
# Reading every candidate so costs ~35 ms a paper: only the best this many by the other signals are read (the rest
# never reach the floor, which lies above the median candidate), the others take the least match of those read.
READ_CLOSELY = 80
# From an abstract (rather than a topic), the angle is its most distinctive words, at most this many.
MAX_ANGLE_WORDS = 8
# A single line longer than this is read as an abstract too.
ABSTRACT_WORDS = 40


@dataclass(frozen=True)
class Concept:
    """One topic word as written ('mixture-of-experts'), its token, and its parts when it is a compound."""

    word: str
    token: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Scored:
    """A candidate paper and its relevance in [0, 1]."""

    paper: Paper
    relevance: float


@dataclass(frozen=True)
class Selection:
    """The papers a draft is about (best first), the candidates that fell short, and why they did."""

    kept: list[Scored]
    relevant: int  # candidates at or above the floor, before the cap
    candidates: int
    floor: float
    angle: str
    near_misses: list[tuple[Scored, str]]


def concepts(text: str) -> list[Concept]:
    """The content words of `text`, once each; a hyphenated compound is one concept."""
    found: dict[str, Concept] = {}
    for word in re.findall(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", text):
        tokens = tokenize(word)
        if not tokens or word.lower() in STOPWORDS or word.lower() in _PHRASING:
            continue
        parts = tuple(tokenize(word.replace("-", " "))) if "-" in word else (tokens[0],)
        found.setdefault(tokens[0], Concept(word, tokens[0], parts))
    return list(found.values())


# Words of how a topic is phrased, not of what it is about ('making training robust to failures').
_PHRASING = frozenset("make makes making using use towards toward approaches methods techniques".split())


def field_terms(topic: str, angle: str) -> frozenset[str]:
    """The topic's tokens that name its field rather than its angle ('diffusion', 'model' in 'accelerating
    diffusion model inference'); with no angle recorded, none."""
    if not angle or angle == topic:
        return frozenset()
    angle_tokens = {t for c in concepts(angle) for t in (c.token, *c.parts)}
    return frozenset(t for c in concepts(topic) for t in (c.token, *c.parts) if t not in angle_tokens)


def restates_topic(key: Sequence[str], topic: str, field: frozenset[str]) -> bool:
    """Whether a phrase (as tokens) only restates the topic: its words are all the field's, or all the topic's
    (acronyms of its terms included: 'MoE', 'GNNs'), unless the topic coordinates alternatives ('detection and
    generalization') and the phrase names exactly one of them."""
    tokens = set(key)
    if tokens <= field:
        return True
    if not tokens <= _topic_tokens(topic):
        return False
    coordinated = {
        t for pair in re.findall(r"([\w-]+)\s+(?:and|or)\s+([\w-]+)", topic) for w in pair for t in tokenize(w)
    }
    return len(tokens & coordinated) != 1


def covers_topic(key: Sequence[str], topic: str, field: frozenset[str]) -> bool:
    """Whether a phrase names the whole topic: every word of its angle, or its acronym ('Graph Neural Networks'
    or 'GNNs' for 'graph neural networks')."""
    angle = {t for t in tokenize(topic) if t not in field}
    words = [w for w in re.findall(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", topic) if w.lower() not in STOPWORDS]
    acronym = "".join(p[0].lower() for w in words for p in w.split("-") if p)
    if len(acronym) >= 2 and {acronym, acronym + "s"} & set(key):
        return True
    return bool(angle) and angle <= set(key) | {p for t in key for p in tokenize(t.replace("-", " "))}


@lru_cache(maxsize=256)
def _topic_tokens(topic: str) -> frozenset[str]:
    """The topic's tokens, the parts of its compounds, and the acronyms of its word runs ('moe', 'gnn')."""
    words = re.findall(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", topic)
    tokens = {t for w in words for t in tokenize(w.replace("-", " ")) + tokenize(w)}
    letters = [p[0].lower() for w in words if w.lower() not in STOPWORDS for p in w.split("-") if p]
    for size in range(2, 5):
        for start in range(len(letters) - size + 1):
            acronym = "".join(letters[start : start + size])
            tokens |= {acronym, acronym + "s"}
    return frozenset(tokens)


def presence(concept: Concept, title: Counter[str], abstract: Counter[str]) -> float:
    """1 when the paper's title holds the concept or its abstract does twice; 0.5 for one passing mention."""
    in_title, in_abstract = _count(concept, title), _count(concept, abstract)
    if in_title or in_abstract >= 2:
        return 1.0
    return 0.5 if in_abstract else 0.0


def select(
    query: str,
    papers: Sequence[Paper],
    chunk_vectors: Sequence[np.ndarray],
    query_vector: np.ndarray,
    embed: Callable[[str], np.ndarray],
    cap: int,
    near_misses: int = 10,
    common: frozenset[str] = frozenset(),
    token_states: Callable[[Sequence[str]], list[np.ndarray] | None] | None = None,
) -> Selection:
    """Score `papers` (with each paper's chunk vectors, rows of unit vectors) against `query` and keep
    those at or above the floor and within the topic's field, at most `cap`. The near-misses are those the
    cap left out (up to `near_misses`), then the best of those that fell short (at least half as many).
    `common`: tokens the whole corpus uses (half its passages or more), which say nothing of a paper's field.
    `token_states`: the embedding model's per-token vectors of texts, when it shows them (see `TOKEN_WEIGHT`)."""
    if not papers:
        return Selection([], 0, 0, 0.0, "", [])
    bags = [(_bag(p.title), _bag(p.abstract)) for p in papers]
    held, weights, angle = _angle(query, bags, _opens_on_act(query, papers))
    angle_vector = embed(angle) if angle != query else query_vector
    topic_similarity = np.array([float((v @ query_vector).max()) for v in chunk_vectors])
    angle_similarity = np.array([float((v @ angle_vector).max()) for v in chunk_vectors])
    coverage = held @ weights / weights.sum() if weights.sum() > 0 else np.ones(len(papers))
    w_topic, w_angle, w_cover = WEIGHTS
    signals = w_topic * topic_similarity + w_angle * angle_similarity + w_cover * coverage
    matched = _token_match(query, papers, signals, token_states) if token_states else None
    if matched is None:
        relevance = signals / sum(WEIGHTS)
    else:
        relevance = (signals + TOKEN_WEIGHT * matched) / (sum(WEIGHTS) + TOKEN_WEIGHT)
    order = np.argsort(-relevance, kind="stable")
    floor = _floor(relevance)
    field = float(np.quantile(topic_similarity, FIELD_QUANTILE)) if len(papers) >= MIN_BACKGROUND else -1.0
    lacking = _lacking(query, bags, common) if len(papers) >= MIN_BACKGROUND else [None] * len(papers)
    passing, below = [], []
    for i in order:
        scored = Scored(papers[i], round(float(relevance[i]), 4))
        if scored.relevance < floor:
            below.append((scored, f"below the relevance floor ({scored.relevance:.3f} < {floor:.3f})"))
        elif lacking[i]:
            below.append((scored, f"never mentions {lacking[i]}, which the topic's subject names"))
        elif topic_similarity[i] < field:
            reason = f"outside the topic's field (similarity to the topic {topic_similarity[i]:.2f} < {field:.2f})"
            below.append((scored, reason))
        else:
            passing.append(scored)
    broken = _break(passing)
    below = [(x, f"below a break in relevance ({passing[broken - 1].relevance:.3f} to {x.relevance:.3f})")
             for x in passing[broken:]] + below
    passing = passing[:broken]
    beyond = [(s, f"beyond --max-papers ({cap})") for s in passing[cap:]]
    misses = beyond[:near_misses] + below[: max(near_misses // 2, near_misses - len(beyond))]
    return Selection(passing[:cap], len(passing), len(papers), floor, angle, misses)


def _token_match(
    query: str,
    papers: Sequence[Paper],
    signals: np.ndarray,
    token_states: Callable[[Sequence[str]], list[np.ndarray] | None],
) -> np.ndarray | None:
    """Per candidate, how well its words match the query's, word piece by word piece (`TOKEN_WEIGHT`); None when
    the model shows no token states."""
    read = np.argsort(-signals, kind="stable")[:READ_CLOSELY]
    texts = [[papers[i].title, *split_sentences(papers[i].abstract)] for i in read]
    asked = split_sentences(query) or [query]
    states = token_states([*asked, *(t for sentences in texts for t in sentences)])
    if states is None:
        return None
    words = np.vstack(states[: len(asked)])
    matched, at = np.zeros(len(papers)), len(asked)
    for i, sentences in zip(read, texts):
        own = np.vstack(states[at : at + len(sentences)])
        at += len(sentences)
        matched[i] = float((words @ own.T).max(axis=1).mean()) if len(own) and len(words) else 0.0
    matched[np.setdiff1d(np.arange(len(papers)), read)] = matched[read].min()
    return matched


def _lacking(query: str, bags: list[tuple[Counter[str], Counter[str]]], common: frozenset[str]) -> list[str | None]:
    """Per candidate, the words of the topic's subject it never mentions, if any. The subject is the topic's
    opening noun phrase ('diffusion models' in 'diffusion models as visual representation learners') and those
    after its prepositions ('diffusion models' in 'low-bit quantization of diffusion models'). When most
    candidates hold each word of such a phrase, it names the field the angle is taken in, and a paper without
    one of them (words the whole corpus uses, like 'models', aside) shares the angle, not the topic
    ('contrastive representation learning'; quantizing any network). A phrase that names the angle itself
    ('neural scaling laws') adds nothing."""
    lacking: list[list[str]] = [[] for _ in bags]
    for at, phrase in enumerate(_subject_phrases(query)):
        subject = {c.token for c in concepts(phrase)}
        found = [c for c in concepts(query) if c.token in subject and c.token not in common | _GENERAL]
        held = [[_count(c, title) + _count(c, abstract) > 0 for c in found] for title, abstract in bags]
        counts = [sum(h[j] for h in held) for j in range(len(found))]
        rare = [0 < n < FIELD_SHARE * len(bags) for n in counts]
        if any(rare) and (at == 0 or all(rare)):
            continue
        # What the rest takes place in names its field by a common word ('diffusion' of 'in text-to-image
        # diffusion', where few say 'text-to-image'): a paper holding none of them is outside it.
        if any(rare):
            field = [j for j, r in enumerate(rare) if not r and counts[j] and found[j].token not in _ANY_FIELD]
            for words, h in zip(lacking, held):
                if field and not any(h[j] for j in field):
                    words.append(" or ".join(found[j].word for j in field))
            continue
        for words, h in zip(lacking, held):  # (a word no candidate holds tells none of them apart)
            words.extend(c.word for c, has, n in zip(found, h, counts) if n and not has and c.word not in words)
    return [", ".join(words) or None for words in lacking]


# Words every kind of network or model is described with, which name no field ('for deep neural networks').
_ANY_FIELD = frozenset(tokenize("deep neural network networks model models learning machine architecture "
                                "architectures"))


# Words of size, number or kind that name no field however many candidates use them ('one large model').
_GENERAL = frozenset(tokenize("large small big huge tiny massive single one multiple many several various different "
                              "new novel simple complex general"))


def _subject_phrases(query: str) -> list[str]:
    """The topic's opening noun phrase ('diffusion models | and ...'), and those after its prepositions, what
    the rest acts on or takes place in ('representation learning in and for | diffusion models'); alternatives
    joined by 'and' stay one phrase there ('post-training and low-bit quantization')."""
    later = _PREPOSITION.split(query)[1:]
    opening = _SUBJECT_END.split(_LEADING_VERB.sub("", query), maxsplit=1)[0]
    return [opening, *(phrase for phrase in later if phrase.strip())]


# A topic opening on what is done to its subject: 'quantizing | diffusion models to low bit-widths' (the act, when
# it sets the topic apart, weighs most: `ACT_WEIGHT`).
_LEADING_VERB = re.compile(r"^\s*[A-Za-z]+ing\s+(?=[A-Za-z])")


_PREPOSITION = re.compile(r"\s+(?:of|as|for|in|inside|within|on|at|with|over|under|via|using|by|to|from)\s+|[:,;(]")
# Where a topic's opening noun phrase ends: 'diffusion models | as ...', 'quantization | of ...'.
_SUBJECT_END = re.compile(r"\s+(?:of|as|for|in|inside|within|on|at|with|over|under|via|using|by|to|and|or|from|that|"
                          r"which|who|whose)\s+|[:,;(]")


def _break(passing: list[Scored]) -> int:
    """How many of `passing` (best first) stand above the first sharp drop in relevance after the first
    `BREAK_AFTER` (the topic's papers, then a cluster that only shares its field): a drop of `BREAK`, or one of
    `SMALL_BREAK` that is `STEPS` times the typical step between the papers above it; all of them when there is none."""
    steps = [a.relevance - b.relevance for a, b in zip(passing, passing[1:])]
    for at in range(BREAK_AFTER, len(passing)):
        drop, typical = steps[at - 1], float(np.median(steps[: at - 1])) if at > 1 else 0.0
        if drop >= BREAK or (drop >= SMALL_BREAK and drop >= STEPS * max(typical, MIN_STEP)):
            return at
    return len(passing)


def _floor(relevance: np.ndarray) -> float:
    """Between the typical candidate and the best one, `FLOOR_SHARE` of the way up; never above
    `CLEARLY_RELEVANT`, and nothing when too few candidates came back to tell what is typical."""
    if len(relevance) < MIN_BACKGROUND:
        return 0.0
    best, typical = float(relevance.max()), float(np.median(relevance))
    return round(min(typical + FLOOR_SHARE * (best - typical), CLEARLY_RELEVANT), 4)


def _opens_on_act(query: str, papers: Sequence[Paper]) -> bool:
    """Whether the topic opens on an act ('merging trained networks'), not a noun that ends like one ('embedding
    table design': the candidates write of 'embeddings', where nobody writes of 'mergings')."""
    opening = _LEADING_VERB.match(query)
    if not opening or _is_abstract(query):
        return False
    word, following = (re.escape(re.sub(r"[^\w-]", "", w)) for w in query.split()[:2])
    # (Or as the head of a compound the candidates write: 'scaling laws', 'embedding tables'.)
    noun = re.compile(rf"\b{word}(?:s\b|\s+{following})", re.IGNORECASE)
    return sum(bool(noun.search(f"{p.title} {p.abstract}")) for p in papers) < NOUN_USES


def _angle(
    query: str, bags: list[tuple[Counter[str], Counter[str]]], act: bool = False
) -> tuple[np.ndarray, np.ndarray, str]:
    """(presence of each angle concept in each paper, each concept's weight, the angle as words); `act`: the
    topic opens on an act, which weighs most when it is part of the angle."""
    found = concepts(query)
    held = np.array([[presence(c, title, abstract) for c in found] for title, abstract in bags]).reshape(
        len(bags), len(found)
    )
    n = len(bags)
    frequency = (held > 0).sum(axis=0)
    idf = np.array([min(math.log((n + 1) / (f + 0.5)), MAX_IDF) for f in frequency])
    angle = [i for i, f in enumerate(frequency) if 0 < f < FIELD_SHARE * n]
    if _is_abstract(query) and len(found) > MAX_ANGLE_WORDS:  # its most distinctive nouns that candidates share
        counts = Counter(tokenize(query))
        nouns = {t for phrase in noun_phrases(query) for t in tokenize(phrase)}
        angle = [i for i in angle if found[i].token in nouns]
        angle = sorted(angle, key=lambda i: -idf[i] * math.log(1 + counts[found[i].token]))[:MAX_ANGLE_WORDS]
    if not angle:  # every topic word is in most candidates: the topic is its own angle
        return held, idf, query
    columns = sorted(angle)
    weights = idf[columns]
    if len(columns) > 1 and columns[0] == 0 and act:
        weights[0] = max(weights[0], ACT_WEIGHT * weights[1:].sum())
    return held[:, columns], weights, " ".join(found[i].word for i in columns)


def _is_abstract(query: str) -> bool:
    """An abstract (sentences) rather than a topic (one line, however long: every word of it is the angle)."""
    return len(split_sentences(query)) > 1 or len(query.split()) > ABSTRACT_WORDS


def _bag(text: str) -> Counter[str]:
    """Token counts; a compound also counts its parts ('communication-efficient' holds 'communication')."""
    bag: Counter[str] = Counter()
    for token in tokenize(text):
        bag[token] += 1
        if "-" in token:
            bag.update(tokenize(token.replace("-", " ")))
    return bag


def _related(a: str, b: str) -> bool:
    """The same word, or forms of one ('acceleration', 'accelerate', 'accelerat'), by a long shared prefix."""
    if a == b or same_term(a, b) or a.replace("-", "") == b.replace("-", ""):  # 'oversmoothing', 'over-smoothing'
        return True
    shortest = min(len(a), len(b))
    if shortest < 5 or "-" in a + b:
        return False
    return shared_prefix(a, b) >= max(5, shortest - 3)


def _count(concept: Concept, bag: Counter[str]) -> int:
    """How often the concept occurs: the word itself (or a longer form of it), or all its parts together."""

    def occurrences(token: str) -> int:
        return sum(n for word, n in bag.items() if _related(token, word))

    direct = occurrences(concept.token)
    if len(concept.parts) > 1:
        direct = max(direct, min(occurrences(p) for p in concept.parts))
    return direct
