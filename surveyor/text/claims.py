"""What a claim asserts beyond its words: the numbers it states, whether it negates, which way it moves
things, and which of its clauses line up with which clauses of a source.

Word overlap cannot tell "HNeRV outperforms implicit methods" from "HNeRV does not outperform implicit
methods" (negation words are stopwords) or from "HNeRV underperforms ..." (one word differs). These
checks can, cheaply and without a model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from surveyor.text.tokens import same_term, tokenize

# ---------------------------------------------------------------------------------------------- numbers
_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        "zero _ two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
    if w != "_"  # "one" mostly means "a" ("one study", "one of"), never a quantity worth checking
} | {"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000}
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9, "trillion": 1e12}
_KIND = {"x": "x", "×": "x", "times": "x", "fold": "x", "%": "%", "percent": "%"}
_QUANTITY = re.compile(
    r"(?P<sign>[+\-−±]?)(?:(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)|(?P<word>"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r"))(?:\s?(?P<scale>thousand|million|billion|trillion)\b|(?P<short>[kKMB])(?![A-Za-z]))?"
    r"(?P<kind>\s?(?:%|percent\b)|\s?[x×](?![A-Za-z])|\s?times\b|-?fold\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    """A number as stated: its value, and whether it is a multiplier ('x'), a percentage ('%') or plain ('')."""

    value: float
    kind: str
    written: str


def quantities(text: str) -> list[Quantity]:
    """The numbers `text` states ('16x', '16times', 'sixteen-fold', '+4.7', '94.85%', '7B'), not digits
    inside names ('H.264', 'GPT-4', 'F1', 'COCO2017', '3D')."""
    found = []
    for match in _QUANTITY.finditer(text):
        start, end = match.start(), match.end()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if before.isalnum() or before in "._" or (before == "-" and start > 1 and text[start - 2].isalnum()):
            continue  # part of a name: 'GPT-4', 'H.264', 'v2', 'Llama-2'
        if match.group("sign") == "-" and before.isalnum():
            continue
        if after.isalpha() and not match.group("kind"):
            continue  # '3D', '5th', '16bit'
        value = _value(match)
        kind = _KIND.get(re.sub(r"[\s-]", "", (match.group("kind") or "")).lower(), "")
        found.append(Quantity(value, kind, match.group(0).strip()))
    return found


def _value(match: re.Match[str]) -> float:
    number = float(match.group("digits").replace(",", "")) if match.group("digits") else float(
        _NUMBER_WORDS[match.group("word").lower()]
    )
    scale = (match.group("scale") or match.group("short") or "").lower()
    return number * _SCALE.get(scale, 1.0)


def missing_quantity(claim: str, source: str, allowed: tuple[float, ...] = ()) -> Quantity | None:
    """The first number the claim states that the source does not (same value and kind), if any.
    `allowed` are values the source's metadata vouches for (its year)."""
    stated = {(round(q.value, 6), q.kind) for q in quantities(source)}
    values = {v for v, _ in stated}
    for quantity in quantities(claim):
        key = (round(quantity.value, 6), quantity.kind)
        if key in stated or (quantity.kind == "" and (key[0] in values or quantity.value in allowed)):
            continue
        return quantity
    return None


# --------------------------------------------------------------------------------------------- negation
_NEGATORS = frozenset(
    "not no never cannot neither nor without none nothing nobody nowhere unable lack lacks lacking "
    "fail fails failed failing hardly barely".split()
)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?(?:-[a-z]+)*")
# "not only X but also Y" asserts X.
_NOT_ONLY = re.compile(r"\bnot\s+(?:only|just|merely)\b")
_CLAUSE_BREAK = re.compile(
    r"[;:,]|"
    r"\b(?:while|whereas|although|though|but|unlike|in contrast to|compared (?:to|with))\b",
    re.IGNORECASE,
)


def negations(text: str) -> int:
    """How many negations a clause holds ('not', "n't", 'no', 'without', 'fails to', 'lacks', ...)."""
    words = _WORD.findall(_NOT_ONLY.sub(" ", text.lower()))
    return sum(1 for w in words if w in _NEGATORS or w.endswith("n't"))


def clauses(text: str) -> list[str]:
    """A sentence cut where its clauses meet ('..., while ...', '...; ...', 'Unlike X, ...')."""
    return [c.strip(" ,") for c in _CLAUSE_BREAK.split(text) if c and len(tokenize(c)) > 0]


@dataclass(frozen=True)
class Alignment:
    """A clause of the claim and the source clause that shares most of its terms."""

    claim: str
    source: str
    overlap: float  # share of the claim clause's terms found in the source clause
    rivals: tuple[str, ...]  # other source clauses that share almost as much


def align(claim: str, source_sentences: list[str], ignore: frozenset[str] = frozenset()) -> list[Alignment]:
    """Each claim clause with two or more terms, paired with its best source clause."""
    source_clauses = [(c, set(tokenize(c)) - ignore) for s in source_sentences for c in clauses(s)]
    pairs = []
    for clause in clauses(claim):
        terms = set(tokenize(clause)) - ignore
        if len(terms) < 2 or not source_clauses:
            continue
        scored = sorted(((len(terms & t) / len(terms), c) for c, t in source_clauses), reverse=True)
        best, text = scored[0]
        rivals = tuple(c for share, c in scored[1:] if share >= 0.8 * best and share > 0)
        pairs.append(Alignment(clause, text, best, rivals))
    return pairs


def contradicts_polarity(pair: Alignment) -> bool:
    """One side negates what the other asserts: parity of negations differs on the aligned clauses,
    and no near-equal source clause agrees with the claim."""
    claimed = negations(pair.claim) % 2
    return claimed != negations(pair.source) % 2 and all(negations(r) % 2 != claimed for r in pair.rivals)


# -------------------------------------------------------------------------------------------- direction
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


# Where what a direction word moves ends: 'reduces memory, and increases throughput'.
_MOVE_BREAK = re.compile(r"[,;:]|\b(?:and|or|but|while|whereas|by|than|to|with|at|for)\b")


def moves(text: str, ignore: frozenset[str] = frozenset()) -> list[Move]:
    """Direction words of `text`, each with the content terms just before and after it (3 words each)."""
    lexicon = _lexicon()
    found = []
    for part in _MOVE_BREAK.split(text.lower()):
        words = _WORD.findall(part)
        for i, word in enumerate(words):
            if word in lexicon:
                group, up = lexicon[word]
                before = _moved(words[max(0, i - 3) : i], lexicon, ignore)
                after = _moved(words[i + 1 : i + 4], lexicon, ignore)
                found.append(Move(group, up, before, after))
    return found


def _moved(words: list[str], lexicon: dict[str, tuple[str, bool]], ignore: frozenset[str]) -> frozenset[str]:
    """The content terms among `words`: no direction words, no adverbs ('sharply'), nothing ignored."""
    kept = [w for w in words if w not in lexicon and not w.endswith("ly")]
    return frozenset(tokenize(" ".join(kept))) - ignore


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
