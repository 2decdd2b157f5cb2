"""Does a cited paper support a claim? Checks that catch what models actually get wrong, then a score.

In order, a citation is unsupported when the claim:
- states a number the paper does not (`number 9.1 not in the source`),
- negates what the paper asserts, or asserts what it negates (`negation`),
- moves something the other way, swaps the sides of a comparison, claims superiority where the paper
  claims parity, likens where the paper contrasts, or exchanges what the paper says of two things
  (`direction`),
- attributes to the paper what its abstract says only about prior work (`background sentence`),
- or shares too little with the paper (`weak support (0.42)`): the mean of embedding similarity to the
  paper's chunks and the share of the claim's terms in its best sentence (for a long claim, in its best two
  together; a near-verbatim quote needs no embedding).
"""

from __future__ import annotations

import re
import threading
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from surveyor.index.embeddings import Embedder
from surveyor.index.store import Store
from surveyor.records import Paper
from surveyor.text.acronyms import defined_acronyms, shortened
from surveyor.text.comparisons import (
    likeness_flipped,
    opposite_comparison,
    opposite_end,
    opposite_sign,
    overclaimed,
    reversed_comparison,
    reversed_ranking,
    reversed_transition,
    swapped_bearings,
    swapped_contrast,
    swapped_as,
    swapped_causes,
    swapped_clauses,
    swapped_pair,
    swapped_reference,
    swapped_relation,
    swapped_roles,
    worse_than_matched,
)
from surveyor.text.direction import contradicts_direction
from surveyor.text.direction import read_ahead as read_moves_ahead
from surveyor.text.numbers import misbound_quantity, missing_quantity, overcounted, quantities
from surveyor.text.polarity import flipped, only_where_also, passed_over, polarity, set_aside
from surveyor.text.roles import BACKGROUND, CONTRIBUTION, introduced, named_in_own_part, own_names, roles_of
from surveyor.text.sentences import split_sentences
from surveyor.text.tokens import share, tokenize

SUPPORT_THRESHOLD = 0.5
# How much better a background sentence must back a claim than any of the paper's own, by term share, to
# say the claim is about prior work even where the paper's own sentences reuse its words.
_PRIOR_MARGIN = 0.25
_REMEMBERED_PAPERS = 2048
# A claim with this many terms or more may sum up two sentences; what the two together back of it counts
# at PAIR_WEIGHT of what one backs.
SUMMARY_TERMS = 17
PAIR_WEIGHT = 0.9
# Share of a claim's terms found in one abstract sentence above which the claim counts as quoted.
VERBATIM = 0.9
# Words a writer uses to refer to a paper ("One study", "the authors", "Chen et al."), not claims about it.
_REFERRING = frozenset(tokenize("one another further related same study studies work authors their et al"))
# How writers attribute a claim to the paper itself (its name is added per paper).
_ATTRIBUTED = re.compile(
    r"\b(?:the authors|et al\b|(?:one|another|a further|a related|this|the same|the|that) (?:study|work|paper|survey|"
    r"review|article)|"
    r"the (?:[\w-]+ ){1,4}(?:paper|study|work)\b|this (?:[\w-]+ ){1,4}(?:analysis|paper|study|work)\b|"
    r"(?:was|were|is|are|(?:has|have) been) (?:found|shown|observed|demonstrated|proven) to\b|"
    r"[\w-]+'s? authors\b|"
    r"(?:their|the authors'|this) (?:\w+ )?(?:method|approach|model|framework|system|technique|"
    r"algorithm|architecture|scheme|strategy|pipeline)|the proposed\b|"
    r"^\W*the (?:method|approach|framework|technique|algorithm|architecture|scheme|strategy|pipeline)\b)",
    re.IGNORECASE,
)
# "X [1] notes that existing methods ...", "X addresses the limits of ...", "unlike prior methods, X ...":
# the claim itself speaks of the prior work or the problem, which background sentences may back.
_ABOUT_PRIOR = re.compile(
    r"\b(?:note|observe|discuss|review|mention|point(?:s|ed)? out|motivat|highlight|address|"
    r"tackl|target(?=(?:s|ed|ing)?\s+(?:the|a|an|this|these|its|their)\b)|aim|overcom|mitigat|alleviat|remed|unlike|"
    r"whereas|in contrast|compared (?:to|with)|instead of|rather than)\w*",
    re.IGNORECASE,
)
# Words naming earlier work ('existing methods ...', 'according to ...'): a claim with them speaks of it, unless
# it opens on the paper's name ('DiMR relies on a conventional U-Net' gives the paper the conventional design).
_PRIOR_WORDS = re.compile(r"\b(?:prior(?!\s+(?:knowledge|distributions?|information|beliefs?))|previous|existing|"
                          r"earlier|conventional|traditional)\w*|\baccording to\b", re.IGNORECASE)

