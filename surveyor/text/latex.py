"""Plain text as LaTeX and BibTeX that pdflatex compiles: specials escaped, accents as commands."""

from __future__ import annotations

import unicodedata

_LATEX_SPECIALS = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
_ACCENTS = {
    "\u0301": "'",
    "\u0300": "`",
    "\u0308": '"',
    "\u0302": "^",
    "\u0303": "~",
    "\u0327": "c",
    "\u030c": "v",
    "\u030a": "r",
    "\u0304": "=",
    "\u0306": "u",
    "\u0307": ".",
}
_TYPOGRAPHY = {
    "\u2013": "--",
    "\u2014": "---",
    "\u2018": "`",
    "\u2019": "'",
    "\u201c": "``",
    "\u201d": "''",
    "\u2026": r"\ldots{}",
    "\u00a0": "~",
    "\u00df": r"{\ss}",
    "\u00f8": r"{\o}",
    "\u00d8": r"{\O}",
    "\u00e6": r"{\ae}",
    "\u0142": r"{\l}",
}
# Pairs of the input LaTeX would typeset as one glyph (a dash, a curly quote, an inverted mark) and
# decoders read back as that glyph: split with {} so the text stays what it was.
_LIGATURES = frozenset({"--", "``", "''", "?`", "!`"})


def latex_escape(text: str, keep_unicode: bool = False) -> str:
    """Plain text as LaTeX that compiles with pdflatex: specials escaped, accents as commands,
    and '--' kept as two hyphens (not turned into a dash). `keep_unicode` leaves other characters
    as they are (a lossless export; biber and UTF-8 engines read them)."""
    out = []
    for char, following in zip(text, text[1:] + " "):
        if char in _LATEX_SPECIALS:
            out.append(_LATEX_SPECIALS[char])
        elif ord(char) < 128 or keep_unicode:
            out.append(char)
        else:
            out.append(_non_ascii(char))
        if char + following in _LIGATURES:
            out.append("{}")
    return "".join(out)


def _non_ascii(char: str) -> str:
    if char in _TYPOGRAPHY:
        return _TYPOGRAPHY[char]
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if base.isascii() and base.isalpha() and marks and all(m in _ACCENTS for m in marks):
        accented = base
        for mark in marks:
            command = _ACCENTS[mark]
            accented = f"\\{command}{{{accented}}}" if command.isalpha() else f"\\{command}{accented}"
        return "{" + accented + "}"
    ascii_form = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return latex_escape(ascii_form) if ascii_form else ""  # symbols pdflatex cannot typeset are dropped


def bibtex_escape(text: str, keep_unicode: bool = False) -> str:
    """LaTeX-escaped, with literal braces as commands: BibTeX counts braces even when escaped."""
    escaped = latex_escape(" ".join(text.split()), keep_unicode)
    return escaped.replace(r"\{", r"\textbraceleft{}").replace(r"\}", r"\textbraceright{}")
