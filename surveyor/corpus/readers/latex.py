"""LaTeX to plain text for BibTeX fields and arXiv author names: accents, escapes, protective braces."""

from __future__ import annotations

import re
import unicodedata

from surveyor.corpus.readers.fields import collapse

_COMBINING = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "r": "\u030a",
    "k": "\u0328",
}
_ACCENT = re.compile(
    r"""\\(["'`^~=.]|[uvHckr](?![A-Za-z]))\s*(?:\{\s*(\\[ij]|[A-Za-z])\s*\}|(\\[ij](?![A-Za-z])|[A-Za-z]))"""
)
_SYMBOLS = {
    "ss": "ß",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "o": "ø",
    "O": "Ø",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
}
_SYMBOL = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i)(?![A-Za-z])\s*")
_ESCAPE = re.compile(r"\\([&%_$#{}])")
_FONT = re.compile(r"\\(?:emph|textit|textbf|textsc|texttt|textrm|textsf|textup|mathrm|mathbf|mathit|text)\s*(?=\{)")
# escaped braces must survive the removal of protective braces, so they hide behind placeholders
_HIDDEN = {"{": "\x01", "}": "\x02", "~": "\x03"}
_UNHIDE = str.maketrans({"\x01": "{", "\x02": "}", "\x03": "~", "\x04": "\\"})
# Text-mode symbol commands (what surveyor's own BibTeX export writes for specials).
_NAMED = {
    "textgreater": ">", "textless": "<", "textasciicircum": "^", "textasciitilde": "\x03",
    "textbackslash": "\x04", "textbraceleft": "\x01", "textbraceright": "\x02", "ldots": "\u2026",
}
_NAMED_COMMAND = re.compile(r"\\(" + "|".join(_NAMED) + r")(?:\{\}|(?![A-Za-z])\s?)")


def _accent(match: re.Match[str]) -> str:
    """The accented letter as base + combining mark (composed later by NFC)."""
    base = (match.group(2) or match.group(3)).lstrip("\\")
    return base + _COMBINING[match.group(1)]


def _escape(match: re.Match[str]) -> str:
    """The escaped character itself; escaped braces as placeholders."""
    char = match.group(1)
    return _HIDDEN.get(char, char)


def latex_to_text(value: str) -> str:
    """`{HNeRV}: Sch\\"{o}n \\& M\\'endez` as `HNeRV: Schön & Méndez`, whitespace collapsed."""
    text = _NAMED_COMMAND.sub(lambda match: _NAMED[match.group(1)], collapse(value))
    text = _ESCAPE.sub(_escape, text)
    text = _ACCENT.sub(_accent, text)
    text = _SYMBOL.sub(lambda match: _SYMBOLS[match.group(1)], text)
    text = _FONT.sub("", text).replace("\\\\", " ").replace("~", " ")
    text = text.replace("---", "\u2014").replace("--", "\u2013")
    text = text.replace("{", "").replace("}", "").translate(_UNHIDE)
    return collapse(unicodedata.normalize("NFC", text))