# 'The authors argue that ...': what the paper holds of the world, not of its own method.
_ARGUED = re.compile(r"\b(?:argu(?:e|es|ed|ing)|contend(?:s|ed)?|posit(?:s|ed)?|maintain(?:s|ed)? that)\b",
                     re.IGNORECASE)

# "Like earlier methods, X is limited to ...": says of X what it says of prior work.
_LIKENED = re.compile(r"(?:^|,)\s*(?:just |much )?like [^,]+,", re.IGNORECASE)


@dataclass(frozen=True)
class Support:
    """The verdict on one claim citing one paper."""

    supported: bool
    score: float
    quote: str  # the abstract sentence that best supports the claim (verbatim)
    reason: str | None = None  # why not, when not


@dataclass
class _Case:
    claim: str
    paper: Paper
    quote: str
    share: float
    reason: str | None


class SupportChecker:
    """Verdicts for (claim, paper) pairs; embeddings are computed in one batch for the pairs that need them."""

    def __init__(self, store: Store, embedder: Embedder, threshold: float = SUPPORT_THRESHOLD) -> None:
        self.store = store
        self.embedder = embedder
        self.threshold = threshold
        # Papers' chunk vectors, by paper id and abstract: the papers an answer cites are cited again.
        self._vectors: dict[tuple[str, int], np.ndarray] = {}
        self._vectors_lock = threading.Lock()

    def _chunk_vectors(self, papers: list[Paper]) -> dict[str, np.ndarray]:
        """Each paper's chunk vectors (a matrix, a row per chunk), from the store once, then remembered."""
        keys = {p.paper_id: (p.paper_id, hash(p.abstract)) for p in papers}
        with self._vectors_lock:
            found = {pid: self._vectors[key] for pid, key in keys.items() if key in self._vectors}
        missing = [pid for pid in keys if pid not in found]
        if missing:
            fetched = self.store.chunk_vectors(missing)
            with self._vectors_lock:
                for pid in missing:
                    rows = [v for _, v in fetched.get(pid, [])]
                    found[pid] = self._vectors[keys[pid]] = np.vstack(rows) if rows else np.zeros((0, 1), np.float32)
                while len(self._vectors) > _REMEMBERED_PAPERS:
                    del self._vectors[next(iter(self._vectors))]
        return found

    def read_ahead(self, papers: list[Paper]) -> threading.Thread:
        """Read, in the background, the papers an answer may cite while a model writes it, so that its first
        sentence citing one is checked as fast as the next."""

        def read_quietly() -> None:
            with suppress(Exception):  # the checks themselves meet what failed here, and report it
                for paper in papers:
                    _read_ahead(paper)
                self._chunk_vectors(papers)

        thread = threading.Thread(target=read_quietly, name="surveyor-read-ahead", daemon=True)
        thread.start()
        return thread

    def check(self, pairs: list[tuple[str, Paper]]) -> list[Support]:
        cases = [_examine(claim, paper) for claim, paper in pairs]
        scores = [c.share for c in cases]
        paraphrased = [i for i, c in enumerate(cases) if c.share < VERBATIM]
        if paraphrased:
            claims = sorted({cases[i].claim for i in paraphrased})
            vectors = dict(zip(claims, self.embedder.embed(claims)))
            chunk_vectors = self._chunk_vectors([cases[i].paper for i in paraphrased])
            for i in paraphrased:
                chunks = chunk_vectors[cases[i].paper.paper_id]
                similarity = float((chunks @ vectors[cases[i].claim]).max()) if len(chunks) else 0.0
                scores[i] = 0.5 * max(similarity, 0.0) + 0.5 * cases[i].share
        verdicts = []
        for case, score in zip(cases, scores):
            reason = case.reason or (None if score >= self.threshold else f"weak support ({score:.2f})")
            verdicts.append(Support(reason is None, score, case.quote, reason))
        return verdicts


