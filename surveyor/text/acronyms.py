"""The acronyms an abstract defines ('in-distribution (ID)', "``Model Synthesis Architecture'' (MSA)"), so a
claim that spells one out and a source that abbreviates it (or the other way round) read alike."""

from __future__ import annotations

import re
from functools import lru_cache

# An acronym in parentheses; the long form closing the text before it (closing quotes aside).
_ACRONYM = re.compile(r"\s\(([A-Z][A-Za-z]*[A-Z])\)")
_LONG_FORM = re.compile(r"((?:[\w-]+\s+){0,3}[\w-]+)['\"\u2019\u201d]*\s*$")
# How far back a long form of four words can start.
_REACH = 160


@lru_cache(maxsize=2048)
def defined_acronyms(text: str) -> tuple[tuple[str, str], ...]:
    """(long form, acronym) for each acronym the text defines, by its initials (a hyphenated word gives one per
    part: 'out-of-distribution (OOD)'): an abstract's are read once however many claims cite it."""
    found: dict[str, str] = {}
    for match in _ACRONYM.finditer(text):
        long = _LONG_FORM.search(text[max(0, match.start() - _REACH) : match.start()])
        if long is None:
            continue
        words = re.findall(r"[A-Za-z][\w-]*", long.group(1))
        acronym = match.group(1)
        for start in range(len(words)):
            initials = "".join(part[0] for word in words[start:] for part in word.split("-") if part)
            if initials.lower() == acronym.lower():
                found[" ".join(words[start:])] = acronym
                break
    return tuple(found.items())


def shortened(text: str, short: tuple[tuple[str, str], ...]) -> str:
    """`text` with each long form of `short` put as its acronym ('Layer normalization helps' -> 'LN helps')."""
    for long, acronym in short:
        text = _spelled(long).sub(acronym, text)
    return text


@lru_cache(maxsize=4096)
def _spelled(long: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(long)}\b", re.IGNORECASE)
