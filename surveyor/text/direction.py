"""Which way a text moves things: 'reduces memory', 'latency drops', 'outperforms X', and whether a claim
moves the same thing the other way than its source does (comparisons.py: what else a comparison gets wrong).

Word overlap cannot tell "HNeRV outperforms implicit methods" from "HNeRV underperforms ..." (one word
differs); these checks can, cheaply and without a model. The words come from a curated list shipped
beside this module (directions.txt), grouped by what they measure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

from surveyor.text.tokens import aligned, same_term, tokenize

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?(?:[-_][a-z]+)*")
# Where a thing moves, not what moves ('climbs towards 1 as depth grows').
_NOT_MOVED = frozenset({"toward", "towards", "along"})


@dataclass(frozen=True)
class Move:
    """A direction word and what it moves: 'reduces [memory]' (after), '[latency] drops' (before)."""

    group: str
    up: bool
    before: frozenset[str]
    after: frozenset[str]
    condition: frozenset[str] = frozenset()  # 'decreases as [depth] increases'

    def about_same(self, other: Move) -> bool:
        """Both move the same thing (under the same condition, where both state one): their objects meet, or
        one has none and its subject meets the other."""
        if self.condition and other.condition and not _meet(self.condition, other.condition):
            return False
        if self.after and other.after:
            return _meet(self.after, other.after)
        mine, theirs = self.after or self.before, other.after or other.before
        return _meet(mine, other.before | other.after) or _meet(theirs, self.before | self.after)


def _entries(name: str) -> Iterator[tuple[str, str]]:
    """(label, words) per line of a list shipped beside this module ('label: words'; '#' comments)."""
    for line in (files("surveyor.text") / name).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            label, _, words = line.partition(":")
            yield label.strip(), words


@cache
def _lexicon() -> dict[str, tuple[str, bool]]:
    """word -> (group, says up), from the curated list shipped beside this module."""
    lexicon: dict[str, tuple[str, bool]] = {}
    for group, words in _entries("directions.txt"):
        up, _, down = words.partition("|")
        lexicon.update({w: (group, True) for w in up.split()})
        lexicon.update({w: (group, False) for w in down.split()})
    return lexicon


def same_move(a: str, b: str) -> bool:
    """Whether two tokens say the same speed ('faster', 'speedup', 'accelerates'). Only speed: 'smaller' and
    'fewer', or 'better' and 'boost', say little of what is meant alike."""
    moves = _token_moves()
    return a in moves and moves[a][0] == "speed" and moves[a] == moves.get(b)


@cache
def _token_moves() -> dict[str, tuple[str, bool]]:
    """The lexicon by token (as `tokenize` stems its words), each token's first group only."""
    found: dict[str, tuple[str, bool]] = {}
    for word, move in _lexicon().items():
        for token in tokenize(word.replace("_", " "))[:1]:
            found.setdefault(token, move)
    return found


# 'more than 4,000', 'less than 2%': how much, not which way.
_HEDGES = re.compile(r"\b(?:more|less|fewer|greater|higher|lower) than (?=[\d$~]|about|roughly|\w+ (?:times|percent))")
# 'the best competing FL method', 'the top-performing baseline': which one is meant, not a move.
_RANKED = re.compile(r"\b(?:best|strongest|top|leading|worst|weakest)(?=[\s-]+(?:[\w-]+\s+)?(?:competing|existing|"
                     r"prior|previous|performing|published|available|known|baselines?|competitors?|alternatives?)\b)")
# 'improves on the best competing method', 'improves upon X': outperforms it (not 'improves on ImageNet').
_IMPROVES_ON = re.compile(r"\bimprov(?:e|es|ed|ing) (?:upon\b|on (?=(?:the|all|its|their|prior|previous|existing|"
                          r"state-of-the-art|competing|strong|baselines?|sota)\b))")