@dataclass(frozen=True)
class _Source:
    """What every claim citing a paper is checked against: its sentences and their terms, and the words that
    name the paper rather than say anything of it (in its title or authors, not in its abstract)."""

    sentences: list[str]
    said: list[frozenset[str]]
    ignore: frozenset[str]


def _source(paper: Paper) -> _Source:
    return _read_source(paper.title, tuple(paper.authors), paper.abstract)


@lru_cache(maxsize=_REMEMBERED_PAPERS)
def _read_source(title: str, authors: tuple[str, ...], abstract: str) -> _Source:
    sentences = split_sentences(abstract) or [abstract]
    naming = _REFERRING | set(tokenize(f"{title} {' '.join(authors)}"))
    return _Source(sentences, [_terms(s) for s in sentences], frozenset(naming - set(tokenize(abstract))))


def _read_ahead(paper: Paper) -> None:
    """Read now what checking any claim against `paper` reads of it (its sentences' roles, terms and numbers,
    denials and moves, its names and acronyms), so that the first claim citing it costs no more than the next."""
    source = _source(paper)
    own_names(paper)
    named_in_own_part(paper)
    introduced(paper)
    defined_acronyms(paper.abstract)
    quantities(f"{paper.title}. {paper.abstract}")
    for sentence in source.sentences:
        polarity(sentence)
    read_moves_ahead(source.sentences, source.ignore)


def _examine(claim: str, paper: Paper) -> _Case:
    """Everything but the embedding: the best quote, the term share, and the first contradiction found."""
    source = _source(paper)
    sentences, said, ignore = source.sentences, source.said, source.ignore
    terms = _terms(claim) - ignore
    shares = [share(terms, t) for t in said]
    best = max(range(len(sentences)), key=lambda i: (shares[i], -i))
    # A long claim that sums up two sentences ('starts at low resolution ..., and adds a patch loss') is
    # held to both: the best one and the one adding most of the rest.
    combined = shares[best]
    if len(terms) >= SUMMARY_TERMS:
        pair = max((share(terms, said[best] | t) for i, t in enumerate(said) if i != best), default=0.0)
        combined = max(combined, PAIR_WEIGHT * pair)
    return _Case(claim, paper, sentences[best], combined, _contradiction(claim, paper, sentences, terms, ignore))


