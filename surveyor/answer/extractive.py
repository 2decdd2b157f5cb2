"""The offline answerer: the abstract sentences that answer the question, chosen and ordered for what the
question asks (a definition first, the number first, the work named, one line per approach), rewritten
in the third person, each followed by its source marker.

A sentence is used only when it answers the question (a relevance floor against the question itself,
not only against the best sentence); an answer about one paper stays on that paper; a sentence that
opens on an unresolved "This ..." comes with the sentence before it, or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from surveyor.records import Hit
from surveyor.text.prose import LEAD, Names, third_person
from surveyor.text.question import Reading, defines
from surveyor.text.roles import BACKGROUND

MAX_SENTENCES = 4
MAX_ITEMS = 6
# Below this relevance a sentence does not answer the question at all.
FLOOR = 0.3
# Sentences that only make sense after the one before them.
_ANAPHORIC = re.compile(
    r"^(?:This|These|Those|Such|It|They|Its|Their|However|Moreover|Furthermore|In addition|Additionally|Thus|"
    r"Hence|Therefore|Consequently|As a result|Here|Then)\b(?!\s+(?:paper|work|study|article)\b)"
)
_LINK = re.compile(r"https?://|www\.|github\.com", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """One abstract sentence of one retrieved paper, and how well it answers the question."""

    source: int  # the hit's 1-based position: its [n]
    index: int  # the sentence's position in the abstract
    text: str
    background: bool
    relevance: float
    states_number: bool
    coverage: float  # share of the question's term weight it holds

    @property
    def anaphoric(self) -> bool:
        return bool(_ANAPHORIC.match(self.text))


def compose(reading: Reading, hits: list[Hit], candidates: list[Candidate], named: set[int]) -> str:
    """Answer text with `[n]` markers; list items on lines of their own ('- ...').
    `named`: sources whose short name the question mentions (the paper asked about)."""
    usable = [c for c in candidates if c.relevance >= FLOOR and not _LINK.search(c.text)]
    if not usable:
        return ""
    if reading.intent == "broad":
        items = _approaches(usable)
        if len(items) >= 2:
            names = Names()
            lines = [f"- {third_person(c.text, hits[c.source - 1].paper, c.source, names)}" for c in items]
            return "\n".join([f"{len(items)} approaches in the corpus address this:", *lines])
    chosen = _with_context(_chosen(reading, usable, named), candidates)
    names = Names(title_first=reading.intent == "which")
    return " ".join(third_person(c.text, hits[c.source - 1].paper, c.source, names) for c in chosen)


def _chosen(reading: Reading, usable: list[Candidate], named: set[int]) -> list[Candidate]:
    """The sentences to say, lead first."""
    ranked = sorted(usable, key=lambda c: c.relevance, reverse=True)
    lead: list[Candidate] = []
    if reading.intent == "definition":
        lead = [c for c in ranked if defines(c.text, reading.term)][:1]
    elif reading.intent == "fact":
        lead = [c for c in ranked if c.states_number and c.relevance >= 0.75 * ranked[0].relevance][:1]
    elif reading.intent == "which":
        lead = [c for c in ranked if c.source == ranked[0].source and LEAD.match(c.text)][:1] or ranked[:1]
    rest = _focused(ranked, named, lead)
    ordered = _reading_order([c for c in rest if c not in lead])
    return (lead + ordered)[:MAX_SENTENCES]


def _focused(ranked: list[Candidate], named: set[int], lead: list[Candidate]) -> list[Candidate]:
    """The best sentences, at most two per paper and none that merely repeats another. When one paper
    answers clearly better than the rest (or the question names it), the answer stays on that paper."""
    best = ranked[0].relevance
    by_paper: dict[int, float] = {}
    for c in ranked:
        by_paper.setdefault(c.source, c.relevance)
    papers = sorted(by_paper, key=lambda s: by_paper[s], reverse=True)
    focus = next(iter(named & set(papers)), None)
    if focus is None and (len(papers) == 1 or by_paper[papers[1]] < 0.85 * by_paper[papers[0]]):
        focus = papers[0]
    chosen: list[Candidate] = list(lead)
    for c in ranked:
        if len(chosen) >= MAX_SENTENCES:
            break
        floor = 0.97 * best if focus is not None and c.source != focus else 0.75 * best
        if c.background:
            floor = max(floor, 0.9 * best)  # background only when it answers the question itself
        same = [x for x in chosen if x.source == c.source]
        if c.relevance < floor or len(same) >= 2 or c in chosen or any(_repeats(c.text, x.text) for x in chosen):
            continue
        chosen.append(c)
    return chosen


def _approaches(usable: list[Candidate]) -> list[Candidate]:
    """One sentence per paper for a survey question: the papers whose own sentences answer it (holding
    most of its terms), each by its most relevant contribution sentence ('We propose ...' when close)."""
    top = max(c.relevance for c in usable)
    items = []
    for source in dict.fromkeys(c.source for c in usable):
        own = [c for c in usable if c.source == source and not c.background and not c.anaphoric]
        if not own or max(c.coverage for c in own) < 0.5 or max(c.relevance for c in own) < 0.6 * top:
            continue
        best = max(c.relevance for c in own)
        items.append(max(own, key=lambda c: (c.relevance >= 0.85 * best and bool(LEAD.match(c.text)), c.relevance)))
    return sorted(items, key=lambda c: c.relevance, reverse=True)[:MAX_ITEMS]


def _with_context(chosen: list[Candidate], candidates: list[Candidate]) -> list[Candidate]:
    """A sentence opening on 'This ...' comes after the sentence it refers back to, or is left out."""
    position = {(c.source, c.index): c for c in candidates}
    result: list[Candidate] = []
    for c in chosen:
        before = position.get((c.source, c.index - 1))
        if c.anaphoric and before is not None and before not in result and before not in chosen:
            if before.anaphoric or len(before.text) > 350 or _LINK.search(before.text):
                continue
            result.append(before)
        elif c.anaphoric and before is None:
            continue
        result.append(c)
    return result


def _reading_order(chosen: list[Candidate]) -> list[Candidate]:
    """Papers in the order they first matter, each paper's sentences in abstract order."""
    first = {c.source: i for i, c in reversed(list(enumerate(chosen)))}
    return sorted(chosen, key=lambda c: (first[c.source], c.index))


def _repeats(a: str, b: str) -> bool:
    x, y = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return len(x & y) / max(len(x | y), 1) > 0.6


def is_background(roles: str, index: int) -> bool:
    return index < len(roles) and roles[index] == BACKGROUND
