"""The numbers a text states, normalised so that '16x', '16times', '16 times' and 'sixteen-fold' are one
quantity, '16.5B' and '16.5 billion' another, and '512x512' two plain sizes rather than a multiplier."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from surveyor.text.acronyms import defined_acronyms
from surveyor.text.tokens import share, tokenize

_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        "zero _ two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
    if w != "_"  # "one" mostly means "a" ("one study", "one of"), never a quantity worth checking
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
     "thousand": 1000}
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9, "trillion": 1e12}
_KIND = {"x": "x", "×": "x", "times": "x", "fold": "x", "%": "%", "percent": "%", "bit": "bit", "bits": "bit"}
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_QUANTITY = re.compile(
    rf"(?P<sign>[+\-−±]?)(?:(?P<digits>{_NUMBER})|(?P<word>"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r"))(?:[\s-]?(?P<scale>thousand|million|billion|trillion)\b|(?P<short>[kKMB])(?![A-Za-z]))?"
    r"(?P<kind>\s?(?:%|percent\b)|\s?[x×](?![A-Za-z\d])|\s?times\b|-?fold\b|[\s-]?bits?\b)?",
    re.IGNORECASE,
)
# '8timesRTX 4090 GPUs': a '×' extracted from a PDF as a word, glued to what it counts.
_COUNTED_TIMES = re.compile(r"(\d)times(?=[A-Z])")
# '512x512', '512 × 512', '512times512': two sizes.
_DIMENSION = re.compile(rf"\b({_NUMBER})\s?(?:x|×|times)\s?({_NUMBER})\b", re.IGNORECASE)
# '10-100x', '2 to 10 times', '300x-2500x': the kind belongs to both ends.
_RANGE = re.compile(
    rf"(?<![\w.])({_NUMBER})\s?(?:x|×|times|%)?\s?(?:-|–|to)\s?({_NUMBER})\s?(x|×|times\b|%|-?fold\b)", re.IGNORECASE
)


# '0.3-1 meters', '3–5 layers': both ends of a plain range.
_PLAIN_RANGE = re.compile(rf"(?<![\w.])({_NUMBER})\s?[-–]\s?({_NUMBER})(?![\w.%×])")
# 'two and a half times', '1 and a half': one number.
_AND_A_HALF = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|\d+) and a half\b", re.IGNORECASE)


# 'the two', 'the three of them' standing for things already named.
_THE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_REFERRING_END = re.compile(r"\s*(?:[.,;:)]|$|of them\b|together\b)")
# Words that make the number before them a multiplier: '5.18 speedup', '4 compression'.
_RATIO = re.compile(r"\s+(?:speed-?ups?|acceleration|compression|faster|slower)\b", re.IGNORECASE)
# Units written right after a number: an amount, not a name.
_UNIT = re.compile(r"(?:[KMGTP]i?B|[KMGT]o|[KMGT]b(?:ps)?|ms|[KMG]Hz|fps|dB|kW|W)(?![A-Za-z])")


@dataclass(frozen=True)
class Quantity:
    """A number as stated: its value (scaled: '7B' is 7e9), whether it is a multiplier ('x'), a percentage
    ('%') or plain (''), and as written."""

    value: float
    kind: str
    written: str
    raw: float  # the digits as written, without the scale ('7' of '7B')


# 'version 1.5' names a release as 'v1.5' does: no quantity.
_VERSION = re.compile(r"\bversions?\s+(?=\d)", re.IGNORECASE)
# A LaTeX relation glued to a number once its backslash is gone: '1leq p', '0neq x'.
_RELATION = re.compile(r"(\d)(leq|geq|neq|approx|sim|cdot)\b")


def quantities(text: str) -> list[Quantity]:
    return list(_quantities(text))


@lru_cache(maxsize=8192)
def _quantities(text: str) -> tuple[Quantity, ...]:
    """The numbers `text` states ('16x', '16times', 'sixteen-fold', '+4.7', '94.85%', '7B', '10-100x'), not
    digits inside names ('H.264', 'GPT-4', 'F1', 'COCO2017', '3D')."""
    text = _VERSION.sub("v", _DIMENSION.sub(r"\1 by \2", text.replace("\\%", "%")))  # LaTeX's '16\%' is 16%
    text = _COUNTED_TIMES.sub(r"\1 ", text)  # '8timesRTX 4090 GPUs' (a '×' extracted as a word): 8 GPUs
    text = _RELATION.sub(r"\1 \2", text)  # '1leq p<2' (LaTeX's '1\leq p' without its backslash) states 1
    text = _RANGE.sub(lambda m: f"{m.group(1)}{m.group(3)} to {m.group(2)}{m.group(3)}", text)
    text = _PLAIN_RANGE.sub(r"\1 to \2", _AND_A_HALF.sub(_half, text))
    found = []
    for match in _QUANTITY.finditer(text):
        start, end = match.start(), match.end()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if before.isalnum() or before in "._^" or (before == "-" and start > 1 and text[start - 2].isalnum()):
            continue  # part of a name or a formula: 'GPT-4', 'H.264', 'v2', 'Llama-2', 'k^2'
        if after.isalpha() and not match.group("kind") and _UNIT.match(text, end) is None:
            continue  # '3D', '5th' (but '2GB', '4Go' and '100ms' are amounts)
        if match.group("word") and _THE.search(text, 0, start) and _REFERRING_END.match(text, end):
            continue  # 'fuses the two': the things just named, not a count
        raw = float(match.group("digits").replace(",", "")) if match.group("digits") else float(
            _NUMBER_WORDS[match.group("word").lower()]
        )
        scale = (match.group("scale") or match.group("short") or "").lower()
        kind = _KIND.get(re.sub(r"[\s-]", "", (match.group("kind") or "")).lower(), "")
        if not kind and _RATIO.match(text, end):
            kind = "x"  # '5.18 speedup': a multiplier whose '×' the text lost
        found.append(Quantity(raw * _SCALE.get(scale, 1.0), kind, match.group(0).strip(), raw))
    return tuple(found)


def _half(match: re.Match[str]) -> str:
    whole = match.group(1).lower()
    value = int(whole) if whole.isdigit() else _NUMBER_WORDS.get(whole, 1)  # "one" is no number word there
    return f"{value + 0.5:g}"


def missing_quantity(claim: str, source: str, allowed: tuple[float, ...] = ()) -> Quantity | None:
    """The first number the claim states that the source does not (same value and kind; a plain number
    matches any kind), if any. `allowed` are values the source's metadata vouches for (its year)."""
    stated = quantities(source)
    kinds = {(round(v, 6), q.kind) for q in stated for v in (q.value, q.raw)}
    values = {v for v, _ in kinds}
    for quantity in quantities(claim):
        options = {round(quantity.value, 6), round(quantity.raw, 6)}
        if any((v, quantity.kind) in kinds for v in options):
            continue
        if quantity.kind == "" and (options & values or quantity.value in allowed or _enumerated(claim, quantity)):
            continue
        if quantity.kind == "bit" and options & values and not any(q.kind == "bit" for q in stated):
            continue  # '4-bit' where the source says '4 bits' in its own way ('weights in 4 and activations in 8')
        if quantity.written.lower() in " ".join(_GLUED.findall(source)).lower():
            continue  # in words run together, as extracted from a PDF ('Onsixrealnetworksfromvarious domains')
        if _hedged(claim, quantity) and any(
            q.kind in (quantity.kind, "") and abs(q.value - quantity.value) <= _ROUGHLY * abs(q.value) for q in stated
        ):
            continue  # 'nearly six-fold' for '5.9x'
        return quantity
    return None


