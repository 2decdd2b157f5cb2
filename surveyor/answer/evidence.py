"""How well each abstract sentence of the retrieved papers answers a question: the share of the question's
terms it holds (rarer terms weigh more), the similarity of its passage to the question, and the rank of
its paper."""

from __future__ import annotations

import math
import re

from surveyor.answer.extractive import Candidate
from surveyor.answer.followup import asked_part
from surveyor.index.lexical import LexicalIndex
from surveyor.index.retriever import Retriever
from surveyor.records import Hit
from surveyor.text.direction import same_move
from surveyor.text.numbers import quantities
from surveyor.text.roles import BACKGROUND, own_names, roles_of
from surveyor.text.sentences import split_sentences
from surveyor.text.tokens import same_term, shared_prefix, tokenize


def candidates(question: str, hits: list[Hit], retriever: Retriever) -> list[Candidate]:
    """Every sentence of every hit, scored: relevance = 0.6 term coverage + 0.4 passage similarity, less
    a little per rank of its paper."""
    vector = retriever.query_vector(question)
    lexical = retriever.store.lexical
    terms = tokenize(question)
    weights = _idf(terms, lexical.document_frequencies(terms), lexical.postings)
    asked = set(tokenize(asked_part(question)))
    # A follow-up searched with its conversation's context: the sentence that answers is the one holding
    # what the follow-up itself asks ('root cause', 'more sampling steps'), not the subject every sentence shares.
    weights = {t: w if t in asked else _CONTEXT_WEIGHT * w for t, w in weights.items()}
    chunk_vectors = retriever.store.chunk_vectors([h.paper.paper_id for h in hits])
    found = []
    for n, hit in enumerate(hits, 1):
        paper = hit.paper
        roles = roles_of(paper)
        passages = [(c.first_sentence, c.last_sentence, float(v @ vector)) for c, v in chunk_vectors[paper.paper_id]]
        for i, text in enumerate(_items_introduced(split_sentences(paper.abstract) or [paper.abstract])):
            near = max((s for first, last, s in passages if first <= i <= last), default=hit.similarity)
            coverage = _coverage(weights, text)
            found.append(Candidate(n, i, text, i < len(roles) and roles[i] == BACKGROUND,
                                   0.6 * coverage + 0.4 * near - 0.03 * (n - 1), states_number(text),
                                   coverage, hit.similarity))
    return found


_OF_WHAT = ("bas", "awar", "free", "driv", "guid", "specif", "orient", "depend", "centric", "agnost", "level", "wise")


def _forms(a: str, b: str) -> bool:
    """Two forms of one word that part only in their last letters ('determine', 'determinant')."""
    shortest = min(len(a), len(b))
    if shortest < 7 or "-" in a + b:
        return False
    return shared_prefix(a, b) >= shortest - 1


def _items_introduced(sentences: list[str]) -> list[str]:
    """Each item of a numbered list after its first ('4) Hardware-based security through TEEs ...') read with
    the words that open the list ('Our approach incorporates: 1) ...'), so that it stands alone: 'Our approach
    incorporates hardware-based security through TEEs ...'."""
    read, intro = [], None
    for sentence in sentences:
        opening = _LIST_OPENS.match(sentence)
        item = _ITEM.match(sentence)
        if opening:
            intro = opening.group(1)
        elif item and intro:
            rest = sentence[item.end() :]
            named = re.match(r"\S+\s+[A-Z]", rest) or not rest[1:2].islower()  # 'Split Learning', 'TEEs'
            sentence = f"{intro} {rest[:1] if named else rest[:1].lower()}{rest[1:]}"
        elif not item:
            intro = None
        read.append(sentence)
    return read


# 'Our approach incorporates: 1) ...', 'two parts: (i) ...': the words before a list's first item.
_LIST_OPENS = re.compile(r"^(.{8,160}?)\s*:\s*\(?(?:1|i|a)\)\s")
_ITEM = re.compile(r"^\(?(?:[2-9]|1\d|ii|iii|iv|v|vi|[b-e])\)\s+")


# How much a term that only the conversation's context brings to a follow-up counts, against its own terms.
_CONTEXT_WEIGHT = 0.65


# A quantity spelled out: 'two orders of magnitude', 'twice as fast', 'sixteen-fold', 'two billion pairs' (a bare
# 'seven datasets' says how many, seldom how much).
_SPELLED_AMOUNT = re.compile(r"\borders? of magnitude\b|\b(?:twice|thrice|halve[sd]?|double[sd]?|tripled?)\b|"
                             r"\b(?:hundred|thousand|million|billion|trillion)s?\b|"
                             r"\b(?:exponential|quadratic|polynomial|logarithmic)(?:ly)?\b", re.I)


def states_number(text: str) -> bool:
    """Whether the sentence states an amount: digits, or one spelled out."""
    return bool(re.search(r"\d", text) or _SPELLED_AMOUNT.search(text) or any(q.kind for q in quantities(text)))