def _contradiction(
    claim: str, paper: Paper, sentences: list[str], terms: frozenset[str], ignore: frozenset[str]
) -> str | None:
    missing = missing_quantity(claim, f"{paper.title}. {paper.abstract}", (float(paper.year),) if paper.year else ())
    if missing is not None:
        return f"number {missing.written} not in the source"
    whole = overcounted(claim, paper.abstract)
    if whole is not None:
        return f"number: '{whole}' where the source says part of them"
    misbound = misbound_quantity(claim, sentences, ignore)
    if misbound is not None:
        return f"number {misbound.written} is said of something else in the source"
    attributed = _attributed(claim, paper)
    # A claim about the paper itself is held to what the paper says of itself: one naming it as it speaks of
    # the problem too ('FedLoGe concentrates on tackling data imbalance, leaving local performance aside').
    roles = roles_of(paper)
    names_it = any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", claim) for n in own_names(paper))
    # (What the authors argue may be said where they set out the problem: 'one cannot utilize that power
    # efficiently with conventional methods'.)
    held_to_own = (attributed or names_it) and not _ARGUED.search(claim)
    own = [s for s, role in zip(sentences, roles) if role != BACKGROUND] if held_to_own else []
    # A long form and the acronym the abstract defines for it read alike ('Layer normalization ...', 'LN ...').
    short = tuple((long, a) for long, a in defined_acronyms(paper.abstract)
                  if re.search(rf"\b{re.escape(long)}\b", claim, re.IGNORECASE))
    judged = [shortened(s, short) for s in own or sentences]
    if (flipped(shortened(claim, short), judged, ignore) or swapped_contrast(claim, sentences, ignore)
            or _passed_over_own(claim, sentences, roles, ignore)
            or only_where_also(claim, own or sentences) or (held_to_own and passed_over(claim, own))):
        return "negation"
    if (
        contradicts_direction(claim, sentences, ignore)
        or any(reversed_comparison(claim, s, ignore, paper.abstract) or opposite_comparison(claim, s, ignore)
               for s in sentences)
        or overclaimed(claim, sentences, ignore)
        or worse_than_matched(claim, sentences, ignore)
        or swapped_roles(claim, sentences, ignore)
        or swapped_bearings(claim, sentences, ignore)
        or reversed_transition(claim, sentences, ignore)
        or swapped_pair(claim, sentences, ignore)
        or swapped_clauses(claim, sentences, ignore)
        or swapped_reference(claim, sentences, ignore)
        or swapped_relation(claim, sentences, ignore)
        or swapped_as(claim, sentences, ignore)
        or swapped_causes(claim, sentences, ignore)
        or likeness_flipped(claim, sentences, ignore)
        or opposite_end(claim, sentences)
        or opposite_sign(claim, sentences)
        or reversed_ranking(claim, sentences)
    ):
        return "direction"
    setting = _terms(" ".join(_SETTING.findall(claim)))
    if attributed and _from_background(terms, paper, sentences, set_aside(claim), setting):
        return "background sentence"
    # 'GGEUR addresses data heterogeneity by jointly optimizing local updates and global aggregation': the problem
    # may be the field's, the means is the paper's.
    means = _MEANS.search(claim)
    if (means and _attributed(claim[: means.start()] + claim[means.end() :], paper)
            and _from_background(_terms(means.group(1)) - ignore, paper, sentences, frozenset(), frozenset())):
        return "background sentence"
    if _prior_named(claim, paper) or (attributed and _set_aside_for_it(claim, sentences)):
        return "background sentence"
    return None


def _passed_over_own(claim: str, sentences: list[str], roles: str, ignore: frozenset[str]) -> bool:
    """'Rather than operating on MLP weights, HyperDiffusion converts ...' where one of the paper's own sentences,
    contrasting nothing and denying nothing, says it 'operates directly on MLP weights'."""
    passed = _LEADING_ALTERNATIVE.match(claim)
    what = _terms(passed.group(1)) - ignore if passed else frozenset()
    return len(what) >= 2 and any(
        role != BACKGROUND and all(share({t}, _terms(s)) for t in what) and not _UNLIKE.search(s)
        and not polarity(s).scopes
        for s, role in zip(sentences, roles))


_LEADING_ALTERNATIVE = re.compile(r"\W*(?:rather than|instead of)\s+([^,;]+),", re.IGNORECASE)
# What a sentence contrasts the paper with: 'Unlike fully homomorphic approaches that encrypt the entire graph, ...'.
# ('rather than sampling a random sub-layer for each step, providing a fixed list ...', 'a binary vector instead of
# an index of a learned codebook').
_UNLIKE = re.compile(r"\b(?:unlike|in contrast to|as opposed to|rather than|instead of|in place of|"
                     r"(?:differs?|differing|departs?|departing|different) from)\s+([^,;.]+)", re.IGNORECASE)


def _set_aside_for_it(claim: str, sentences: list[str]) -> bool:
    """The claim gives the paper two particulars the abstract only says of what it contrasts the paper with
    ('EE encrypts the entire computational graph' against 'Unlike approaches that encrypt the entire
    computational graph, EE ...'); what the claim denies or contrasts itself aside."""
    aside = {t for s in sentences for m in _UNLIKE.finditer(s) for t in tokenize(m.group(1))}
    if not aside:
        return False
    said = frozenset().union(*(_terms(_UNLIKE.sub(" ", s)) for s in sentences))
    # (What the claim replaces is set aside too: 'replaces the KL divergence with the Wasserstein distance'.)
    replaced = {t for m in _REPLACED.finditer(claim) for t in tokenize(m.group(1))}
    mine = _terms(_UNLIKE.sub(" ", claim)) - polarity(claim).negated - replaced
    return sum(1 for t in mine if share({t}, aside) and not share({t}, said)) >= 2


_REPLACED = re.compile(r"\breplac(?:e|es|ed|ing)\s+([^,;.]+?)\s+(?:with|by)\b", re.IGNORECASE)