# Words run together, as PDF extraction leaves them ('GRADCOcomputesthe28matricesinminutes').
_GLUED = re.compile(r"[A-Za-z0-9]{25,}")
# A count followed by the list it counts: 'into three groups: unveiling, understanding, and mitigating'.
_LISTED = r"\s+(?:[\w-]+\s+){0,3}?[\w-]+\s*(?::|\(|,?\s+namely)\s*([^.;:()]+)"
_ITEM_BREAK = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")


def _enumerated(claim: str, quantity: Quantity) -> bool:
    """Whether the claim spells out, right after a small count, as many items as it counts (each item's
    words are then checked like any other)."""
    if not 2 <= quantity.value <= 10 or quantity.value != int(quantity.value):
        return False
    for text in (claim, _ASIDE.sub("", claim)):  # 'three categories: unveiling (detecting it), understanding ...'
        listed = re.search(rf"\b{re.escape(quantity.written)}{_LISTED}", text, re.IGNORECASE)
        if listed is not None and _items(listed.group(1).strip()) == quantity.value:
            return True
    return False


def _items(listing: str) -> int:
    """How many items a list holds, up to the one after its 'and' ('a, b, and c it, and also d': three)."""
    pieces = _ITEM_BREAK.split(listing)
    breaks = _ITEM_BREAK.findall(listing)
    last = next((n for n, b in enumerate(breaks) if re.search(r"\b(?:and|or)\b", b)), len(breaks))
    return len([item for item in pieces[: last + 2] if item])


