"""What a claim can get wrong about a comparison while keeping every word of it: the sides swapped
('implicit methods outperform HNeRV'), a win stated as a loss, parity stated as superiority ('outperforms
ViT' where the source says 'very close to ViT'), a likeness stated as a contrast ('like X' for 'unlike
X'), and two things' findings exchanged ('early layers do X, middle layers Y' where the source says the
opposite)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations, pairwise, product

from surveyor.text.acronyms import defined_acronyms, shortened
from surveyor.text.tokens import aligned, same_term, tokenize

_BETTER = re.compile(
    r"\b(?:outperform\w*|surpass\w*|exceed\w*|beat|beats|beating|superior to|"
    r"(?P<word>better|faster|higher|larger|stronger|more \w+|earlier|sooner|later|lower|smaller|fewer|slower|weaker|"
    r"worse)(?: (?!than\b)[\w-]+){0,6}? than)\b",  # 'better coverage of X than'
    re.IGNORECASE,
)
# Comparatives that say the same of their two sides: 'A decreases earlier than B' is not 'B lower than A'.
_SAME_SAYING = {"earlier": "early", "sooner": "early", "later": "late", "lower": "low", "smaller": "low",
                "fewer": "low", "slower": "low", "weaker": "low", "worse": "low"}


def _saying(match: re.Match[str]) -> str:
    """What a comparison says of its first side: 'high' (better, faster, more ...), 'low', 'early' or 'late'."""
    word = (match.group("word") or "").lower()
    return _SAME_SAYING.get(word, "high")


# Superiority over something (not 'higher than 90%', which is an amount).
_SUPERIOR = re.compile(r"\b(?:outperform\w*|surpass\w*|beat|beats|beating|superior to|(?:better|stronger) than)\b", re.IGNORECASE)
# Comparisons that say which side is better, and those that say it is worse.
_GOOD = r"(?:efficient|sample-efficient|accurate|robust|effective|reliable|stable|scalable|expressive|powerful)"
_WINS = re.compile(
    rf"\b(?:outperform\w*|surpass\w*|beat|beats|superior to|(?:better|faster|stronger|more {_GOOD}) than|"
    rf"(?:improvements?|gains?) over)\b", re.IGNORECASE
)
_LOSES = re.compile(
    rf"\b(?:underperform\w*|inferior to|lag\w* behind|trail\w*|(?:worse|slower|weaker|less {_GOOD}) than|"
    rf"f[ae]ll\w* (?:[\d.,]+\s*(?:%|percent|points?)?\s+)?(?:below|behind|short of))", re.IGNORECASE
)
_PARITY = re.compile(
    r"\b(?:comparabl[ey](?: performance)? (?:to|with)|(?:performance )?(?:very |quite )?close to|on par with|"
    r"at par with|competitive (?:to|with)|as (?:good|well|accurate|effective) as|match(?:es|ed|ing)?|"
    r"rival(?:s|ed|ing)?|equivalent to|the same level as)\b",
    re.IGNORECASE,
)
_LIKE = re.compile(r"\b(?:(?<!un)like|similar(?:ly)? to|as with|as in)\b", re.IGNORECASE)
_UNLIKE = re.compile(r"\b(?:unlike|in contrast to|as opposed to|contrary to|different from|as against)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*|[.;!?]")
# Where what a text says of one thing ends ('early layers do X, whereas middle layers ...').
_CONTRAST = frozenset({"while", "whereas", "but", "however", "unlike", "contrast"})
_NOT_ADVERBS = frozenset({"early", "family", "anomaly", "assembly", "supply", "apply", "rely", "multiply"})
_CLAUSE_BREAK = re.compile(r"[,;:.!?]|\b(?:while|whereas|but|however)\b")
# An acronym's plural is the acronym ('GNNs', 'the GNN teachers').
_ACRONYMS = re.compile(r"\b([A-Z]{2,})s\b")
_SIDE = 4  # content words either side of a comparison that name what is compared
_CLAUSE = 12  # content words after a thing that say what the text says of it


@lru_cache(maxsize=8192)
def _content(text: str, ignore: frozenset[str], adverbs: bool = False) -> tuple[str, ...]:
    """Content terms in order, adverbs ('consistently') left out unless asked for; '.' where a sentence or a
    contrasted clause ends."""
    terms = []
    for word in _WORD.findall(_ACRONYMS.sub(r"\1", text).lower()):
        if not word[0].isalnum() or word in _CONTRAST:
            terms.append(".")
        elif adverbs or not word.endswith("ly") or "-" in word or word in _NOT_ADVERBS:  # 'decoder-only' is no adverb
            terms.extend(t for t in tokenize(word) if t not in ignore)
    return tuple(terms)


def _sides(text: str, match: re.Match[str], ignore: frozenset[str]) -> tuple[set[str], set[str]]:
    """What stands either side of a comparison, less what stands on both (the shared context): on the left the
    clause up to it (its subject may stand several words back: 'GANs are shown to cover X better than'), on
    the right the words after it."""
    before = _RELATIVE.sub(" ", text[: match.start()])
    clause = [t for t in _content(_clause_before(before), ignore) if t != "."][-2 * _SIDE :]
    left = _parted(clause or [t for t in _content(before, ignore) if t != "."][-_SIDE:])
    right = _parted([t for t in _content(text[match.end() :], ignore) if t != "."][:_SIDE])
    return left - right, right - left


def _parted(terms: list[str]) -> set[str]:
    """The terms with the parts of their compounds ('random-walk-based' holds 'walk-based', as 'random walk-based'
    does)."""
    return set(terms) | {"-".join(t.split("-")[i:]) for t in terms if "-" in t for i in range(1, t.count("-") + 1)}


# A relative clause between a thing and what it is compared in ('orbit adjacencies, which include those unseen by
# random walks, outperform ...'): read past.
_RELATIVE = re.compile(r",\s*(?:which|who|whose)\b[^,;.]*,")
# A relative clause a comparison stands in ('..., named RNA, that is orders of magnitude faster than'): it is said
# of what comes before it.
_OPENS_RELATIVE = re.compile(r"\s*(?:that|which|who)\b", re.IGNORECASE)


def _clause_before(text: str) -> str:
    """The clause that `text` (what stands before a comparison or relation) ends in, past a relative clause
    between a thing and what it is compared in, and reaching back to the thing when it ends in one."""
    pieces = _CLAUSE_BREAK.split(_RELATIVE.sub(" ", text))
    if len(pieces) > 1 and _OPENS_RELATIVE.match(pieces[-1]):
        return f"{pieces[-2]} {pieces[-1]}"
    return pieces[-1]


# 'higher similarities in the shallow layers in contrast to the deep layers': a comparison without 'than'.
_MORE = r"(?:higher|lower|larger|smaller|greater|more|less|fewer|better|worse|stronger|weaker|faster|slower)"
_AGAINST = r"(?:in contrast to|compared (?:to|with)|relative to|as opposed to)"
_CONTRASTED = re.compile(
    rf"\b(?P<how>{_MORE}(?: [\w-]+){{1,3}}?) (?:in|for|on|at|with|of) (?:the )?(?P<winner>[^,;:.()]+?),? "
    rf"{_AGAINST} (?:the )?",
    re.IGNORECASE,
)
_COMPARED = re.compile(rf"\b(?P<how>{_MORE}(?: [\w-]+){{0,3}}?),? {_AGAINST}\b", re.IGNORECASE)


@lru_cache(maxsize=8192)
def _as_than(text: str) -> str:
    """`text` with 'higher X in A in contrast to B' put as 'A have higher X than B', and 'A has higher X
    compared to B' as 'A has higher X than B'."""
    text = _CONTRASTED.sub(lambda m: f"{m.group('winner')} have {m.group('how')} than ", text)
    return _COMPARED.sub(lambda m: f"{m.group('how')} than", text)


