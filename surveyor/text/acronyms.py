"""The acronyms an abstract defines ('in-distribution (ID)', "``Model Synthesis Architecture'' (MSA)"), so a
claim that spells one out and a source that abbreviates it (or the other way round) read alike."""

from __future__ import annotations

import re
from functools import lru_cache

# A long form, closing quotes, the acronym in parentheses.
_DEFINED = re.compile(r"((?:[\w-]+\s+){0,3}[\w-]+)['\"\u2019\u201d]*\s+\(([A-Z][A-Za-z]*[A-Z])\)")


@lru_cache(maxsize=2048)
def defined_acronyms(text: str) -> tuple[tuple[str, str], ...]:
    """(long form, acronym) for each acronym the text defines, by its initials (a hyphenated word gives one per
    part: 'out-of-distribution (OOD)'): an abstract's are read once however many claims cite it."""
    found: dict[str, str] = {}
    for match in _DEFINED.finditer(text):
        words = re.findall(r"[A-Za-z][\w-]*", match.group(1))
        acronym = match.group(2)
        for start in range(len(words)):
            initials = "".join(part[0] for word in words[start:] for part in word.split("-") if part)
            if initials.lower() == acronym.lower():
                found[" ".join(words[start:])] = acronym
                break
    return tuple(found.items())


def shortened(text: str, short: tuple[tuple[str, str], ...]) -> str:
    """`text` with each long form of `short` put as its acronym ('Layer normalization helps' -> 'LN helps')."""
    for long, acronym in short:
        text = re.sub(rf"\b{re.escape(long)}\b", acronym, text, flags=re.IGNORECASE)
    return text