# How a claim says the paper meets a problem: 'addresses X by jointly optimizing Y'.
_MEANS = re.compile(r"\b(?:address|tackl|mitigat|alleviat|overcom|remed|solv|handl|counter|speeds? up|accelerat|improv|"
                    r"boost)\w*\b[^.;]*?\bby\s+((?:\w+ly\s+)?\w+ing\b[^.;]*)", re.IGNORECASE)
# A clause describing the setting a claim speaks of: '..., where parties differ in both features and samples'.
# (Or what those things had done before: 'bridging two sub-communities that had developed largely independently'.)
_SETTING = re.compile(r"\b(?:where|in which|(?:that|which|who) had)\b[^,;.]*", re.IGNORECASE)
# A claim presenting a name as the paper's: 'presents VAAL', 'MBAT (...) is proposed in this paper'.
_NOVELTY = (r"\b(?:propos|present|introduc|develop|invent)\w*\s+(?:[\w-]+\s+){{0,3}}?{name}(?![\w-])|"
            r"(?<![\w-]){name}\b[^.;]{{0,60}}?\b(?:is|was|are|were) (?:proposed|introduced|presented|developed|new)\b")
# How an abstract marks a named method as earlier work: 'a previously proposed VSA method, MBAT', 'modifies
# task-agnostic VAAL', 'extends ...', 'builds on ...'.
_PRIOR_MARK = (r"(?:previously (?:proposed|introduced|developed)|existing|prior|earlier|original|modif(?:y|ies|ied)|"
               r"extends?|extending|builds? (?:up)?on|improves? (?:up)?on)")


def _prior_named(claim: str, paper: Paper) -> bool:
    """Whether the claim presents as the paper's own a name the abstract gives to earlier work (and never to
    the paper's own: 'TA-VAAL modifies VAAL' makes TA-VAAL the paper's, VAAL another's)."""
    own = own_names(paper)
    # (An acronym of common words names the field, not a method: 'FL' for 'Federated learning'.)
    common = {short for long, short in defined_acronyms(paper.abstract) if not _CAPITALISED.search(long)}
    for name in set(re.findall(r"(?<![\w-])[A-Z][\w-]*[A-Z][\w-]*(?![\w-])", claim)) - set(own) - common:
        if not re.search(_NOVELTY.format(name=re.escape(name)), claim, re.IGNORECASE):
            continue
        prior = rf"\b{_PRIOR_MARK}\s+(?:[\w-]+,?\s+){{0,4}}?{re.escape(name)}(?![\w-])"
        if re.search(prior, paper.abstract, re.IGNORECASE):
            return True
    return False


# A long form past its first word written with a capital: a name ('Variational Adversarial Active Learning').
_CAPITALISED = re.compile(r"[\s-][A-Z]")


@lru_cache(maxsize=8192)
def _terms(text: str) -> frozenset[str]:
    """Content terms, with each number as its value and kind: '16times', '16x' and 'sixteen-fold' meet."""
    return frozenset(tokenize(text)) | {f"#{q.value:g}{q.kind}" for q in quantities(text)}


def _attributed(claim: str, paper: Paper) -> bool:
    """Whether the claim says the paper itself did or found something (not what it says of others' work)."""
    text = _LIKENED.sub(" ", claim)
    if _ABOUT_PRIOR.search(text) or _quoted(claim, paper):
        return False
    names = own_names(paper) + named_in_own_part(paper) + _title_names(paper.title) + introduced(paper)
    opens_on_name = any(re.match(rf"\W*(?:the\s+)?{re.escape(n)}\b", claim, re.IGNORECASE) for n in names)
    if _PRIOR_WORDS.search(text) and not (opens_on_name or _own_thing(claim, paper)):
        return False
    heading = tuple(m.group(1) for m in [_TITLE_HEAD.match(paper.title)] if m)  # a name, capitals and all
    return (bool(_ATTRIBUTED.search(claim)) or opens_on_name
            or any(re.search(rf"\b{re.escape(n)}\b", claim) for n in names + heading) or _own_thing(claim, paper))