# 'a large number of synapses' is many of them, 'a tiny number of synapses' few.
_MANY = re.compile(r"\b(?:an?\s+)?(?:large|great|huge|vast|high|substantial)\s+(?=(?:number|amount|quantity)\s+of\b)")
_FEW = re.compile(r"\b(?:an?\s+)?(?:small|tiny|limited|low|modest)\s+(?=(?:number|amount|quantity)\s+of\b)")
# 'reduces the comparison problem to a mean testing problem': one problem turned into another, not less of it.
_REDUCED_TO = re.compile(r"\breduc(?:e|es|ed|ing)(?=\s+(?:[\w-]+\s+){0,6}?to\s+(?:a|an|the)\b)")
# 'takes ten times longer to compute' is slower; 'takes less time' faster.
# ('requires longer sequences' moves nothing: only a time taken, 'longer to ...', 'longer than ...', is slower.)
_TAKES = r"\b(takes?|took|taking|needs?|needed|requires?|required)\s+((?:[\w.]+\s+){0,4}?)"
_TAKES_LONGER = re.compile(rf"{_TAKES}longer(?=\s+(?:to|than)\b|\s*[,.;]|\s*$)")
_TAKES_LESS = re.compile(rf"{_TAKES}(?:less|shorter) (?:time|wall-clock time)\b")
# 'almost no', read as one word ('almost_no') once the phrases are joined.
_NEARLY = "(?:almost|nearly|virtually)"
# Two-word direction phrases, read as one word ('breaks down' -> 'breaks_down').
_PHRASES = re.compile(
    r"\b(?:(?:break|breaks|broke|breaking|slow|slows|slowed|slowing|speed|speeds|sped|speeding) (?:down|up)|"
    rf"(?:fall|falls|fell|falling) (?:short|below|behind)|{_NEARLY} no|near zero|hardly any)\b"
)
# 'is outperformed by Y': the subject trails Y.
_PASSIVE_BEATEN = re.compile(r"\b(?:(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?)?(?:outperformed|surpassed|exceeded|"
                             r"beaten)\s+by\b")
# 'lower-quality heads', 'high-fidelity samples': the direction word of a compound read on its own ('low-pass filter',
# 'low-rank' and the like are names of things).
_COMPOUND = re.compile(r"\b(high|higher|highest|low|lower|lowest|better|worse)-(?=[a-z])"
                       r"(?!(?:pass|rank|level|order|dimensional|frequency|resource|bit|precision|filter)\b)")
# Quality words that do not say something was done to what follows them ('benefit from X', 'better X').
_NOT_DONE_TO = ("benefit", "better", "best", "worse", "worst", "improvement", "degradation")
# Where what a direction word moves ends: 'reduces memory, and increases throughput', 'falls as depth grows', 'is
# reduced when adding layers'.
_MOVE_BREAK = re.compile(r"([,;:]|\.(?=\s)|\b(?:and|or|but|while|whereas|by|than|with|at|as|when)\b)")