def reversed_comparison(claim: str, sentence: str, ignore: frozenset[str] = frozenset(), abstract: str = "") -> bool:
    """'A outperforms B' stated as 'B outperforms A': what the claim puts first the source puts second, and
    the other way round, and nothing first in both (what follows B, 'in video regression', may be shared).
    With the whole `abstract`, a long form and the acronym it defines are one ('Model Synthesis Architecture',
    'MSA'), and the paper named second in the claim by words only its title has ('than the cross-domain
    ensemble approach', `ignore`) is what the source puts first as its own ('the proposed method is more
    robust than')."""
    short = defined_acronyms(abstract) if abstract else ()
    claim = _as_than(shortened(claim, short))
    mine = _BETTER.search(claim)
    if not mine:
        return False
    sentence = _as_than(shortened(sentence, short))
    theirs = _BETTER.search(sentence)
    if not theirs or _saying(mine) != _saying(theirs):
        return False
    claim_left, claim_right = _sides(claim, mine, ignore)
    source_left, source_right = _sides(sentence, theirs, ignore)
    # What each puts first is the few words right before the comparison: 'Experiments on USS suggest that'
    # is context both may share.
    first_in_both = _subject(claim, mine, ignore) & _subject(sentence, theirs, ignore)
    # (Unless what both put right before it follows, in each, what the other compares against: the object of the
    # verb, 'MSA captures human judgments better than' against 'baselines captured human judgments better than'.)
    if (first_in_both and _follows(claim, mine, claim_left & source_right, first_in_both, ignore)
            and _follows(sentence, theirs, source_left & claim_right, first_in_both, ignore)):
        first_in_both = set()
    paper_second = bool(_after(claim, mine, frozenset()) & ignore) and not claim_right
    own_first = paper_second and _OWN.search(_clause_before(sentence[: theirs.start()])) is not None
    return bool(claim_left & source_right and (claim_right & source_left or own_first)) and not first_in_both


def _follows(text: str, match: re.Match[str], first: set[str], then: set[str], ignore: frozenset[str]) -> bool:
    """Whether, in the clause before a comparison, every one of `then` comes after all of `first` (one at least)."""
    before = [t for t in _content(_clause_before(text[: match.start()]), ignore) if t != "."]
    at_first = [i for i, t in enumerate(before) if t in first]
    at_then = [i for i, t in enumerate(before) if t in then]
    return bool(at_first and at_then) and max(at_first) < min(at_then)