def _title_names(title: str) -> tuple[str, ...]:
    """What a title calls the paper: the whole of a short title ('Divide-and-Conquer Fusion'), its part before a
    colon when that is a few words ('Concept-Centric Transformers: ...'), the name opening it ('Streaming
    DiLoCo with overlapping communication: ...'), or the means closing it ('... through Block Caching')."""
    names = [title] if 2 <= len(title.split()) <= _NAME_WORDS else []
    head, colon, _ = title.partition(":")
    names += [head.strip()] if colon and len(head.split()) <= _NAME_WORDS - 1 else []
    names += [m.group(1) for m in [_TITLE_NAME.match(title)] if m and _MIXED_CASE.search(m.group(1))]
    names += [m.group(1) for m in [_TITLE_MEANS.search(title)] if m]  # '... through Block Caching'
    return tuple(names)


# 'The gradient matching method ...': a claim whose subject is named by words of the paper's own sentences.
_OWN_THING = re.compile(r"\W*the ((?:[\w-]+ ){1,4})(?:method|approach|criterion|score|framework|model|technique|"
                        r"algorithm|architecture|scheme|strategy|module|metric|loss|benchmark)\b", re.IGNORECASE)


def _own_thing(claim: str, paper: Paper) -> bool:
    """Whether the claim opens on 'The X method' where X is a phrase of the paper's own sentences that no
    background sentence uses."""
    match = _OWN_THING.match(claim)
    if match is None or len(tokenize(match.group(1).replace("-", " "))) < 2:
        return False
    phrase = " ".join(match.group(1).lower().split())
    if phrase.replace("-", " ") in paper.title.lower():
        return True  # 'The learning-to-branch method' of 'Learning to Branch for Multi-Task Learning'
    sentences = list(zip(split_sentences(paper.abstract), roles_of(paper)))
    holding = {role for s, role in sentences if phrase in s.lower()}
    if holding:
        return holding == {CONTRIBUTION}
    # Written otherwise ('the Gaussian-mixture adaptive-mapping quantization method' of 'an adaptive-mapping
    # quantization method ... a concrete Gaussian Mixture'): its words are the paper's own, and no background
    # sentence has them all.
    words = set(tokenize(phrase.replace("-", " ")))
    own = set(tokenize(paper.title.replace("-", " "))).union(
        *(tokenize(s.replace("-", " ")) for s, role in sentences if role == CONTRIBUTION))
    return words <= own and not any(words <= set(tokenize(s.replace("-", " "))) for s, role in sentences
                                    if role == BACKGROUND)


_NAME_WORDS = 4
_TITLE_NAME = re.compile(r"((?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*)\s+(?:with|for|via|in|on|by|through|using)\s")
_TITLE_MEANS = re.compile(r"\b(?:through|via|using)\s+((?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*)$")
_MIXED_CASE = re.compile(r"\b[A-Za-z]*[a-z][A-Z]|\b[A-Z]{2,}")
# The capitalised words opening a title before its preposition ('Sequential Gradient Coding | For Straggler ...',
# 'Learning to Branch | for Multi-Task Learning').
_TITLE_HEAD = re.compile(r"([A-Z][\w-]*(?:\s+(?:(?:to|of|and)\s+)?[A-Z][\w-]*){1,2})\s+"
                         r"(?:[Ww]ith|[Ff]or|[Vv]ia|[Ii]n|[Oo]n|[Bb]y|[Tt]hrough|[Uu]sing)\s")


def _quoted(claim: str, paper: Paper) -> bool:
    """Whether the claim is the abstract's own words (a quoted sentence: its 'this method' means what the
    abstract means by it, and says nothing of whose it is)."""
    words = " ".join(_QUOTED_WORD.findall(claim.lower()))
    return len(words) > 20 and words in " ".join(_QUOTED_WORD.findall(paper.abstract.lower()))


_QUOTED_WORD = re.compile(r"[\w-]+")