@lru_cache(maxsize=4096)
def moves(text: str, ignore: frozenset[str] = frozenset()) -> tuple[Move, ...]:
    """Direction words of `text`, each with the content terms just before and after it (3 words each), and
    what follows an 'as' after it (its condition). 'more than 4,000 times' is a quantity, not a direction."""
    lexicon = _lexicon()
    found = []
    text = _HEDGES.sub(" ", _REDUCED_TO.sub("turn", _IMPROVES_ON.sub("outperforms ", _RANKED.sub(" ", text.lower()))))
    text = _FEW.sub("fewer ", _MANY.sub("more ", text))
    text = _TAKES_LESS.sub(r"\1 \2faster", _TAKES_LONGER.sub(r"\1 \2slower", text))
    text = _PHRASES.sub(lambda m: m.group().replace(" ", "_"), _COMPOUND.sub(r"\1 ", _PASSIVE_BEATEN.sub("trails", text)))
    found += _bettered(text, ignore) + _kept(text, ignore)
    # 'with nearly no reduction in performance' keeps it (above), it moves nothing down.
    text = _DENIED.sub(lambda m: f"{m.group(1).rstrip()}, " if m.group(2) in lexicon else m.group(0), text)
    pieces = _MOVE_BREAK.split(text)  # part, break, part, break, ...
    parts = [_words(part, lexicon) for part in pieces[::2]]
    for n, words in enumerate(parts):
        conditioned = n + 1 < len(parts) and pieces[2 * n + 1] in _CONDITIONS
        condition = _moved(parts[n + 1], lexicon, ignore) if conditioned else frozenset()
        for i, word in enumerate(words):
            if word in lexicon:
                group, up = lexicon[word]
                # What it moves ends at the next direction word, which moves its own ('the largest benefits for
                # smaller datasets': the benefits are large, not the datasets).
                # An adverb closing its clause is said of the whole of it ('aligns with X only slowly').
                adverb = word.endswith("ly") and group == "speed"
                joined = n > 0 and pieces[2 * n - 1].lower() in _PREPOSITION_BREAKS
                window = (parts[n - 1] if adverb and joined else []) + words[:i]
                before = _moved(_after_last_move(window[-(_ADVERB_REACH if adverb else 3) :], lexicon), lexicon, ignore)
                after = _moved(_before_next_move(words[i + 1 : i + 4], lexicon), lexicon, ignore)
                if _also_moved(words[i + 1 :], pieces, n, parts, lexicon):
                    # 'reduce model complexity and communication volumes': both are reduced.
                    after |= _moved(parts[n + 1][:3], lexicon, ignore)
                elif _shares_noun(words[i + 1 :], pieces, n, parts, lexicon):
                    # 'allows faster and more efficient training': the training is faster.
                    after = _moved(_after_last_move(parts[n + 1][:3], lexicon), lexicon, ignore)
                found.append(Move(group, up, before, after, condition))
                found += _for_better(up, words[i + 1 : i + 4], ignore)
                if group == "quality" and after and not word.startswith(_NOT_DONE_TO):
                    found.append(Move("valence", up, frozenset(), after))  # 'improves X': X is better
    return tuple(found)


def _also_moved(rest: list[str], pieces: list[str], n: int, parts: list[list[str]],
                lexicon: dict[str, tuple[str, bool]]) -> bool:
    """Whether what follows 'and'/'or' right after a move's object is more of its object: no direction word
    after the move in its part or in the next one, which follows the conjunction itself."""
    return (n + 1 < len(parts) and pieces[2 * n + 1].lower() in ("and", "or") and bool(rest)
            and not any(w in lexicon for w in rest + parts[n + 1]))


def _shares_noun(rest: list[str], pieces: list[str], n: int, parts: list[list[str]],
                 lexicon: dict[str, tuple[str, bool]]) -> bool:
    """Whether a direction word closing its part is coordinated with one that opens the next part, before the
    noun both are said of: 'faster | and | more efficient training'."""
    return (not rest and n + 1 < len(parts) and pieces[2 * n + 1].lower() in ("and", "or") and bool(parts[n + 1])
            and parts[n + 1][0] in lexicon and len(parts[n + 1]) > 2)


_ADVERB_REACH = 8
# What opens the condition a move is said under: 'decreases as depth grows', 'is reduced when adding layers'.
_CONDITIONS = frozenset({"as", "when"})
_PREPOSITION_BREAKS = frozenset({"with", "by", "at", "as"})