# A question the retrieved papers speak to: one of their sentences holds this share of its term weight, or
# one of their passages is this close to it in meaning. Below both, the papers only share its field
# ('speculative decoding for LLMs' against papers that mention large language models): no answer.
_ADDRESSED_COVERAGE = 0.25
_ADDRESSED_SIMILARITY = 0.55
# A question describing a paper by several of its sentences ('that approach which rebuilds a polygon from its
# visibility graph by first predicting a signed distance field - how much does it improve F1?') is addressed
# by an abstract holding this share of its term weight across its sentences.
_ADDRESSED_WHOLE = 0.5
# Two signals at this share of their bars together count as one at its bar.
_NEARLY = 0.9


def addresses(question: str, hits: list[Hit], lexical: LexicalIndex) -> bool:
    """Whether any retrieved paper speaks to the question, rather than to its field: one close in meaning, one
    holding enough of its terms in a sentence or across its abstract, one nearly there on two of these, or one
    the question names ('how does PanoHead ...')."""
    if any(h.similarity >= _ADDRESSED_SIMILARITY for h in hits) or names_a_paper(question, hits):
        return True
    terms = [t for t in tokenize(question) if t not in _ASKING]
    weights = _idf(terms, lexical.document_frequencies(terms), lexical.postings)

    def signals(hit: Hit) -> list[float]:  # each as a share of its bar
        sentence = max(_coverage(weights, s, moves=False) for s in split_sentences(hit.paper.abstract) or [""])
        whole = _coverage(weights, hit.paper.abstract, moves=False)
        return [hit.similarity / _ADDRESSED_SIMILARITY, sentence / _ADDRESSED_COVERAGE, whole / _ADDRESSED_WHOLE]

    # One signal at its bar, or two of them nearly there (a paper close in meaning that holds most of the
    # question's words across its abstract).
    return any(max(s) >= 1.0 or sorted(s)[-2] >= _NEARLY for s in map(signals, hits))


# Words of how a question is asked, not of what it asks about ('does it actually speed up ..., and by how much').
# ('I remember a paper arguing that ...', 'has anyone seen work that ...': how the asker came to ask.)
_ASKING = frozenset(tokenize("actually really much many exactly specifically also kind sort anything something way "
                             "remember recall arguing argues argue think heard seen saw wonder wondering know get s"))


def names_a_paper(question: str, hits: list[Hit]) -> set[int]:
    """The 1-based positions of the hits whose own name (a system name of three characters or more) the
    question uses as a word: as the paper writes it, or in any case when it is long enough not to be a word
    ('hnerv' is HNeRV; 'the data sit on' is not SiT)."""
    words = set(re.findall(r"[\w-]+", question))
    lowered = {w.lower() for w in words}

    def used(name: str, abstract: str) -> bool:
        if len(name) < 3:
            return False
        # In any case only when the abstract never writes it otherwise, as a word ('FEDerated' beside 'Federated').
        spelled = re.findall(rf"(?<![\w-]){re.escape(name)}(?![\w-])", abstract, re.IGNORECASE)
        word = any(other != name for other in spelled)
        return name in words or name.upper() in words or (len(name) >= 5 and name.lower() in lowered and not word)

    return {n for n, h in enumerate(hits, 1) if any(used(name, h.paper.abstract) for name in own_names(h.paper))}


def _idf(terms: list[str], doc_freq: dict[str, int], postings: int) -> dict[str, float]:
    """Rarer terms weigh more; `postings` (term occurrences across all chunks, over 50) stands in for the
    number of documents, as the weights were first tuned with."""
    total = max(postings // 50, 1)
    return {t: math.log(1 + total / (1 + doc_freq.get(t, 0))) for t in terms}


def _coverage(weights: dict[str, float], text: str, moves: bool = True) -> float:
    """Share of the question's term weight the sentence holds ('converge' meets 'convergence'; with `moves`,
    'faster' meets 'speedup': enough to rank what a paper says, not to say that it speaks to the question)."""
    mass = sum(weights.values())
    if not mass:
        return 0.0
    held = set(tokenize(text))
    held |= {h for t in held if "-" in t for h in tokenize(t.rsplit("-", 1)[1])}  # a compound's head: 'resolution'
    # What an '-based' / '-aware' / '-free' compound is about: 'hardware-based' holds 'hardware'.
    held |= {h for t in held if t.count("-") == 1 and t.split("-")[1].startswith(_OF_WHAT)
             for h in tokenize(t.split("-")[0])}
    # A name with digits before it too: 'F1-Score' holds 'F1' (where 'Time-Shift' holds no 'time').
    held |= {m for t in held if "-" in t for m in tokenize(t.replace("-", " ")) if any(c.isdigit() for c in m)}

    def has(term: str) -> bool:
        # The word, a form of it, a longer compound a compound opens ('fine-tuning-based'; not 'time-shift' for
        # 'time'); to rank what a paper says, also another form of the word ('determinants' for 'determines') or a
        # word moving the same measure the same way ('faster' in 'a 300x speedup').
        return term in held or any(
            same_term(term, u) or ("-" in term and u.startswith(f"{term}-"))
            or (moves and (same_move(term, u) or _forms(term, u)))
            for u in held
        )

    # A compound of the question is held when its parts are ('tensor-parallel' in 'Tensor Parallelism').
    return sum(w for t, w in weights.items()
               if has(t) or ("-" in t and all(map(has, tokenize(t.replace("-", " ")))))) / mass