def swapped_reference(claim: str, sentences: list[str], ignore: frozenset[str] = frozenset()) -> bool:
    """'Compared with GMem, REPA offers a 16x speedup' where the source has 'Compared to the most efficient
    existing method, REPA, GMem still offers a 16times speedup': what one measures against, the other measures."""
    return _crossed(_references(claim, ignore), [pair for s in sentences for pair in _references(s, ignore)])


_REFERENCE = re.compile(r"\b(?:compared (?:to|with)|relative to)\s+", re.IGNORECASE)


def _references(text: str, ignore: frozenset[str]) -> list[tuple[set[str], set[str]]]:
    """Each 'compared to X, Y ...' of the text: (X, the first words of Y) as content words; a short aside after
    X ('..., REPA,') names X."""
    found = []
    for match in _REFERENCE.finditer(text):
        pieces = re.split(r",", re.split(r"[;.]\s", text[match.end() :])[0])
        if len(pieces) < 2:
            continue
        named = len(pieces) > 2 and len(pieces[1].split()) <= 3
        ref = " ".join(pieces[:2]) if named else pieces[0]
        subject = [t for t in _content(pieces[2 if named else 1], ignore) if t != "."][:2]
        found.append((set(_content(ref, ignore)) - {"."}, set(subject)))
    return found


def swapped_relation(claim: str, sentences: list[str], ignore: frozenset[str] = frozenset()) -> bool:
    """'d_repr serves as an upper bound for d_data' where the source has 'd_data serves as an upper bound for
    d_repr' (or 'A is a special case of B' for 'B ... of A'): one relation, its two ends exchanged."""
    theirs = [relation for sentence in sentences for relation in _relations(sentence, ignore)]
    return any(_crossed([(a, b)], [(x, y) for kind_, x, y in theirs if kind_ == kind])
               for kind, a, b in _relations(claim, ignore))


_RELATION = re.compile(r"\s+(?:is|are|was|were|serves? as|acts? as|forms?|provides?|gives?)\s+(?:an?|the)\s+"
                       r"(?P<kind>(?P<end>upper|lower) bound|generali[sz]ation|special case|subset|superset|relaxation|"
                       r"instance|extension)\s+(?:for|on|of|to)\s+(?P<b>[^,;.]+)", re.IGNORECASE)


def _relations(text: str, ignore: frozenset[str]) -> list[tuple[str, set[str], set[str]]]:
    """Each 'A is an upper bound for B' of the text: (the relation, A, B) as a few content words, less those both
    share; 'B is a lower bound for A' is read as 'A is an upper bound for B'."""
    found = []
    for match in _RELATION.finditer(text):
        a = set([t for t in _content(_clause_before(text[: match.start()]), ignore) if t != "."][-2:])
        b = set([t for t in _content(match.group("b"), ignore) if t != "."][:2])
        a, b = a - b, b - a
        kind = match.group("kind").lower()
        if match.group("end"):
            kind, a, b = ("bound", a, b) if match.group("end").lower() == "upper" else ("bound", b, a)
        found.append((kind, a, b))
    return found


def swapped_causes(claim: str, sentences: list[str], ignore: frozenset[str] = frozenset()) -> bool:
    """'hurt more by losing data-holding devices than by losing connectivity' where the source has 'more affected
    by a loss of connectivity than by a loss of data': what the claim says weighs more, the source says weighs less."""
    return _crossed(_weighed(claim, ignore), [pair for s in sentences for pair in _weighed(s, ignore)])


_WEIGHED = re.compile(r"\b(?P<how>more|less)\s+(?:[\w-]+\s+)?(?P<prep>by|from|with|to|on)\s+(?P<a>[^,;.]+?)\s+than\s+"
                      r"(?:(?P=prep)\s+)?(?P<b>[^,;.]+)", re.IGNORECASE)


def _weighed(text: str, ignore: frozenset[str]) -> list[tuple[set[str], set[str]]]:
    """Each 'more ... by A than by B' of the text: (what weighs more, what weighs less) as content words and the
    parts of its compounds, less the words both share ('losing')."""
    found = []
    for match in _WEIGHED.finditer(text):
        a, b = (set(t for t in _content(match.group(g), ignore) for t in (t, *t.split("-")) if t != ".")
                for g in ("a", "b"))
        a, b = a - b, b - a
        found.append((a, b) if match.group("how").lower() == "more" else (b, a))
    return found