_ASIDE = re.compile(r"\s*\([^()]*\)")


# How far a number the claim gives as approximate ('nearly six-fold', 'about 30%') may be from the source's.
_ROUGHLY = 0.1
_HEDGE = r"(?:nearly|almost|about|around|roughly|approximately|close to|some|~)\s*"


def _hedged(claim: str, quantity: Quantity) -> bool:
    return re.search(rf"{_HEDGE}{re.escape(quantity.written)}", claim, re.IGNORECASE) is not None


# Words that are part of how a number is written ('5 million', 'one minute'), not what it is said of.
_NUMBER_PARTS = frozenset(_NUMBER_WORDS) | frozenset(_SCALE) | {"one", "percent", "time", "fold"}
# 'improves over A and B by 3.90% and 28.05%, respectively': each number goes with one of the things named.
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
# Two numbers joined right after the first: 'either 1 or 2-layer networks', '4 and 8 bits'.
# (Not '256 x 256 and 2.89 on ImageNet': what follows the second is its own.)
_COORDINATED = re.compile(r"(?<![x×.\d] )(?<![.\d])(\d+)-?\s+(?:or|and)\s+(?=\d+(?:-[A-Za-z]|\s+(?!(?:on|in|at|for|"
                          r"with|by|to|of|from|and|or|over|than)\b)[A-Za-z]))")
# Where what a number is said of ends: 'compression ratio by 50% and practical throughput by 66%'.
_SEGMENT = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))|[;:()]|\b(?:and|or|while|whereas)\b")  # not '1,890'


_COUNT = r"(\d+|" + "|".join(w for w in _NUMBER_WORDS if w != "_") + r")"
# 'four of the five datasets', '3 out of 4 tasks': a part of a whole.
_PART_OF = re.compile(rf"\b{_COUNT}\s+(?:out\s+)?of\s+(?:the\s+|all\s+)?{_COUNT}\b", re.IGNORECASE)
# 'all five datasets', 'each of the 4 tasks', 'every one of the five': the whole.
_ALL_OF = re.compile(rf"\b(?:all(?:\s+of)?(?:\s+the)?|each\s+of\s+the|every\s+one\s+of\s+the)\s+{_COUNT}\b",
                     re.IGNORECASE)


def overcounted(claim: str, source: str) -> str | None:
    """'all five datasets' where the source says 'four of the five': the whole claimed for a part (the
    claim's words for the whole, if so)."""
    parts = {(_count_of(a), _count_of(b)) for a, b in _PART_OF.findall(source)}
    for match in _ALL_OF.finditer(claim):
        whole = _count_of(match.group(1))
        if any(total == whole and part < total for part, total in parts):
            return match.group(0)
    return None