def _kept(text: str, ignore: frozenset[str]) -> list[Move]:
    """What a text says is not made worse ('with no quality degradation', 'without sacrificing image quality'),
    read as not moving it for the worse: a claim that it drops contradicts it, one that it improves does not."""
    found = []
    for match in _KEPT.finditer(text):
        thing = frozenset(tokenize(f"{match.group(1) or ''} {match.group(2) or ''}")) - ignore
        if thing:
            found.append(Move("valence", True, frozenset(), thing))
    for match in _PRESERVED.finditer(text):
        found.append(Move("valence", True, frozenset(), frozenset(tokenize(match.group(1))) - ignore))
    for match in _REMAINS.finditer(text):
        quality = match.group(1)
        found.append(Move("valence", True, frozenset(), frozenset(tokenize(f"{quality} {_QUALITY[quality]}")) - ignore))
    for match in _SPENT.finditer(text):  # 'needs more memory' is worse for memory; 'uses less' better
        found.append(Move("valence", match.group(1) == "less", frozenset(), frozenset(tokenize(match.group(2))) - ignore))
    return found


# 'while preserving the memory efficiency', 'maintains accuracy': kept, as good as before.
_PRESERVED = re.compile(r"\b(?:preserv|maintain|retain)\w*\s+(?:the\s+|its\s+|their\s+)?((?:[\w-]+\s+){0,2}?"
                        r"(?:efficiency|performance|accuracy|quality|robustness|fidelity))\b")
# 'the model remains efficient even under reduced workloads': as good as before.
_QUALITY = {"efficient": "efficiency", "accurate": "accuracy", "robust": "robustness", "effective": "effectiveness",
            "stable": "stability", "reliable": "reliability"}
_REMAINS = re.compile(rf"\b(?:remain|stay)\w*\s+(?:\w+ly\s+)?({'|'.join(_QUALITY)})\b")
# A resource spent: 'needs substantially more memory', 'consumes less energy'.
_SPENT = re.compile(r"\b(?:needs?|requires?|consumes?|uses?|takes?|demands?)\s+(?:\w+ly\s+)?(more|less|fewer)\s+"
                    r"(?:[\w-]+\s+)?(memory|compute|computation|energy|bandwidth|storage|resources?)\b")


# A direction word denied: 'no reduction', 'without any increase'.
_DENIED = re.compile(rf"\b((?:{_NEARLY}_)?(?:no|without|never)\s+(?:any\s+)?)([a-z_]+)")
# 'no quality degradation', 'without sacrificing image quality', 'without any loss of accuracy'.
_KEPT = re.compile(
    rf"\b(?:{_NEARLY}_)?(?:without|no|not|never|nor)\s+(?:any\s+)?((?:[\w-]+\s+){{0,2}}?)"
    r"(?:sacrific|compromis|degrad|hurt|harm|impair|"
    r"losing|loss|drop|reduc|decreas|declin)\w*(?:\s+(?:in|of|on|to)\b)?"
    r"(?:\s+(?:the\s+|its\s+|their\s+)?((?:[\w-]+\s+)?[\w-]+))?"
)


def _bettered(text: str, ignore: frozenset[str]) -> list[Move]:
    """What a better result in a measure means for it: 'outperform ... in terms of training speed' is faster
    training; 'an improvement in GPU memory' is less memory ('speed' and 'throughput' go up, costs down);
    'improving both image quality and convergence rate' is faster convergence."""
    found = []
    for match in _BETTER_IN.finditer(text):
        thing = frozenset(tokenize(f"{match.group(1)} {match.group(2)}")) - ignore
        speed = match.group(2) in ("speed", "throughput")
        found.append(Move("speed" if speed else "amount", speed, frozenset(), thing))
    found += [Move("speed", True, frozenset(), frozenset({"convergence"})) for _ in _CONVERGES_FASTER.finditer(text)]
    # 'preserves distances less accurately than existing methods': worse than them.
    valence = _valence()
    for match in _LESS_THAN.finditer(text):
        quality = tokenize(match.group(2))[:1]
        if quality and quality[0] in valence:
            up = (match.group(1) == "more") == valence[quality[0]]
            found.append(Move("comparison", up, frozenset(), frozenset(tokenize(match.group(3))) - ignore))
    # 'significant improvements in communication and memory efficiency', 'superior parameter-efficiency': better.
    for pattern in _IMPROVEMENT_IN:
        for match in pattern.finditer(text):
            thing = frozenset(tokenize(match.group(2))) - ignore
            if thing and not _NONE_OF.search(text[: match.start()]):  # 'nearly no loss in performance', 'no gains in'
                better = match.group(1).startswith(("improv", "gain", "superior"))
                found.append(Move("valence", better, frozenset(), thing))
    return found


