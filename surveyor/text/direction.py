"""Which way a text moves things: 'reduces memory', 'latency drops', 'outperforms X', and whether a claim
moves the same thing the other way than its source does, or swaps the sides of a comparison.

Word overlap cannot tell "HNeRV outperforms implicit methods" from "HNeRV underperforms ..." (one word
differs); these checks can, cheaply and without a model. The words come from a curated list shipped
beside this module (directions.txt), grouped by what they measure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from surveyor.text.tokens import same_term, tokenize

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?(?:[-_][a-z]+)*")


@dataclass(frozen=True)
class Move:
    """A direction word and what it moves: 'reduces [memory]' (after), '[latency] drops' (before)."""

    group: str
    up: bool
    before: frozenset[str]
    after: frozenset[str]

    def about_same(self, other: Move) -> bool:
        """Both move the same thing: their objects meet, or one has none and its subject meets the other."""
        if self.after and other.after:
            return _meet(self.after, other.after)
        mine, theirs = self.after or self.before, other.after or other.before
        return _meet(mine, other.before | other.after) or _meet(theirs, self.before | self.after)


@cache
def _lexicon() -> dict[str, tuple[str, bool]]:
    """word -> (group, says up), from the curated list shipped beside this module."""
    lexicon: dict[str, tuple[str, bool]] = {}
    for line in (files("surveyor.text") / "directions.txt").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        group, _, words = line.partition(":")
        up, _, down = words.partition("|")
        lexicon.update({w: (group.strip(), True) for w in up.split()})
        lexicon.update({w: (group.strip(), False) for w in down.split()})
    return lexicon


# 'more than 4,000', 'less than 2%': how much, not which way.
_HEDGES = re.compile(r"\b(?:more|less|fewer|greater|higher|lower) than (?=[\d$~]|about|roughly|\w+ (?:times|percent))")
# Two-word direction phrases, read as one word ('breaks down' -> 'breaks_down').
_PHRASES = re.compile(r"\b(?:break|breaks|broke|breaking|slow|slows|slowed|speed|speeds|sped) (?:down|up)\b")
# Where what a direction word moves ends: 'reduces memory, and increases throughput'.
_MOVE_BREAK = re.compile(r"[,;:]|\b(?:and|or|but|while|whereas|by|than|with|at)\b")


def moves(text: str, ignore: frozenset[str] = frozenset()) -> list[Move]:
    """Direction words of `text`, each with the content terms just before and after it (3 words each).
    'more than 4,000 times' is a quantity, not a direction."""
    lexicon = _lexicon()
    found = []
    text = _PHRASES.sub(lambda m: m.group().replace(" ", "_"), _HEDGES.sub(" ", text.lower()))
    for part in _MOVE_BREAK.split(text):
        words = [w for w in _WORD.findall(part) if w in lexicon or (tokenize(w) and not w.endswith("ly"))]
        for i, word in enumerate(words):
            if word in lexicon:
                group, up = lexicon[word]
                before = _moved(words[max(0, i - 3) : i], lexicon, ignore)
                after = _moved(words[i + 1 : i + 4], lexicon, ignore)
                found.append(Move(group, up, before, after))
    return found


def _moved(words: list[str], lexicon: dict[str, tuple[str, bool]], ignore: frozenset[str]) -> frozenset[str]:
    """The content terms among `words` (stopwords and adverbs like 'sharply' are already gone): no direction
    words, nothing ignored."""
    return frozenset(t for w in words if w not in lexicon for t in tokenize(w)) - ignore


def _meet(these: frozenset[str], those: frozenset[str]) -> bool:
    return any(same_term(a, b) for a in these for b in those)


def contradicts_direction(claim: str, source: str, ignore: frozenset[str] = frozenset()) -> Move | None:
    """A move of the claim that the source makes only the other way, about the same thing."""
    source_moves = moves(source, ignore)
    for move in moves(claim, ignore):
        related = [m for m in source_moves if m.group == move.group and m.about_same(move)]
        if related and all(m.up != move.up for m in related):
            return move
    return None


_COMPARATIVE = re.compile(
    r"\b(?:outperform\w*|surpass\w*|exceed\w*|beat\w*|(?:better|faster|higher|larger|stronger|more \w+) than)\b",
    re.IGNORECASE,
)


def reversed_comparison(claim: str, source: str, ignore: frozenset[str] = frozenset()) -> bool:
    """'A outperforms B' stated as 'B outperforms A'."""
    mine, theirs = _COMPARATIVE.search(claim), _COMPARATIVE.search(source)
    if not (mine and theirs):
        return False
    claim_left, claim_right = (set(tokenize(p)) - ignore for p in (claim[: mine.start()], claim[mine.end() :]))
    source_left, source_right = (set(tokenize(p)) - ignore for p in (source[: theirs.start()], source[theirs.end() :]))
    crossed = claim_left & source_right and claim_right & source_left
    return bool(crossed) and not (claim_left & source_left)