def swapped_as(claim: str, sentences: list[str], ignore: frozenset[str] = frozenset()) -> bool:
    """'VQ tokens as inputs are crucial for recognition, pixels as targets for generation' where the source has
    'pixels as inputs are crucial for recognition' and 'VQ tokens as reconstruction targets': things given the roles
    the source gives others, where the source gives them roles of their own."""
    theirs = [pair for sentence in sentences for pair in _roles_as(sentence, ignore)]
    mine = _roles_as(claim, ignore)
    if len(mine) < 2:  # a swap gives two things each other's roles
        return False
    # What the claim's roles share says nothing of which it is ('the spatial encoder', 'the temporal encoder').
    shared = set.intersection(*(r for _, r in mine))
    theirs = [(t, r - shared) for t, r in theirs]
    for thing, role in ((t, r - shared) for t, r in mine):
        if any(thing & t and role & r for t, r in theirs):
            continue
        if any(role & r and not thing & t for t, r in theirs) and any(thing & t and not role & r for t, r in theirs):
            return True
    return False


_SERVES_AS = re.compile(r"\s+(?:serves?|served|acts?|acted|functions?|is used|are used|is introduced|are introduced|"
                        r"is employed|are employed)\s+as\s+(?:an?\s+|the\s+)?((?:[\w-]+\s+)?[\w-]+)", re.IGNORECASE)
_AS = re.compile(r"\b((?:[\w-]+\s+)?[\w-]+)\s+as\s+((?:[\w-]+\s+)?[\w-]+)", re.IGNORECASE)
# Words before 'as' that are not the thing given a role ('such as', 'as well as', 'known as', 'serves as').
_NOT_THINGS = frozenset("such well same so known referred serve serves served serving act acts acted acting "
                        "regarded seen viewed defined used introduced employed adopted treated considered".split())


def _roles_as(text: str, ignore: frozenset[str]) -> list[tuple[set[str], set[str]]]:
    """Each 'X as Y' of the text, and each 'X serves as Y': (X, Y) as content words."""
    found = []
    for match in _SERVES_AS.finditer(text):
        serving = [t for t in _content(_clause_before(text[: match.start()]), ignore) if t != "."][-2:]
        served = set(_content(match.group(1), ignore)) - {"."}
        if serving and served:
            found.append((set(serving), served))
    for match in _AS.finditer(text):
        before = match.group(1).lower().split()
        if before[-1] in _NOT_THINGS or re.match(r"\s*(?:well|such|a result|follows?|opposed|much|many|long|soon)\b",
                                                 match.group(2), re.IGNORECASE):
            continue
        thing, role = set(_content(match.group(1), ignore)) - {"."}, set(_content(match.group(2), ignore)) - {"."}
        if thing and role:
            found.append((thing, role))
    return found


