"""Word tokens for matching and ranking: lowercased, stopwords removed, lightly stemmed."""

from __future__ import annotations

import re
from functools import lru_cache

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here
    hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or
    other our ours out over own same she should so some such than that the their them then there these they this
    those through to too under until up very was we were what when where which while who whom why will with would
    you your paper propose proposed approach method methods show shows work""".split()
)


def tokenize(text: str) -> list[str]:
    """Lowercased word tokens without stopwords, lightly stemmed so 'videos' meets 'video'."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


# Bumped whenever tokenize() changes, so saved BM25 indexes are rebuilt rather than mismatched.
TOKENIZER_VERSION = 2
_IZE = re.compile(r"(?:isation|ization|ising|izing|ised|ized|ises|izes|ise|ize)s?$")


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """A light stemmer: plurals, -ing/-ed, and the -ize family ('quantized' meets 'quantization')."""
    if word.endswith("ies") and len(word) > 5:
        word = word[:-3] + "y"
    elif word.endswith("s") and len(word) > 4 and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 7 and _IZE.search(word):
        return _IZE.sub("iz", word)
    if word.endswith("ing") and len(word) > 6:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 5 and not word.endswith("eed"):
        word = word[:-2]
    return word


def same_term(a: str, b: str) -> bool:
    """Equal, or one a longer form of the other ('converge', 'convergence'; 'tileable', 'tileability'; 6+
    letters; of compounds, the last part: 'back-propagat', 'back-propagation')."""
    if a == b:
        return True
    if "bilit" in a or "bilit" in b:  # a substring test first: this runs for every pair of terms compared
        a, b = _ABILITY.sub(r"\1ble", a), _ABILITY.sub(r"\1ble", b)
    if "-" in a + b:  # compounds meet where they differ only in their last part's form ('back-propagat')
        if a.replace("-", "") == b.replace("-", ""):
            return True  # 'hyper-parameter', 'hyperparameter'
        head, _, last = a.rpartition("-")
        other_head, _, other_last = b.rpartition("-")
        return bool(head) and head == other_head and "-" not in last + other_last and same_term(last, other_last)
    short, long = sorted((a, b), key=len)
    if len(short) >= _SHORTEST and long in _nouns_of(short):
        return True  # the quality and its noun: 'efficient', 'efficiency'; 'accurate', 'accuracy'
    if short.endswith("e") and len(short) > _SHORTEST and long[len(short) - 1 :].startswith(("ion", "ing", "ation")):
        short = short[:-1]  # the verb and its action: 'propagate', 'propagation'; 'combine', 'combination'
    if short.endswith("fy") and len(short) >= _SHORTEST and long.startswith(short[:-1] + "ication"):
        return True  # 'modify', 'modification'; 'verify', 'verification'
    return len(short) >= _SHORTEST and long.startswith(short)


_SHORTEST = 6


def _nouns_of(adjective: str) -> tuple[str, ...]:
    """The nouns of a quality: 'efficient' -> 'efficiency', 'efficience'; 'accurate' -> 'accuracy'."""
    if adjective.endswith(("ent", "ant")):
        return adjective[:-1] + "cy", adjective[:-1] + "ce"
    return (adjective[:-2] + "cy",) if adjective.endswith("ate") else ()


_ABILITY = re.compile(r"([ai])bilit(?:y|ie)$")


def shared_prefix(a: str, b: str) -> int:
    """How many first letters two words share ('determine', 'determinant': 8)."""
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def share(terms: set[str] | frozenset[str], found_in: set[str] | frozenset[str]) -> float:
    """The share of `terms` that `found_in` holds, by `same_term`."""
    if not terms:
        return 0.0
    index = _by_prefix(frozenset(found_in))
    return sum(1 for t in terms if t in found_in or _near(t, index)) / len(terms)


@lru_cache(maxsize=8192)
def _by_prefix(terms: frozenset[str]) -> dict[str, list[str]]:
    """Terms that `same_term` may match longer or shorter forms of, by their first five letters (which two
    such forms share: 'modify', 'modification')."""
    index: dict[str, list[str]] = {}
    for term in terms:
        if len(term) >= _SHORTEST:
            index.setdefault(term[:_KEY], []).append(term)
    return index


_KEY = _SHORTEST - 1


def _near(term: str, index: dict[str, list[str]]) -> bool:
    return len(term) >= _SHORTEST and any(same_term(term, u) for u in index.get(term[:_KEY], ()))


# A claim is held to the source sentences holding at least this share of its terms.
ALIGNED = 0.4


def aligned(terms: frozenset[str], sentences: list[frozenset[str]]) -> list[int]:
    """Which sentences (given by their terms) say most of what `terms` say: those within 80 % of the best
    share, if that reaches ALIGNED (else none: the claim is not a rewording of any one sentence)."""
    shares = [share(terms, found_in) for found_in in sentences]
    best = max(shares, default=0.0)
    return [i for i, found in enumerate(shares) if found >= 0.8 * best] if best >= ALIGNED else []