def _count_of(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def misbound_quantity(claim: str, source_sentences: list[str], ignore: frozenset[str] = frozenset()) -> Quantity | None:
    """A number the claim says of one thing where the source says it of another ('raises compression by 66%
    and throughput by 50%' against '... compression ratio by 50% and practical throughput by 66%'; '2.89 on
    ImageNet 256x256' against '1.70 on ImageNet 256 x 256 and 2.89 on ImageNet 512 x 512'): the claim's
    words for it meet the stretch of another number of its kind (two or more words) better than any stretch
    where the source states this number (for a count or a size: and none does)."""
    spelled = _spelled_out(" ".join(source_sentences))
    stretches = [said for sentence in source_sentences for said in _said_of(sentence, ignore, spelled, source=True)]
    for quantity, context in _said_of(claim, ignore):
        held = misplaced = 0
        # A measurement ('2.89', '+1.9', '66%') belongs where it is said best, not where a size is ('FID of 2.06 on
        # ImageNet 256x256' where 256 and 2.06 stand in two sentences); a count or a size ('256') only has to be
        # said of something the claim names.
        measured = _measured(quantity)
        for other, said_of in stretches:
            met = sum(1 for t in context if share({t}, said_of))
            if round(other.value, 6) == round(quantity.value, 6):
                held = max(held, met)
            # (A number the claim states beside this one is said of its own words: '$1,890 ... an FID of 12.7'.)
            elif other.kind == quantity.kind and _measured(other) == measured and f"#{other.value:g}" not in context:
                misplaced = max(misplaced, met)
        if misplaced >= 2 and (misplaced > held if measured else not held):
            return quantity
    return _miscounted(claim, source_sentences)


def _miscounted(claim: str, source_sentences: list[str]) -> Quantity | None:
    """A count of things the source counts otherwise ('trained via two different techniques' against 'via three
    different techniques', where its 'two' counts variables and applications): what the claim's number counts
    (the plural noun after it), counted in the source by another number only."""
    # ('one' is as often a pronoun or an article as a count)
    mine = [(quantity, noun) for quantity, noun in _counts(claim) if quantity.value >= 2]
    if not mine:
        return None  # (most claims count nothing: the source is not read for counts)
    # An acronym counts what it stands for: '571M MACs' counts operations, as '204M multiply-accumulate operations'.
    spelled = {tokenize(short)[0]: tokenize(word)[0] for sentence in source_sentences
               for word, short in _NAMED_BY_ACRONYM.findall(sentence) if tokenize(short) and tokenize(word)}
    theirs = [(q.value, spelled.get(noun, noun)) for sentence in source_sentences for q, noun in _counts(sentence)]
    for quantity, noun in mine:
        noun = spelled.get(noun, noun)
        same = [value for value, other in theirs if share({noun}, {other})]
        if same and quantity.value not in same:
            return quantity
    return None


@lru_cache(maxsize=8192)
def _counts(text: str) -> tuple[tuple[Quantity, str], ...]:
    """Each whole number of `text` with no unit, and the plural noun it counts: the first word ending in 's' within
    a few words after it, before any punctuation ('four required and one optional steps': both count steps); or
    the word it is joined to ('a 5-level scale', 'a two-stage pipeline')."""
    found: list[tuple[Quantity, str]] = []
    for quantity in quantities(text):
        if quantity.kind or quantity.raw != int(quantity.raw):
            continue
        for match in re.finditer(rf"(?<![\w.-]){re.escape(quantity.written)}-([A-Za-z]{{3,}})\b", text):
            found += [(quantity, t) for t in tokenize(match.group(1))[:1]]
        after = rf"(?<![\w.]){re.escape(quantity.written)}((?:\s+[A-Za-z-]+){{1,{_COUNTED_WORDS}}})"
        for match in re.finditer(after, text):
            noun = next((w for w in match.group(1).split() if w.endswith("s") and len(w) > 3), None)
            if noun:
                found.append((quantity, tokenize(noun)[0] if tokenize(noun) else noun.lower()))
    return tuple(found)


_COUNTED_WORDS = 5
# The noun an acronym in parentheses stands for: 'multiply-accumulate operations (MACs)'.
_NAMED_BY_ACRONYM = re.compile(r"([A-Za-z-]+)\s+\(([A-Z]{2,}[a-z]?)\)")


def _measured(quantity: Quantity) -> bool:
    """A measurement rather than a count or a size ('1.8 billion edges' counts: a scale word makes a whole number
    of it)."""
    return bool(quantity.kind) or (quantity.raw != int(quantity.raw) and quantity.value == quantity.raw)


def _said_of(
    text: str, ignore: frozenset[str], spelled: dict[str, set[str]] | None = None, source: bool = False
) -> list[tuple[Quantity, set[str]]]:
    """Each number of the text with the content words of its stretch of the sentence, the other numbers
    there included ('1.70 on ImageNet 256 x 256' is said of 256), and the words `spelled` gives for its
    acronyms ('571M MACs' is said of multiply-accumulate operations). Numbers paired with things ('over A and B by
    3.90% and 28.05%, respectively') are each said of their own thing and the rest of the sentence; where the pairs
    cannot be told, in a `source` sentence each number is said of the whole of it (a claim may take either apart)."""
    paired = _respective(text, ignore)
    if paired:
        return paired
    said = []
    words: set[str] = set()
    stretch: list[Quantity] = []  # the numbers said of `words`
    text = _COORDINATED.sub(r"\1 ", text)  # '1- or 2-layer networks': both are said of the networks
    for segment in [text] if source and _RESPECTIVELY.search(text) else _SEGMENT.split(text):
        numbers = quantities(segment)
        tokens = tokenize(segment)
        bare = {t for t in tokens if not t[0].isdigit() and t not in _NUMBER_PARTS}
        # '1.8-billion-edge network': the thing counted is fused to the number.
        bare |= {part for t in tokens if t[0].isdigit() for part in t.split("-")[1:]
                 if part.isalpha() and part not in _NUMBER_PARTS}
        # In a source, a number alone in parentheses is said of the stretch before it ('with only 19 NFEs (1.75)').
        if bare or not source:
            words = (bare | {w for t in bare for w in (spelled or {}).get(t, ())}) - ignore
            stretch = []
        stretch += numbers
        for q in numbers:
            context = words | {f"#{n.value:g}" for n in stretch if n.value != q.value}
            if words:
                said.append((q, context))
    return said


def _respective(sentence: str, ignore: frozenset[str]) -> list[tuple[Quantity, set[str]]] | None:
    """In a sentence pairing things with numbers ('accelerates both the Stable Diffusion (SD) and the DeepFloyd-IF
    models by 41% and 24% respectively', 'reach 85% and 90% on CIFAR-10 and ImageNet, respectively'), each number
    with the words of its own thing and the rest of the sentence; None when the pairs cannot be told."""
    sentence = sentence.replace("\\%", "%")  # (LaTeX's '3.4\\%')
    run, start, end = _number_run(sentence)  # ('respectively' or not: 'improves A and B by 3.4% and 1.6%')
    if not 2 <= len(run) <= 3:
        return None
    before, after = sentence[:start], _RESPECTIVELY.sub(" ", sentence[end:])
    items = _coordinated(before, len(run), last=True) or _coordinated(after, len(run), last=False)
    if not items:
        return None
    own = [set(tokenize(item)) - ignore for item in items]
    unique = [mine - set().union(*(other for other in own if other is not mine)) for mine in own]
    if not all(unique):
        return None
    rest = {t for t in tokenize(sentence) if not t[0].isdigit() and t not in _NUMBER_PARTS} - ignore
    rest -= set().union(*own)
    return [(q, rest | mine) for q, mine in zip(run, unique)]


def _number_run(sentence: str) -> tuple[list[Quantity], int, int]:
    """The numbers joined by 'and' or commas ('41% and 24%', '1.2, 3.4, and 5.6'), and where the run starts and
    ends."""
    found, at = [], 0
    for q in quantities(sentence):
        place = sentence.find(q.written, at)
        if place < 0:
            return [], 0, 0
        found.append((q, place, place + len(q.written)))
        at = place + len(q.written)
    runs: list[list[tuple[Quantity, int, int]]] = []
    for item in found:
        if runs and _JOINED.fullmatch(sentence[runs[-1][-1][2] : item[1]]):
            runs[-1].append(item)
        else:
            runs.append([item])
    best = max(runs, key=len, default=[])
    return [q for q, _, _ in best], (best[0][1] if best else 0), (best[-1][2] if best else 0)


# Between two numbers of a run: '41% and 24%', '0.5x, 0.7x and'.
_JOINED = re.compile(r"\s*(?:%|x|×|times)?\s*(?:,\s*(?:and\s+)?|and\s+)", re.IGNORECASE)
# Where a coordinated thing's words end on the far side: 'over | A and B', 'both | A and B', 'models | by'.
_ITEM_EDGE = re.compile(r"\b(?:both|between|of|on|for|in|into|over|to|from|with|by|at|across|than|against)\b|[;:]",
                        re.IGNORECASE)


def _coordinated(text: str, count: int, last: bool) -> list[str] | None:
    """The `count` things coordinated by 'and' nearest the number run (at the end of `text` when `last`, else at
    its start): 'GCN and GAT' in 'into GCN and GAT raises accuracy on Cora, Citeseer and Pubmed', for two."""
    joins = list(re.finditer(r",?\s+and\s+", text))
    for join in reversed(joins) if last else joins:
        left = [p for p in _ITEM_EDGE.split(text[: join.start()])[-1].split(",") if p.strip()]
        right = _ITEM_EDGE.split(text[join.end() :].split(",")[0], maxsplit=1)[0]
        if len(left) + 1 == count:
            items = [_named(item, at_end=True) for item in left] + [_named(right, at_end=False)]
            return items if all(items) else None
    return None


def _named(item: str, at_end: bool) -> str:
    """The name a coordinated item gives, not the words the sentence goes on with: 'the DeepFloyd-IF' of 'the
    DeepFloyd-IF models sampling', 'GAT' of 'GAT raises'; a thing in lower case keeps two words."""
    words = [w for w in item.split() if w.lower() not in ("the", "a", "an", "both")]
    words = words[::-1] if at_end else words
    named = list(itertools.takewhile(lambda w: any(c.isupper() or c.isdigit() for c in w), words))
    kept = named or words[:2]
    return " ".join(kept[::-1] if at_end else kept)


@lru_cache(maxsize=2048)
def _spelled_out(text: str) -> dict[str, set[str]]:
    """Acronym token -> the content words it stands for, as the text defines them ('equal error rate (EER)')."""
    spelled: dict[str, set[str]] = {}
    for long, acronym in defined_acronyms(text):
        for token in tokenize(acronym)[:1]:
            spelled.setdefault(token, set()).update(
                t for t in tokenize(long) if not t[0].isdigit() and t not in _NUMBER_PARTS)
    return spelled