def _from_background(
    terms: frozenset[str], paper: Paper, sentences: list[str], denied: frozenset[str], setting: frozenset[str]
) -> bool:
    """The claim's particulars come from what the abstract says of prior work: the background sentences
    back it at least as well as the paper's own, and hold two of its terms that the paper's own sentences do
    not (or they back it clearly better). `denied`: what the claim negates or sets aside ('moving away from
    MSE-based regression', as the paper's own sentence does); `setting`: the terms of its
    clauses describing the setting ('on hybrid data, where parties differ in features'), which the abstract
    may well describe before the paper's own part."""
    roles = roles_of(paper)
    # What each sentence asserts, less what it denies or sets aside ('surpassing handcrafted removal'), but
    # with what it denies as the claim does ('with no feature engineering' for 'without feature engineering').
    # An acronym says its long form ('OOD' in the paper's own sentences, 'out-of-distribution (OOD)' in the
    # background one that defines it).
    spelled = [(_terms(long), re.compile(rf"\b{re.escape(short)}\b"))
               for long, short in defined_acronyms(paper.abstract)]
    asserted = [(_terms(s) - aside | (aside & denied) | frozenset().union(*(t for t, a in spelled if a.search(s))),
                 prior) for s, prior in _said_of_whom(sentences, roles) for aside in [set_aside(s)]]
    own = [terms for terms, prior in asserted if not prior]
    prior = [terms for terms, prior in asserted if prior]
    if not prior or not terms:
        return False
    best_own = max((share(terms, t) for t in own), default=0.0)
    best_prior = max(share(terms, t) for t in prior)
    own_terms = _with_parts(set(_terms(paper.title)).union(*own))  # the title says what the paper is about, too
    # (A number counts once: 'two' and its value. A compound holds its parts: 'power-law' says 'power'.)
    prior_terms = _with_parts(set().union(*prior))
    only_prior = [t for t in terms - setting if share({t}, prior_terms) and not share({t}, own_terms)
                  and not t.startswith("#")]
    clearly_prior = best_prior >= best_own + _PRIOR_MARGIN
    # (One compound only prior work is said to have counts as two: 'a simple base density that is data-agnostic'.)
    weight = sum(2 if "-" in t else 1 for t in only_prior)
    return best_prior >= best_own and (
        clearly_prior or weight >= 2 or _says_more(terms, prior, own)
    )


def _said_of_whom(sentences: list[str], roles: str) -> list[tuple[str, bool]]:
    """The abstract's sentences, each with whether it speaks of prior work; what a sentence of the paper's own says
    of earlier methods is split off and speaks of them ('our decomposition reveals that | existing local
    training-based methods attempt to reduce X')."""
    parts = []
    for sentence, role in zip(sentences, roles):
        clauses = [] if role == BACKGROUND else [m.group() for m in _PRIOR_CLAUSE.finditer(sentence)]
        parts.append((_PRIOR_CLAUSE.sub(" ", sentence) if clauses else sentence, role == BACKGROUND))
        parts += [(clause, True) for clause in clauses]
    return parts


# Earlier methods named in a sentence of the paper's own, and what the clause says of them.
# (As what a clause is about: 'we analyze the performance of existing algorithms' is the paper's own.)
_PRIOR_CLAUSE = re.compile(r"(?:^|(?<=\bthat\s)|(?<=\bwhile\s)|(?<=\bwhereas\s)|(?<=\bsince\s)|(?<=[,;:]\s))"
                           r"(?:(?:the|most|many|all|some|these)\s+)?"
                           r"(?:existing|prior|previous|conventional|traditional|earlier)\s+(?:[\w-]+\s+){0,4}?"
                           r"(?:methods|approaches|works|techniques|studies|algorithms|frameworks|solutions)\b[^,;.]*",
                           re.IGNORECASE)


def _with_parts(terms: set[str]) -> set[str]:
    """The terms and the parts of their two-part compounds ('power-law'; not 'state-of-the-art')."""
    return terms | {p for t in terms if t.count("-") == 1 for p in tokenize(t.replace("-", " "))}


def _says_more(terms: frozenset[str], prior: list[frozenset[str]], own: list[frozenset[str]]) -> bool:
    """A background sentence says all the claim's words that the paper's closest own sentence says, and more
    ('previous studies ... neural networks are too linear' against 'we argue that the origin of adversarial
    examples is ... uncertainty'); an adverb only the paper's sentence has ('primarily') aside."""
    def held(found_in: frozenset[str]) -> set[str]:
        return {t for t in terms if share({t}, found_in)}

    best_own = max((held(t) for t in own), key=len, default=set())
    said = {t for t in best_own if not t.endswith("ly")}
    return any(held(t) >= said and len(held(t)) > len(best_own) for t in prior)
