"""Which terms a text negates: 'X does not outperform Y' negates 'outperform'; 'without any fine-tuning or
accuracy degradation' negates 'fine-tuning', 'accuracy' and 'degradation'.

A negation reaches the next few content words of its clause (up to a comma, a contrastive or
subordinating conjunction, or 'and'), which is what a claim and its source have to agree on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from surveyor.text.tokens import STOPWORDS, same_term, share, tokenize

# Words that negate what follows them.
NEGATORS = frozenset(
    "not no never cannot neither nor without none nothing nobody nowhere unable lack lacks lacking lacked fail fails "
    "failed failing hardly barely avoid avoids avoided avoiding eliminate eliminates eliminated eliminating remove "
    "removes removed removing removal ignore ignores ignored ignoring neglect neglects neglected neglecting overlook "
    "overlooks overlooked overlooking discard discards discarded discarding omit omits omitted omitting insufficient insufficiently unnecessary impossible ineffective "
    "inefficient inaccurate incorrect inconsistent unreliable unsuccessful inadequate incapable infeasible unlikely "
    "insensitive unaffected unchanged absent absence".split()
)
# Phrases that negate like a single word ("challenges the belief that X" says not X).
_NEGATING_PHRASES = re.compile(
    r"\b(?:failures? (?=to|in|of|on)|free of|pa(?:y|ys|id|ying) (?:little|less|no) attention to|contrary to|challeng(?:es|ed|ing)? (?:the )?(?:common |widely held |prevailing |conventional )?"
    r"(?:belief|assumption|view|notion|wisdom)(?: that)?|debunk\w*|dispel\w*(?: the myth)?(?: that)?)\b",
    re.IGNORECASE,
)
# "A rather than B", "A instead of B", "A, not B", "A outperforms B", "unlike B": B is the alternative set
# aside or compared against, which the source may well describe in its own right; its words are not judged.
_ALTERNATIVE = re.compile(
    r"\b(?:rather than|instead of|as opposed to|in place of|unlike|compared (?:to|with)|than)\b|,\s*not\b(?!\s+only)",
    re.IGNORECASE,
)
# Verbs whose object is what is compared against: the verb is asserted (or negated), its object set aside.
_COMPARING = re.compile(r"\b(?:outperform|surpass|exceed|beat)\w*", re.IGNORECASE)
# "not only X but also Y" asserts X.
_NOT_ONLY = re.compile(r"\bnot\s+(?:only|just|merely|necessarily)\b", re.IGNORECASE)
# Where a negation's reach ends.
_SCOPE_END = frozenset(
    "and but while whereas although though yet so because since which that when where if unless however "
    "thus hence therefore then".split()
)
_SCOPE_WORDS = 4
_ALTERNATIVE_WORDS = 4
_PREPOSITIONS = frozenset("in on at for by with across over under during within via through from".split())
# A claim is held to the polarity of the source sentences holding at least this share of its terms.
ALIGNED = 0.4
_WORD = re.compile(r"_?[a-z0-9]+(?:'[a-z]+)?(?:-[a-z0-9]+)*|[,;:.()?!]")


@dataclass(frozen=True)
class Polarity:
    """A text's content terms, and the groups of them each negation reaches."""

    terms: frozenset[str]
    scopes: tuple[frozenset[str], ...]

    @property
    def negated(self) -> frozenset[str]:
        return frozenset().union(*self.scopes)


@lru_cache(maxsize=8192)
def polarity(text: str) -> Polarity:
    terms: set[str] = set()
    scopes: list[set[str]] = []
    text = _NEGATING_PHRASES.sub(" not ", _NOT_ONLY.sub(" ", text.lower()))
    text = _COMPARING.sub(lambda m: f"{m.group()} _alternative", _ALTERNATIVE.sub(" _alternative ", text))
    reach = skip = 0
    for word in _WORD.findall(text):
        if word in _SCOPE_END or not word[0].isalnum():
            reach = 0
            skip = skip if word in ("and", "or") else 0  # 'outperforming A and B': both are set aside
        if word in _PREPOSITIONS:
            skip = 0  # 'outperforms implicit methods in video regression': the object ends at 'in'
        if word == "_alternative":
            skip = _ALTERNATIVE_WORDS
            continue
        if word in NEGATORS or word.endswith("n't"):
            reach = _SCOPE_WORDS
            scopes.append(set())
            continue
        if word in STOPWORDS or not word[0].isalnum():
            continue
        if skip:
            skip -= 1
            continue
        if word.endswith("-free") and len(word) > 5:  # 'training-free': no training
            scopes.append(set(tokenize(word[:-5])))
            terms.update(scopes[-1])
            continue
        for term in tokenize(word):
            terms.add(term)
            if reach:
                scopes[-1].add(term)
        if reach:
            reach -= 1
    return Polarity(frozenset(terms), tuple(frozenset(s) for s in scopes if s))


def flipped(claim: str, source_sentences: list[str], ignore: frozenset[str] = frozenset()) -> str | None:
    """A term the claim negates where the source asserts it, or asserts where the source negates it
    ('sufficient' where the source only says 'insufficient' counts too).

    Judged against the source sentences that say most of what the claim says (not a word met elsewhere in
    the abstract), and by the whole group of terms a negation reaches: it flips only when the other side
    negates none of them ('incurs no accuracy loss' agrees with 'does not incur any accuracy loss')."""
    opposite = _prefixed_opposite(claim, source_sentences)
    if opposite:
        return opposite
    mine = polarity(claim)
    terms = mine.terms - ignore
    theirs = [polarity(s) for s in source_sentences]
    shares = [share(set(terms), set(p.terms)) for p in theirs]
    best = max(shares, default=0.0)
    if best < ALIGNED:
        return None
    aligned = [p for p, found in zip(theirs, shares) if found >= 0.8 * best]
    said = frozenset().union(*(p.terms for p in aligned))
    negated = frozenset().union(*(p.negated for p in aligned))
    for scope in mine.scopes:  # the claim negates what the aligned source asserts
        present = [t for t in scope - ignore if _has(said, t)]
        if present and not any(_has(negated, t) for t in present):
            return present[0]
    for source in aligned:  # the aligned source negates what the claim asserts
        for scope in source.scopes:
            present = [t for t in scope - ignore if _has(terms, t)]
            if len(present) >= 2 and not any(_has(mine.negated, t) for t in present):
                return present[0]
    return None


def _has(terms: frozenset[str] | set[str], term: str) -> bool:
    return term in terms or any(same_term(term, t) for t in terms)


_PREFIXES = ("non-", "non", "un", "in")


def _prefixed_opposite(claim: str, source_sentences: list[str]) -> str | None:
    """'sufficient' in the claim where the source only has 'insufficient' (or the other way round)."""
    mine = set(tokenize(claim))
    theirs = {t for s in source_sentences for t in tokenize(s)}
    for term in mine - theirs:
        if any(p + term in theirs for p in _PREFIXES if len(term) >= 6):
            return term
        base = next((term[len(p) :] for p in _PREFIXES if term.startswith(p) and len(term) - len(p) >= 6), None)
        if base and base in theirs:
            return term
    return None