_NONE_OF = re.compile(rf"\b(?:no|without|not|never|any|little|minimal|{_NEARLY}_no)\s+$")
_LESS_THAN = re.compile(r"\b(less|more)\s+([a-z-]+?)(?:ly)?\s+than\s+((?:[\w-]+\s+){0,3}?[\w-]+)(?=\s*(?:[,;.]|$|\b"
                        r"(?:in|on|at|for|while|and)\b))")
_IMPROVEMENT_IN = (
    re.compile(r"\b(improvements?|gains?|degradations?|deteriorations?|loss(?:es)?)\s+in\s+(?:the\s+|their\s+|its\s+)?"
               r"((?:[\w-]+\s+){0,3}?[\w-]+)(?=\s*(?:[,;.]|$|\b(?:while|over|compared|than|for|on|with|at|by|"
               r"across)\b))"),
    re.compile(r"\b(superior|inferior)\s+(?!to\b|than\b|in\b|on\b)([\w-]+)"),
)


# A better result in a measure: 'outperform their counterparts in terms of training speed', 'a significant
# improvement in GPU memory over global methods' (not 'memory efficiency', which is better when higher).
_BETTER_IN = re.compile(
    r"\b(?:improv\w*|outperform\w*|surpass\w*|better|gains?|advantages?|superior)\b(?:\s+[\w-]+){0,5}?\s+in\s+"
    r"(?:terms\s+of\s+)?(?:the\s+|their\s+|its\s+)?((?:[\w-]+\s+){0,2}?)(speed|throughput|memory|latency|runtime|"
    r"time|cost|energy|bandwidth|footprint|storage)\b(?!\s+(?:efficiency|utili[sz]ation|capacity))"
)


# 'improving both image quality and convergence rate', 'accelerates convergence': converging faster.
_CONVERGES_FASTER = re.compile(r"\b(?:improv|accelerat|boost|enhanc|speed\w* up)\w*\s+(?:both\s+)?(?:the\s+)?"
                               r"(?:[\w-]+\s+){0,3}?(?:and\s+)?(?:the\s+)?convergence\b")


def _for_better(up: bool, following: list[str], ignore: frozenset[str]) -> list[Move]:
    """What a move means for the thing it moves, where more of that thing is better or worse (valence.txt):
    'lowers performance', 'less robust' and 'higher error' all move things for the worse ('valence' down),
    whatever scale their words belong to. The thing is the first valenced word of the three after the direction
    word ('decreases downstream classifier accuracy'), or the second when the first two are valenced ('the
    performance gap', 'accuracy loss')."""
    valence, lacking = _valence(), _lacks()
    # (A compound is what its last part is: 'parameter-efficient' is efficient.)
    good = {w: valence[t] for w in following for t in tokenize(w.rsplit("-", 1)[-1])[:1]
            if t in valence and t not in ignore}
    first = next((w for w in following if w in good), None)  # 'a drop in image quality': the second word
    if first is None:
        return []
    word = following[1] if first == following[0] and len(following) > 1 and following[1] in good else first
    token = tokenize(word.rsplit("-", 1)[-1])[0]
    if token in lacking:  # 'higher vulnerability' is robustness moved for the worse
        return [Move("valence", up == good[word], frozenset(), frozenset({lacking[token]}))]
    return [Move("valence", up == good[word], frozenset(), frozenset(tokenize(word)) | {token})]


@cache
def _valence() -> dict[str, bool]:
    """token -> whether more of it is better, from the list shipped beside this module."""
    valence: dict[str, bool] = {}
    for kind, words in _entries("valence.txt"):
        valence.update({t: kind == "good" for w in words.split() for t in tokenize(w)[:1]})
    return valence


