"""Sentence splitting that returns exact source spans, so a quote is always verbatim abstract text."""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset(
    "e.g i.e etc al vs cf fig figs eq eqs sec secs no approx resp ref refs dr prof mr ms st jr et viz ca".split()
)
# A candidate boundary: terminal punctuation, optional closing quote/bracket, whitespace, then an opener.
# An opener is a capital (any script: 'Ångström'), a digit, or a link; or a LaTeX comment's ('%However, ...': a
# sentence the authors commented out, left in the abstract).
_BOUNDARY = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[%]?(?:[^\W\d_a-z]|[0-9\\$])|https?://)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans [start, end) of the sentences of `text`, whitespace excluded."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if _is_abbreviation(text, match.start()):
            continue
        end = match.start() + len(match.group().rstrip())
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = match.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, each verbatim."""
    return [text[a:b] for a, b in sentence_spans(text)]


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = re.search(r"([A-Za-z][A-Za-z.]*)$", text[max(0, dot - 12) : dot])
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    # Single capital letters are initials ("J. Smith"), unless a sentence opens after them ("whose
    # visibility graph is G. We introduce ..."); listed words are common abbreviations.
    if (len(token) == 1 and word.group(1).isupper()) or token in _DOTTED:  # ('... are i.i.d. We show')
        following = re.match(r"\s*[\"'(\[]?([A-Za-z]+)", text[dot + 1 :])
        return not (following and following.group(1).lower() in _OPENERS)
    return token in _ABBREVIATIONS


# Dotted abbreviations that may also end a sentence ('only i.i.d. Bernoulli noise inputs', '... race, etc. Existing
# works ...').
_DOTTED = frozenset("i.i.d w.r.t a.k.a etc".split())
# Words that open sentences and are nobody's surname.
_OPENERS = frozenset(
    "we our the this these that those it its they their in to for on by with as at from however moreover "
    "furthermore finally then thus hence therefore afterwards next here there such each both all experiments "
    "results extensive specifically first second third existing previous prior recent current most many".split()
)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
