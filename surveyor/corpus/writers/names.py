"""Author display names ('Ludwig van Beethoven') split into the parts CSL and RIS want."""

from __future__ import annotations

import re

from bibtexparser.middlewares.names import parse_single_name_into_parts

# Authors that are bodies, not people: rendered whole instead of as "Family, Given".
_ORGANISATION = re.compile(
    r"\b(and|of|for|the|inc|ltd|llc|corp|corporation|company|consortium|collaboration|team|group|lab|"
    r"laboratory|institute|university|center|centre|foundation|association|society|committee|council|"
    r"organi[sz]ation|project|initiative|network|alliance|agency|department|ministry|contributors)\b",
    re.IGNORECASE,
)
_SUFFIX = re.compile(r"(?:Jr|Sr)\.?|II|III|IV")


def csl_name(name: str) -> dict[str, str]:
    """'Ludwig van Beethoven' as given / non-dropping-particle / family (BibTeX's "First von Last" rule),
    a trailing Jr./Sr./II-IV as suffix; one-word names, organisations and names with a comma as `literal`."""
    if len(name.split()) < 2 or "," in name or _ORGANISATION.search(name):
        return {"literal": name}
    words = name.split()
    suffix = words.pop() if len(words) > 2 and _SUFFIX.fullmatch(words[-1]) else ""
    parts = parse_single_name_into_parts(" ".join(words), strict=False)
    if not parts.last:
        return {"literal": name}
    split = {
        "family": " ".join(parts.last),
        "given": " ".join(parts.first),
        "non-dropping-particle": " ".join(parts.von),
        "suffix": suffix,
    }
    return {role: text for role, text in split.items() if text}


def _family(parts: dict[str, str]) -> str:
    return " ".join(filter(None, (parts.get("non-dropping-particle"), parts["family"])))


def ris_name(name: str) -> str:
    """'Ludwig van Beethoven' as RIS's 'van Beethoven, Ludwig' ('Family, Given, Suffix'); organisations whole."""
    parts = csl_name(name)
    if "literal" in parts:
        return parts["literal"]
    return ", ".join(filter(None, (_family(parts), parts.get("given"), parts.get("suffix"))))


def bibtex_name_parts(name: str) -> list[str] | None:
    """BibTeX's 'von Last, Jr, First' parts ('van Beethoven', 'Jr.', 'Ludwig'), so styles sort and abbreviate
    by the family name; None for a name to keep whole in braces (an organisation)."""
    parts = csl_name(name)
    if "literal" in parts:
        return None
    given = parts.get("given", "")
    return [_family(parts), parts["suffix"], given] if "suffix" in parts else [_family(parts), given]
