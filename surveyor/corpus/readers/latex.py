"""LaTeX to plain text for BibTeX fields and arXiv author names, through pylatexenc (what
bibtexparser's LatexDecodingMiddleware uses), with the few fixes reference files need."""

from __future__ import annotations

import re
import unicodedata

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, SpecialsTextSpec, get_default_latex_context_db

from surveyor.corpus.readers.fields import collapse

# pylatexenc drops these text symbols or maps them to look-alikes; surveyor's own BibTeX export writes them
# for the literal characters, so they must come back as exactly those characters.
_SYMBOLS = {
    "textless": "<",
    "textgreater": ">",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textasciicircum": "^",
    "textasciitilde": "~",
    "textbackslash": "\\",
    "url": "%s",  # a URL is its own text, not wrapped in <...>
}
# A field is one paragraph of text, not a table: a bare & is an ampersand (R&D), not a column break.
_SPECIALS = [SpecialsTextSpec("&", "&")]
# LaTeX reads a bare % as a comment, but BibTeX exports from web tools are full of "improves by 5% ..."
# and dropping the rest of the line would lose text; a bare % is kept as a percent sign.
_BARE_PERCENT = re.compile(r"(?<!\\)%")
# What the decoder would change: commands, groups, ties, and the dash and quote ligatures.
_LATEX_MARKS = re.compile(r"[\\{}~`]|--|''")


def _decoder() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    macros = [MacroTextSpec(name, simplify_repl=text) for name, text in _SYMBOLS.items()]
    context.add_context_category("surveyor", prepend=True, macros=macros, specials=_SPECIALS)
    # math stays as written ($O(n^2)$); unbalanced braces in damaged files are tolerated, not fatal
    return LatexNodes2Text(latex_context=context, math_mode="verbatim", keep_braced_groups=False)


_DECODER = _decoder()


def latex_to_text(value: str) -> str:
    """`{HNeRV}: Sch\\"{o}n \\& M\\'endez` as `HNeRV: Schön & Méndez`, whitespace collapsed."""
    if not _LATEX_MARKS.search(value):
        return collapse(value)  # plain text, the common case: nothing for the decoder to do
    text = _DECODER.latex_to_text(_BARE_PERCENT.sub(r"\\%", collapse(value)))
    return collapse(unicodedata.normalize("NFC", text))