def _subject(text: str, match: re.Match[str], ignore: frozenset[str]) -> set[str]:
    """The few words right before a comparison, less those after it too ('Transformers' in 'decoder-only
    Transformers scale better than encoder-only Transformers')."""
    before = _content(_clause_before(text[: match.start()]), ignore)
    kept = [t for t in before if t != "." and t not in _HOW_MUCH and t not in _LINKING]
    return set(kept[-_SIDE // 2 :]) - _after(text, match, ignore)


# How much, not what: 'decreases much earlier than'.
_HOW_MUCH = frozenset({"much", "far", "even", "still", "way"})
# Verbs between a thing and its comparison, which say nothing of which thing it is ('A demonstrate better
# scalability than B').
_LINKING = frozenset(tokenize("demonstrates exhibits achieves offers yields delivers attains displays enjoys provides "
                              "reach reaches obtains performs scales generalizes converges remains proves becomes "
                              "gives"))


def opposite_comparison(claim: str, sentence: str, ignore: frozenset[str] = frozenset()) -> bool:
    """'A is more sample-efficient than B' where the source says 'A is worse than B' (or the other way
    round): the same sides, the other verdict."""
    for mine, theirs in ((_WINS, _LOSES), (_LOSES, _WINS)):
        for said, found in product(mine.finditer(claim), theirs.finditer(sentence)):
            claim_left, claim_right = _sides(claim, said, ignore)
            source_left, source_right = _sides(sentence, found, ignore)
            # (More of the same sides than crossed: 'adaptation' may name a thing and what it is compared with.)
            crossed = len(claim_left & source_right) + len(claim_right & source_left)
            same = len(claim_left & source_left) + len(claim_right & source_right)
            same_left = claim_left & source_left or _OWN.search(_clause_before(sentence[: found.start()]))
            if same_left and claim_right & source_right and crossed < same:
                return True
    return False


# The paper's own thing on the left of a comparison ('our model outperforms'): a claim cited to the paper
# names it in its own words ('the balanced mixture of SuperNets').
_OWN = re.compile(r"\b(?:our|ours|we|the proposed)\b", re.IGNORECASE)


def worse_than_matched(claim: str, sentences: list[str], ignore: frozenset[str] = frozenset()) -> bool:
    """'less accurate than independently trained ones' where the source has it 'at least as accurate and rich as
    independently trained low-dimensional representations' (or 'no worse than', 'on par with' them): what the
    claim loses to, the source matches."""
    said = _LOSES.search(claim)
    if not said:
        return False
    beaten_by = _after(claim, said, ignore)
    matched = [_after(s, m, ignore) for s in sentences for m in _MATCHED.finditer(s)]
    return any(len(_met(beaten_by, m)) >= 2 for m in matched)


_MATCHED = re.compile(r"\b(?:at least as [\w-]+(?: (?:and|or) [\w-]+)? as|no (?:worse|less [\w-]+) than|on par with|"
                      r"at par with)\b", re.IGNORECASE)


def overclaimed(claim: str, sentences: list[str], ignore: frozenset[str] = frozenset()) -> bool:
    """The claim has the paper beat what the sentences it rewords only match ('comparable to X'), and no
    sentence of the paper says it beats."""
    better = _SUPERIOR.search(claim)
    if not better:
        return False
    beaten = _after(claim, better, ignore)
    terms = frozenset(_content(claim, ignore)) - {"."}
    reworded = [sentences[i] for i in aligned(terms, [frozenset(tokenize(s)) for s in sentences])]
    matched = [_after(s, m, ignore) for s in reworded for m in _PARITY.finditer(s)]
    beaten_in_source = [_after(s, m, ignore) for s in sentences for m in _SUPERIOR.finditer(s)]
    return any(_met(beaten, m) for m in matched) and not any(_met(beaten, b) for b in beaten_in_source)


def likeness_flipped(claim: str, sentences: list[str], ignore: frozenset[str] = frozenset()) -> bool:
    """'Like fully homomorphic schemes, EE encrypts ...' where the source says 'Unlike fully homomorphic
    approaches', or the other way round: what the claim likens the paper to, the source contrasts it with."""
    for mine, theirs in ((_LIKE, _UNLIKE), (_UNLIKE, _LIKE)):
        likened = [_after(claim, m, ignore) for m in mine.finditer(claim)]
        contrasted = [_after(s, m, ignore) for s in sentences for m in theirs.finditer(s)]
        if any(len(_met(a, b)) >= 2 for a in likened for b in contrasted):
            return True
    return False


_Pairs = list[tuple[set[str], set[str]]]


def _crossed(mine: _Pairs, theirs: _Pairs, alone: bool = True) -> bool:
    """Whether a pair of the claim's (A, B) meets one of the source's the other way round (A its B, B its A) and,
    `alone`, neither side its own: what one starts from, denies, or weighs more, the other ends in, asserts, or
    weighs less."""
    return any(_met(a, their_b) and _met(b, their_a) and not (alone and (_met(a, their_a) or _met(b, their_b)))
               for a, b in mine for their_a, their_b in theirs)


def _met(these: set[str], those: set[str]) -> set[str]:
    return {a for a in these if any(same_term(a, b) for b in those)}


def _after(text: str, match: re.Match[str], ignore: frozenset[str]) -> set[str]:
    return set([t for t in _content(text[match.end() :], ignore) if t != "."][:_SIDE])


def swapped_roles(claim: str, sentences: list[str], ignore: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """Two things of one kind that the claim and the source both tell apart ('early layers', 'middle
    layers': named in one sentence of the source), each said by the claim to do what the source says of the
    other: returns the two."""
    # (How each does it counts: 'encoder features change gently, whereas the decoder features vary substantially'.)
    mine = _positions(_content(_COORDINATED.sub(";", claim), ignore, adverbs=True))
    named = {head: kinds for head, kinds in _kinds(mine).items() if len(kinds) >= 2}
    if not named:  # the claim tells no two things of one kind apart
        return None
    apart = {(head, pair) for s in sentences for head, modifiers in _kinds(_positions(_content(s, ignore))).items()
             for pair in combinations(sorted(modifiers & named.get(head, set())), 2)}
    source = _positions(_content(_COORDINATED.sub(";", " ".join(sentences)), ignore, adverbs=True)) if apart else []
    for head, (a, b) in sorted(apart):
        said_a, said_b = (_said_of(mine, x, (a, b, head)) for x in (a, b))
        source_a, source_b = (_said_of(source, x, (a, b, head)) for x in (a, b))
        crossed = len(_met(said_a, source_b)), len(_met(said_b, source_a))
        parallel = len(_met(said_a, source_a)), len(_met(said_b, source_b))
        if min(crossed) >= 1 and sum(crossed) >= 3 and crossed[0] > parallel[0] and crossed[1] > parallel[1]:
            return a, b
    return None


# ', and ensembles ...': a clause of its own, whose subject is not the thing just named.
_COORDINATED = re.compile(r",\s+(?:and|or)\s+")
# Where in a network or a run something is: 'the first layers' and 'early layers' are the same ones.
_EARLY = frozenset("first early earlier earliest initial shallow shallower shallowest lower bottom".split())
_LATE = frozenset("last late later latest final deep deeper deepest higher upper top".split())
_POSITIONED = {thing: thing for thing in "layer block stage step phase epoch iteration level".split()}
_POSITIONED["timestep"] = "step"


def _positions(terms: Sequence[str]) -> list[str]:
    """`terms` with a position word before a positioned thing ('first layers') as 'early' or 'late', also across one
    word of what the thing is ('initial diffusion timesteps' is 'early step')."""
    placed: list[str] = []
    at = 0
    while at < len(terms):
        term = terms[at]
        gap = next((g for g in (1, 2) if term in _EARLY | _LATE and at + g < len(terms)
                    and "." not in terms[at + 1 : at + g] and terms[at + g] in _POSITIONED), 0)
        if gap:
            placed += ["early" if term in _EARLY else "late", _POSITIONED[terms[at + gap]]]
            at += gap + 1
        else:
            placed.append(term)
            at += 1
    return placed


def swapped_bearings(claim: str, sentences: list[str], ignore: frozenset[str] = frozenset()) -> bool:
    """'moves toward the samples and away from the boundary' where the source says 'away from the samples
    and towards the boundary': what the claim heads for, the source heads away from, and the other way round."""
    mine, theirs = _bearings(claim, ignore), _bearings(" ".join(sentences), ignore)
    crossed = _met(mine[True], theirs[False]) or _met(mine[False], theirs[True])
    return bool(crossed) and not (_met(mine[True], theirs[True]) or _met(mine[False], theirs[False]))


_BEARING = re.compile(r"\b(towards?|away from)\b", re.IGNORECASE)


def _bearings(text: str, ignore: frozenset[str]) -> dict[bool, set[str]]:
    """What the text heads toward (True) and away from (False): the content words after each."""
    found: dict[bool, set[str]] = {True: set(), False: set()}
    for match in _BEARING.finditer(text):
        heading = _BEARING_END.split(text[match.end() :], maxsplit=1)[0]
        toward = match.group(1).lower().startswith("toward")
        if _SET_ASIDE.search(text[max(0, match.start() - 40) : match.start()]):
            toward = not toward  # 'rather than settling toward a constant': not toward it
        found[toward] |= set(_content(heading, ignore)[:_SIDE]) - {"."}
    return found


# A bearing set aside: 'rather than settling toward ...', 'instead of moving away from ...'.
_SET_ASIDE = re.compile(r"\b(?:rather than|instead of|not|never)\b[^,;.]*$", re.IGNORECASE)


_BEARING_END = re.compile(r"[,;:()]|\b(?:and|or|but|while|whereas|towards?|away)\b", re.IGNORECASE)


def opposite_end(claim: str, sentences: list[str]) -> bool:
    """'layers close to the input' where the source only puts them 'close to the output'."""
    mine = {(m.group(1) or m.group(2)).lower() for m in _END.finditer(claim)}
    theirs = {(m.group(1) or m.group(2)).lower() for sentence in sentences for m in _END.finditer(sentence)}
    return any(theirs & _OPPOSITE_ENDS[end] and not theirs & _SAME_END[end] for end in mine)


_END = re.compile(r"\b(?:close to|closer to|near|nearer to|next to|at|towards?) the (?:(input|output|top|bottom)\b|"
                  r"(beginning|start|end) of\b)", re.IGNORECASE)
_SAME_END = {"input": {"input"}, "output": {"output"}, "beginning": {"beginning", "start"}, "start": {"beginning", "start"},
             "end": {"end"}, "top": {"top"}, "bottom": {"bottom"}}
_OPPOSITE_ENDS = {"input": {"output"}, "output": {"input"}, "beginning": {"end"}, "start": {"end"},
                  "end": {"beginning", "start"}, "top": {"bottom"}, "bottom": {"top"}}


def reversed_ranking(claim: str, sentences: list[str]) -> bool:
    """'prioritize shape over velocity, velocity over size, and size over color' where the source ranks them
    'color > size > velocity > shape': of the things a source ranks with '>', the claim, ranking (a word of order
    in it), names most pairs the other way round."""
    if not _RANK_CUE.search(claim):
        return False
    words = [w.lower() for w in re.findall(r"[\w-]+", claim)]
    for sentence in sentences:
        for chain in _RANKED.finditer(sentence):
            ranked = [w.strip().lower() for w in chain.group(0).split(">")]
            named = [r for r in ranked if r in words]
            if len(named) < _RANKED_ITEMS:
                continue
            said = sorted(named, key=words.index)  # in the claim's order, first named first
            pairs = [(a, b) for i, a in enumerate(said) for b in said[i + 1 :]]
            agree = sum(ranked.index(a) < ranked.index(b) for a, b in pairs)
            if agree * 2 < len(pairs):
                return True
    return False


_RANKED = re.compile(r"[\w-]+(?:\s*>\s*[\w-]+){2,}")
_RANKED_ITEMS = 3
_RANK_CUE = re.compile(r"\b(?:prioriti[sz]\w*|prefer\w*|favou?r\w*|rank\w*|first|followed by|then|over)\b",
                       re.IGNORECASE)


def opposite_sign(claim: str, sentences: list[str]) -> bool:
    """'a consistent negative correlation with generalization' where the source only has a positive one (a
    correlation, relation, association, effect or transfer)."""
    mine = {(m.group(1) or m.group(2)).lower() for m in _SIGN.finditer(claim)}
    theirs = {(m.group(1) or m.group(2)).lower() for sentence in sentences for m in _SIGN.finditer(sentence)}
    return any(theirs and sign not in theirs for sign in mine)


_SIGN = re.compile(r"\b(positive|negative)(?:ly)?\s+(?:[\w-]+\s+)?"
                   r"(?:correlat|relat|associat|effect|impact|transfer)\w*|\bcorrelat\w*\s+(positive|negative)ly\b",
                   re.IGNORECASE)


def reversed_transition(claim: str, sentences: list[str], ignore: frozenset[str] = frozenset()) -> bool:
    """'begins in a rich regime and later settles into lazy dynamics' where the source has the network
    'transitioning from lazy training dynamics to a rich, feature learning regime': what one starts from, the
    other ends in, both ways, and neither side shared. Where each states when ('more concentrated at the early time
    step and then gradually uniform after half'), what both say of the same side is when, not what."""
    mine, theirs = list(_transitions(claim, ignore)), [t for s in sentences for t in _transitions(s, ignore)]
    return _crossed(mine, theirs) or any(
        _crossed([(a - their_a, b - their_b)], [(their_a - a, their_b - b)])
        for a, b in mine for their_a, their_b in theirs if _met(a, their_a) or _met(b, their_b))


# 'from A to B'; 'begins in A and later settles into B', 'first A, then B'.
_FROM_TO = re.compile(r"\bfrom\s+(?P<start>[^,;.()]+?)\s+(?:to|into|towards?)\s+(?P<end>[^;.()]+)", re.IGNORECASE)
_THEN = re.compile(r"\b(?:begins?|starts?|first|initially)\b(?P<start>[^;.]+?)\b(?:and\s+)?(?:then|later|eventually|"
                   r"subsequently|afterwards)\b(?P<end>[^;.]+)", re.IGNORECASE)


# 'more concentrated at the early time step | and then | gradually uniform', 'nearly uniform early | and becomes |
# concentrated after the halfway point': what comes before, up to the sentence's start, and after, up to its end.
_AND_THEN = re.compile(r",?\s+and\s+(?:then|later|eventually|subsequently|afterwards|becomes?|becoming)\b",
                       re.IGNORECASE)


@lru_cache(maxsize=8192)
def _transitions(text: str, ignore: frozenset[str]) -> tuple[tuple[set[str], set[str]], ...]:
    """Each (start, end) of the text, as content words (a few each), less the words both share."""
    sides = [(m.group("start"), m.group("end")) for m in (*_FROM_TO.finditer(text), *_THEN.finditer(text))]
    for match in _AND_THEN.finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        sides.append((re.split(r"[;.]", before)[-1], re.split(r"[;.]", after)[0]))
    found = []
    for start_text, end_text in sides:
        start = set([t for t in _content(start_text, ignore) if t != "."][-_SIDE:])
        end = set([t for t in _content(end_text, ignore) if t != "."][:_SIDE])
        found.append((start - end, end - start))
    return tuple(found)


def swapped_clauses(claim: str, sentences: list[str], ignore: frozenset[str] = frozenset()) -> bool:
    """'coarse-grained attributes are lost at early time-steps, while fine-grained ones vanish late' where the source
    has 'fine-grained attributes are lost with less noise (early time-steps), while coarse-grained ones are lost by
    adding more noise (late time-steps)': of two contrasted clauses, each of the claim's holds words only one of the
    source's has and words only the other has, both ways."""
    mine = _contrasted(claim, ignore)
    if not mine:
        return False
    c1, c2 = mine
    for theirs in filter(None, (_contrasted(s, ignore) for s in sentences)):
        s1, s2 = theirs
        m11, m12, m21, m22 = (len(_met(a, b)) for a in (c1, c2) for b in (s1, s2))
        if min(m11, m12, m21, m22) >= 1 and m12 + m21 >= _CROSSED_WORDS and m12 + m21 > m11 + m22:
            return True
    return False


_CROSSED_WORDS = 3
_CLAUSE_COMMA = re.compile(r",(?![^()]*\))")
_CLAUSE_WORDS = 4
_REPORTED = re.compile(r"\b(?:note|show|find|observe|argue|report|demonstrate|reveal|suggest)s?\s+that\s+",
                       re.IGNORECASE)
_CONTRAST_SPLIT = re.compile(r",?\s+(?:while|whereas)\s+|,\s+but\s+", re.IGNORECASE)


@lru_cache(maxsize=8192)
def _contrasted(text: str, ignore: frozenset[str]) -> tuple[set[str], set[str]] | None:
    """The words only one of a text's two contrasted clauses holds (each), if it has exactly two."""
    parts = _CONTRAST_SPLIT.split(text)
    if len(parts) != 2:
        return None
    # What is contrasted is the clause just before 'while', not what leads up to it ('the forward process adds
    # noise ..., e.g., | fine-grained attributes are lost early'); a comma in parentheses ends nothing.
    # ('The framework notes that | coarse attributes vanish early': what is reported, not who reports it.)
    leads = [m.end() for pattern in (_CLAUSE_COMMA, _REPORTED) for m in pattern.finditer(parts[0])]
    at = max((n for n in leads if len(parts[0][n:].split()) >= _CLAUSE_WORDS), default=0)
    parts[0] = parts[0][at:]
    # (A two-part compound holds its first part: 'coarse-grained' is said where 'coarse' is.)
    first, second = ({t for t in _content(p, ignore) if t != "."} for p in parts)
    first, second = ({*terms, *(t.split("-")[0] for t in terms if t.count("-") == 1)} for terms in (first, second))
    return first - _met(first, second), second - _met(second, first)


def swapped_pair(claim: str, sentences: list[str], ignore: frozenset[str] = frozenset()) -> bool:
    """'stronger scaling for likely OOD samples and weaker scaling for likely ID samples' where the source has
    the stronger for ID and the weaker for OOD: two opposite degrees, each given to what the other gets in the
    source (a long form and its acronym are one: 'in-distribution (ID)')."""
    short = defined_acronyms(" ".join(sentences))
    mine, theirs = _degrees(claim, short, ignore), _degrees(" ".join(sentences), short, ignore)
    return _crossed([(mine[True], mine[False])], [(theirs[True], theirs[False])])


_DEGREE = re.compile(r"\b(stronger|weaker|higher|lower|larger|smaller|more|less)\s+(?:[\w-]+\s+){0,2}?"
                     r"(?:for|to|on|in)\s+((?:[\w-]+\s+){0,4}?[\w-]+)(?=\s*(?:[,;.]|\band\b|\bwhile\b|$))",
                     re.IGNORECASE)
_UP = frozenset({"stronger", "higher", "larger", "more"})


def _degrees(text: str, short: tuple[tuple[str, str], ...], ignore: frozenset[str]) -> dict[bool, set[str]]:
    """What the text gives the higher degree of something (True) and the lower (False): the words after 'for',
    less those both have."""
    text = shortened(text, short)
    found: dict[bool, set[str]] = {True: set(), False: set()}
    for match in _DEGREE.finditer(text):
        found[match.group(1).lower() in _UP] |= set(_content(match.group(2), ignore)) - {"."}
    return {True: found[True] - found[False], False: found[False] - found[True]}  # ('likely ... samples' both)


def swapped_contrast(claim: str, sentences: list[str], ignore: frozenset[str] = frozenset()) -> bool:
    """'not caused by label shift but by shift in the images' where the source says 'not due to a shift in
    the images but instead a shift in the labels': what one denies, the other asserts, both ways round."""
    return _crossed(_contrasts(claim, ignore), [c for s in sentences for c in _contrasts(s, ignore)], alone=False)


# 'not A but B', 'instead of A, B', 'rather than A, B' and 'B instead of A': A set aside for B.
_SET_ASIDE_FOR = (
    re.compile(r"\bnot\s+(?P<denied>[^,;.]+?),?\s+but\s+(?:instead\s+|rather\s+)?(?P<asserted>[^,;.]+)", re.IGNORECASE),
    re.compile(r"\b(?:instead of|rather than)\s+(?P<denied>[^,;.]+),\s*(?P<asserted>[^,;.]+)", re.IGNORECASE),
    re.compile(r"(?:^|[,;.:]\s*)(?P<asserted>[^,;.:]+?)\s+(?:instead of|rather than)\s+(?P<denied>[^,;.]+)",
               re.IGNORECASE),
)


def _contrasts(text: str, ignore: frozenset[str]) -> list[tuple[set[str], set[str]]]:
    """Each 'not A but B' of the text (or 'B instead of A'): (A, B) as content words, less the words both share
    ('shift')."""
    found = []
    for match in (m for pattern in _SET_ASIDE_FOR for m in pattern.finditer(text)):
        denied = set(_content(match.group("denied"), ignore)) - {"."}
        asserted = set(_content(match.group("asserted"), ignore)) - {"."}
        # (What the text says outside the contrast is not set aside: 'a fixed list of pairs ..., instead of
        # sampling a random pair each step, brings ...'.)
        denied -= _met(denied, set(_content(text[: match.start()] + " " + text[match.end() :], ignore)))
        found.append((denied - _met(denied, asserted), asserted - _met(asserted, denied)))
    return found


def _kinds(terms: Sequence[str]) -> dict[str, set[str]]:
    """Each term with the terms right before it: 'layer' -> {'early', 'middle'}."""
    kinds: dict[str, set[str]] = defaultdict(set)
    for modifier, head in pairwise(terms):
        if "." not in (modifier, head) and modifier != head:
            kinds[head].add(modifier)
    return kinds


def _said_of(terms: list[str], thing: str, pair: tuple[str, str, str]) -> set[str]:
    """The terms after each mention of `thing`, up to the sentence's end or the other thing's mention, and the two
    right before it in its clause ('increase the importance of | deeper layers', 'under-utilizing | deeper layers')."""
    said: set[str] = set()
    for i, term in enumerate(terms):
        if term == thing:
            clause: list[str] = []
            for t in terms[i + 1 :]:
                if t == "." or t in pair[:2] or len(clause) == _CLAUSE:
                    break
                clause.append(t)
            for t in reversed(terms[max(0, i - _BEFORE) : i]):
                if t == "." or t in pair[:2]:
                    break
                clause.append(t)
            said.update(t for t in clause if t not in pair)
    return said


_BEFORE = 2
