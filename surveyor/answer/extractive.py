"""The offline answerer: the abstract sentences that answer the question, chosen and ordered for what the
question asks (a definition first, the number first, the work named, one line per approach), rewritten
in the third person, each followed by its source marker.

A sentence is used only when it answers the question (a relevance floor against the question itself,
not only against the best sentence); an answer about one paper stays on that paper; a sentence that
opens on an unresolved "This ..." comes with the sentence before it, or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from surveyor.answer.followup import Context
from surveyor.records import Hit
from surveyor.text.prose import ADDITIVE, LEAD, Names, third_person
from surveyor.text.question import Reading, defines
from surveyor.text.roles import own_names

MAX_SENTENCES = 5
MAX_ITEMS = 6
# Below this relevance a sentence does not answer the question at all.
FLOOR = 0.15
# Sentences that only make sense after the one before them: they open on a reference back or a connective,
# or go on with an enumerated item.
_ANAPHORIC = re.compile(
    r"^(?:This|These|Those|Such|It|They|Its|Their|However|Thus|"
    r"Hence|Therefore|Consequently|As a result|Here|Then|Yet|But|Still|Instead|Nevertheless|Nonetheless|"
    r"Unfortunately|Meanwhile|Conversely|Likewise|Similarly)\b(?!\s+(?:paper|work|study|article|contribution)\b)|"
    r"^\(?(?:\d{1,2}|[ivx]{1,4}|[a-e])\)\s"  # '(2) ...': an item of a list begun before
)
# "We show that this scaling ...": a reference back early in the sentence (but "To tackle this issue, we
# propose X" is the paper speaking of its own contribution, and reads on its own).
_REFERS_BACK = re.compile(
    r"^(?:\S+\s+){0,5}?(?:this|these|those|such|the above|the aforementioned) "
    r"(?!(?:paper|work|study|article|letter|report|contribution|as)\b)[a-z]+|"
    r"^[^,;]*?\bsuch (?!(?:as|a|an|that)\b)[a-z]+"  # 'Although training with such dropout rates is impossible, ...'
)
# A sentence about prior work answers "how" or "what" questions less well than the paper's own.
_BACKGROUND_WEIGHT = 0.85
# Beside the paper that answers best, another paper's sentence must reach this share of the best relevance
# and hold a quarter of the question's term weight, and half as much of it as the best sentence holds
# (measured on the example and held-out questions: multi-paper answers stay, padding goes).
_OTHER_RELEVANCE, _OTHER_COVERAGE, _OTHER_COVERAGE_SHARE = 0.6, 0.25, 0.5
_LOW_COVERAGE = 0.3
_OTHER_SIMILARITY = 0.8
# Sentences from the paper that answers best (the rest of the answer's room goes to other papers, two each),
# each at least this share of the best sentence's relevance.
_FOCUS_SENTENCES, _FOCUS_FLOOR = 3, 0.6
_LINK = re.compile(r"https?://|www\.|github\.com", re.IGNORECASE)
_ASKS = re.compile(r"\?\s*$")
# A 'how do they ...' / 'why ...' question leads with the sentence saying by what means / for what reason when it
# reaches this share of the best.
_METHOD_SHARE = 0.5
# Papers whose best sentence reaches this share of the best one's answer about as well.
_LEVEL = 0.97
# A sentence an earlier answer of the conversation already showed counts for this share of its relevance.
_SAID_WEIGHT = 0.8
# At most this much text comes along with a sentence, for it to read (what it leans on, back to one that
# stands alone).
_LEANED_ON_CHARS = 600
# A follow-up stays on the paper the conversation is about when its best sentence reaches this share of the
# best sentence of any paper, and its passage this share of the closest passage's similarity.
_SUBJECT_SHARE, _SUBJECT_SIMILARITY = 0.75, 0.9


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
    paper_similarity: float = 0.0  # how similar the question is to the paper's best passage

    @property
    def anaphoric(self) -> bool:
        text = ADDITIVE.sub("", self.text)  # 'Moreover, we find ...' stands alone; 'Moreover, this ...' does not
        back, lead = _REFERS_BACK.match(text), LEAD.match(text)
        if lead is not None:
            # 'Hence, we propose X' / 'To tackle this, we propose X': the lead-in is dropped when the paper is
            # named ('One study [1] proposes X'); a reference back after the verb still points back.
            return back is not None and back.end() > lead.end("verb")
        return bool(_ANAPHORIC.match(text)) or back is not None


def compose(
    reading: Reading, hits: list[Hit], candidates: list[Candidate], named: set[int], context: Context = Context()
) -> str:
    """Answer text with `[n]` markers; list items on lines of their own ('- ...').
    `named`: sources whose short name the question mentions (the paper asked about); `context`: what the
    conversation already showed, which a follow-up's answer repeats only when nothing new answers as well,
    and the papers the follow-up leans on, which it stays on when they answer nearly as well as any."""
    # A question the abstract asks ('How hard is it to ...?') states nothing.
    usable = [c for c in candidates if c.relevance >= FLOOR and not _LINK.search(c.text) and not _ASKS.search(c.text)]
    if not usable:
        return ""
    if reading.kind is not None:
        # 'What fix do they propose for it?': a sentence naming one ('we propose to mitigate ...') may share no other
        # word with the question, and still answer it for a paper that does.
        answering = {c.source for c in usable}
        usable += [c for c in candidates if c.source in answering and c not in usable and reading.names_asked(c.text)
                   and not _LINK.search(c.text) and not _ASKS.search(c.text)]
    if reading.intent == "broad":
        items = _approaches(usable)
        if len(items) >= 2:
            names = Names()
            lines = [f"- {third_person(c.text, hits[c.source - 1].paper, c.source, names)}" for c in items]
            return "\n".join([f"{len(items)} approaches in the corpus address this:", *lines])
    named = _asked_about(named, hits, usable)
    subject = {n for n, h in enumerate(hits, 1) if h.paper.paper_id in context.subject}
    picked = _chosen(reading, usable, named, subject, context.said)
    chosen = _with_context(picked, candidates, context.said)
    while len(chosen) > MAX_SENTENCES and len(picked) > 1:
        # What the least relevant sentence (and what it leans on) takes makes room for the rest, the lead kept.
        picked.remove(min(picked[1:], key=lambda c: c.relevance))
        chosen = _with_context(picked, candidates, context.said)
    if not chosen:  # each sentence chosen leans on one before it that cannot come along: say what stands alone
        chosen = _chosen(reading, [c for c in usable if not c.anaphoric], named, subject, context.said)
    chosen = chosen[:MAX_SENTENCES]
    names = Names(title_first=reading.intent == "which")
    return " ".join(third_person(c.text, hits[c.source - 1].paper, c.source, names) for c in chosen)


def _asked_about(named: set[int], hits: list[Hit], usable: list[Candidate]) -> set[int]:
    """The named papers the question asks about: not one that the paper answering best, another, speaks of
    ('how much does a memory bank speed up SiT training?' asks about the paper that sped SiT up)."""
    best = max(usable, key=lambda c: c.relevance)
    named = {n for n in named if any(c.source == n for c in usable)}  # a named paper with nothing to say is not asked
    if not named or best.source in named:
        return named
    names = [name for n in named for name in own_names(hits[n - 1].paper) if len(name) >= 3]
    abstract = hits[best.source - 1].paper.abstract
    if any(re.search(rf"\b{re.escape(name)}\b", abstract) for name in names):
        return set()
    return named


def _chosen(
    reading: Reading, usable: list[Candidate], named: set[int], subject: set[int], said: tuple[str, ...]
) -> list[Candidate]:
    """The sentences to say, lead first. The paper that answers best (in a follow-up, the one it leans on when
    that answers nearly as well), and the bar other sentences are held to, are set before what the
    conversation already said counts: a follow-up stays on its paper, with what it has not shown yet first."""
    if not usable:
        return []
    if reading.intent != "definition":
        usable = [replace(c, relevance=c.relevance * _BACKGROUND_WEIGHT) if c.background else c for c in usable]
    best = max(usable, key=lambda c: (c.relevance, c.paper_similarity))  # on a tie, the paper closer in meaning
    leaned = max((c for c in usable if c.source in subject), key=lambda c: c.relevance, default=None)
    if (not named and leaned is not None and leaned.relevance >= _SUBJECT_SHARE * best.relevance
            and leaned.paper_similarity >= _SUBJECT_SIMILARITY * best.paper_similarity):
        best = leaned
    # A question stating a number ('what FID does it reach with 39 NFEs?') points at the sentence stating it.
    # (Not where it names a measure the sentence lacks: 'which FID did it reach on ImageNet 256?')
    pointed = [c for c in usable if reading.repeats_given(c.text)
               and (not reading.metric or reading.holds_measure(c.text) or reading.answers_given(c.text))]
    if pointed and not named:
        best = max(pointed, key=lambda c: (c.relevance, c.paper_similarity))
    usable = [replace(c, relevance=c.relevance * _SAID_WEIGHT) if _is_said(c.text, said) else c for c in usable]
    ranked = sorted(usable, key=lambda c: c.relevance, reverse=True)
    lead: list[Candidate] = []
    top_paper = min(named) if named else best.source  # the paper asked about, else the one that answers best
    if reading.intent == "definition":
        lead = [c for c in ranked if defines(c.text, reading.term)][:1]
    elif reading.intent == "fact":
        # The number, from the paper that answers best: a bare "828x faster" shares few words with the question.
        # A number of the measure asked about ('more than ten times faster') may share no other word with it.
        numbered = [c for c in ranked
                    if (c.states_number or reading.states_count(c.text) or reading.counts_asked(c.text))
                    and (c.relevance >= 0.5 * best.relevance or reading.holds_measure(c.text)
                         or (reading.counts_asked(c.text) and c.source == top_paper))]
        # A duration first, when one is asked for; a count of what 'how many X' counts, or a number of the
        # measure asked about, before other numbers.
        numbered.sort(key=lambda c: (bool(reading.metric) and not reading.holds_measure(c.text)
                                     and not reading.answers_given(c.text),
                                     not reading.repeats_given(c.text), not reading.answers_kind(c.text),
                                     not reading.counts_asked(c.text), not reading.holds_measure(c.text),
                                     not reading.states_how_it_fared(c.text)))
        lead = [c for c in numbered if c.source == top_paper][:1] or numbered[:1]
        # A second number when the question asks of two things and the first leaves one out ('how much does it
        # cut latency and raise throughput?').
        lead += [c for c in numbered if lead and c.source == lead[0].source and c is not lead[0]
                 and reading.adds_to(c.text, lead[0].text)][:1]
    elif reading.kind is not None:
        # 'What dataset was it evaluated on?': the sentence of the paper that answers best naming one (it
        # seldom shares more than that word with the question: any sentence above the floor will do).
        # A sentence naming them one by one ('on Cora, Citeseer, and Pubmed') before one only saying 'benchmarks'.
        naming = [c for c in ranked if c.source == top_paper and reading.names_asked(c.text)]
        lead = sorted(naming, key=lambda c: (not reading.lists_names(c.text), not reading.says_done(c.text)))[:1]
    elif reading.explained_by is not None:
        # 'How do they adapt quickly?', 'why does X fail?': the paper's own sentence saying by what means or for
        # what reason, when it answers nearly as well.
        # The reason 'why' may lie in the problem the paper sets out from, a background sentence.
        # For 'why', of the papers answering about as well as the best one, the first whose sentence says it.
        level = ({c.source for c in ranked if c.relevance >= _LEVEL * best.relevance}
                 if reading.reason and not named else set())
        # For 'how is X solved?', the sentence saying what solves it ('... provably fixes this problem') first.
        lead = [c for c in ranked if (c.source == top_paper or c.source in level)
                and (reading.reason or not c.background) and (reading.explains(c.text) or reading.says_remedy(c.text))
                # (holding a word asked, unless it is the answering paper's proposal asked for)
                and ((c.coverage > 0 and c.relevance >= _METHOD_SHARE * best.relevance)
                     or (reading.proposal and c.source == top_paper))]
        lead = sorted(lead, key=lambda c: not reading.says_remedy(c.text))[:1]
        if lead and lead[0].source != best.source:
            best = max((c for c in ranked if c.source == lead[0].source), key=lambda c: c.relevance)
    elif reading.intent == "which":
        lead = [c for c in ranked if c.source == best.source and LEAD.match(c.text)][:1] or ranked[:1]
    if lead and reading.intent == "definition":  # one definition is enough
        ranked = [c for c in ranked if c in lead or not defines(c.text, reading.term)]
    rest = _focused(ranked, named, lead, best)
    ordered = _reading_order([c for c in rest if c not in lead], best.source)
    return (lead + ordered)[:MAX_SENTENCES]


def _focused(ranked: list[Candidate], named: set[int], lead: list[Candidate], best: Candidate) -> list[Candidate]:
    """The best sentences, at most two per paper (three for the paper that answers best, when there is room)
    and none that merely repeats another. Beside the paper that answers best, another paper's sentence must
    hold enough of what the question asks about (its terms, rarer ones weighing more), so a paper sharing one
    word with the question ("video") stays out. When the question names a paper, the answer stays on it."""
    focus = next(iter(named), None) if named else best.source
    chosen: list[Candidate] = list(lead)
    for c in ranked:
        if len(chosen) >= MAX_SENTENCES:
            break
        if c.source == focus:
            floor, enough = _FOCUS_FLOOR * best.relevance, 0.0
        elif named:
            floor, enough = 0.97 * best.relevance, best.coverage
        else:
            # When even the best sentence holds little of the question (it is phrased unlike the papers),
            # the absolute part of the bar would leave every other paper out: then only the share counts.
            least = _OTHER_COVERAGE if best.coverage >= _LOW_COVERAGE else 0.0
            floor, enough = _OTHER_RELEVANCE * best.relevance, max(least, _OTHER_COVERAGE_SHARE * best.coverage)
            if c.paper_similarity < _OTHER_SIMILARITY * best.paper_similarity:
                continue  # a paper that shares the question's words but not what it is about
        same = [x for x in chosen if x.source == c.source]
        if c.relevance < floor or c.coverage < enough or len(same) >= 2 or c in chosen:
            continue
        if any(_repeats(c.text, x.text) for x in chosen):
            continue
        chosen.append(c)
    # Room left once every paper had its say: more of the paper that answers best (where the fact often is).
    for c in ranked:
        if len(chosen) >= MAX_SENTENCES or sum(x.source == focus for x in chosen) >= _FOCUS_SENTENCES:
            break
        if c.source == focus and c.relevance >= _FOCUS_FLOOR * best.relevance and c not in chosen:
            if not any(_repeats(c.text, x.text) for x in chosen):
                chosen.append(c)
    return chosen


def _approaches(usable: list[Candidate]) -> list[Candidate]:
    """One sentence per paper for a survey question: the papers whose own sentences answer it (holding
    most of its terms), each by its most relevant contribution sentence ('We propose ...' when close)."""
    top = max(c.relevance for c in usable)
    covered = max(c.coverage for c in usable)
    similar = max(c.paper_similarity for c in usable)
    items = []
    for source in dict.fromkeys(c.source for c in usable):
        own = [c for c in usable if c.source == source and not c.background and not c.anaphoric]
        if not own or own[0].paper_similarity < _OTHER_SIMILARITY * similar:
            continue
        if max(c.coverage for c in own) < max(_OTHER_COVERAGE, 0.6 * covered) or max(c.relevance for c in own) < 0.6 * top:
            continue
        best = max(c.relevance for c in own)
        items.append(max(own, key=lambda c: (c.relevance >= 0.85 * best and bool(LEAD.match(c.text)), c.relevance)))
    return sorted(items, key=lambda c: c.relevance, reverse=True)[:MAX_ITEMS]


def _with_context(chosen: list[Candidate], candidates: list[Candidate], said: tuple[str, ...]) -> list[Candidate]:
    """A sentence opening on 'This ...' comes after the sentence it refers back to, or is left out; only the
    paper that answers best gets the room for that. In a conversation that already showed the sentence
    before it, it follows on from there."""
    position = {(c.source, c.index): c for c in candidates}
    main = chosen[0].source if chosen else None
    picked = {(c.source, c.index): c for c in chosen}
    result: dict[tuple[int, int], Candidate] = {}  # by place in the abstracts, in the order said
    for c in chosen:
        if (c.source, c.index) in result:  # already said, before a sentence that refers back to it
            continue
        if not c.anaphoric:
            result[c.source, c.index] = c
            continue
        before = position.get((c.source, c.index - 1))
        if before is not None and _is_said(before.text, said):
            key = (before.source, before.index)
            if key in picked:  # said again here too: before what refers back to it
                result.setdefault(key, picked[key])
            result[c.source, c.index] = c
            continue
        if before is None or c.source != main:
            continue
        # What it leans on, back to a sentence that stands alone (two at most: 'This contribution investigates
        # very high dropout rates to obtain such rich representations' leans on the one naming them).
        chain = [before]
        if before.anaphoric:
            first = position.get((c.source, c.index - 2))
            if first is None or first.anaphoric:
                continue
            chain.insert(0, first)
        if sum(len(x.text) for x in chain) > _LEANED_ON_CHARS or any(_LINK.search(x.text) for x in chain):
            continue
        for x in chain:
            result.setdefault((x.source, x.index), x)
        result[c.source, c.index] = c
    return list(result.values())


def _reading_order(chosen: list[Candidate], focus: int) -> list[Candidate]:
    """The paper that answers best first, then the others in the order they first matter, each paper's
    sentences in abstract order."""
    first = {c.source: i for i, c in reversed(list(enumerate(chosen)))}
    return sorted(chosen, key=lambda c: (c.source != focus, first[c.source], c.index))


def _is_said(text: str, said: tuple[str, ...]) -> bool:
    return any(_repeats(text, s) for s in said)


def _repeats(a: str, b: str) -> bool:
    x, y = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return len(x & y) / max(len(x | y), 1) > 0.6