@cache
def _lacks() -> dict[str, str]:
    """token -> the token of what it is the lack of ('vulnerab' -> 'robust'), from the 'bad of X' lines."""
    return {t: tokenize(kind.split(" of ", 1)[1])[0] for kind, words in _entries("valence.txt") if " of " in kind
            for w in words.split() for t in tokenize(w)[:1]}


def _words(part: str, lexicon: dict[str, tuple[str, bool]]) -> list[str]:
    return [w for w in _WORD.findall(part) if w in lexicon or (tokenize(w) and not w.endswith("ly"))]


def _before_next_move(words: list[str], lexicon: dict[str, tuple[str, bool]]) -> list[str]:
    """The words up to the next direction word, one right beside (as in 'more slowly') read through."""
    return next((words[:j] for j, w in enumerate(words) if j > 0 and w in lexicon), words)


def _after_last_move(words: list[str], lexicon: dict[str, tuple[str, bool]]) -> list[str]:
    return next((words[j + 1 :] for j in range(len(words) - 2, -1, -1) if words[j] in lexicon), words)


def _moved(words: list[str], lexicon: dict[str, tuple[str, bool]], ignore: frozenset[str]) -> frozenset[str]:
    """The content terms among `words` (stopwords and adverbs like 'sharply' are already gone): no direction
    words, nothing ignored."""
    return frozenset(t for w in words if w not in lexicon and w not in _NOT_MOVED for t in tokenize(w)) - ignore


def _meet(these: frozenset[str], those: frozenset[str]) -> bool:
    return any(same_term(a, b) for a in these for b in those)


# What a text sets aside moves nothing of its own: 'rather than only selecting the strongest models', 'not limited
# to the strongest models'.
_ASIDE = re.compile(r"\b(?:rather than|instead of|not limited to|as opposed to)\b[^,;.]*", re.IGNORECASE)


def read_ahead(sentences: list[str], ignore: frozenset[str] = frozenset()) -> None:
    """Read the moves of a source's sentences, one by one and together, as `contradicts_direction` reads them."""
    sentences = [_ASIDE.sub(" ", s) for s in sentences]
    for text in (*sentences, " ".join(sentences)):
        moves(text, ignore)


_NAMED_CHANGE = re.compile(r"\bthe\s+(increase|decrease|reduction|growth|rise|drop|decline)\s+(?=in\b|of\b)",
                           re.IGNORECASE)


def contradicts_direction(claim: str, sentences: list[str], ignore: frozenset[str] = frozenset()) -> Move | None:
    """A move of the claim that the source makes only the other way, about the same thing: in the sentences
    the claim rewords, or anywhere in the abstract."""
    claim, sentences = _ASIDE.sub(" ", claim), [_ASIDE.sub(" ", s) for s in sentences]
    # 'the increase in loss' named on both sides is the thing that moves ('... grows' against '... vanishes').
    named = {m.group(1).lower() for m in _NAMED_CHANGE.finditer(claim)}
    named &= {m.group(1).lower() for s in sentences for m in _NAMED_CHANGE.finditer(s)}
    if named:
        def unnamed(text: str) -> str:
            return _NAMED_CHANGE.sub(lambda m: "the change " if m.group(1).lower() in named else m.group(0), text)

        claim, sentences = unnamed(claim), [unnamed(s) for s in sentences]
    mine = moves(claim, ignore)
    terms = frozenset(tokenize(claim)) - ignore
    reworded = aligned(terms, [frozenset(tokenize(s)) for s in sentences])
    for source in (" ".join(sentences[i] for i in reworded), " ".join(sentences)):
        source_moves = moves(source, ignore)
        for move in mine:
            related = [m for m in source_moves if m.group == move.group and m.about_same(move)]
            if related and all(m.up != move.up for m in related):
                return move
    return None
