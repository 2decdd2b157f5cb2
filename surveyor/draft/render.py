"""Rendering a Draft through Jinja2 templates (sandboxed, StrictUndefined): Markdown, LaTeX + BibTeX, JSON."""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from surveyor.errors import SurveyorError
from surveyor.records import Draft, Paper

# The repository's templates/ directory, installed as the package `surveyor.template_files`.
TEMPLATES_DIR = Path(str(files("surveyor.template_files")))
FORMATS = ("markdown", "latex", "json")
_TEMPLATE = {"markdown": "related_work.md.jinja", "latex": "related_work.tex.jinja", "bib": "references.bib.jinja"}

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
_MARKERS = re.compile(r"(?:\s*\[\d+\])+")


def latex_escape(text: str, keep_unicode: bool = False) -> str:
    """Plain text as LaTeX that compiles with pdflatex: specials escaped, accents as commands,
    and '--' kept as two hyphens (not turned into a dash). `keep_unicode` leaves other characters
    as they are (a lossless export; biber and UTF-8 engines read them)."""
    out = []
    for char in text:
        if char in _LATEX_SPECIALS:
            out.append(_LATEX_SPECIALS[char])
        elif ord(char) < 128 or keep_unicode:
            out.append(char)
        else:
            out.append(_non_ascii(char))
    return re.sub(r"-(?=-)", "-{}", "".join(out))


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


class Renderer:
    """Renders drafts with the shipped templates, or a user's directory of templates of the same names."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or TEMPLATES_DIR
        self.env = SandboxedEnvironment(
            loader=FileSystemLoader(str(self.directory)),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            autoescape=False,
        )
        self.env.filters["latex"] = latex_escape

    def render(self, draft: Draft, fmt: str, bib_name: str = "references") -> str:
        if fmt == "json":
            return json.dumps(draft.as_dict(), indent=2, ensure_ascii=False) + "\n"
        keys = [p.key for p in draft.references]
        self.env.filters["latex_cite"] = lambda text: latex_cite(text, keys)
        return self._render(_TEMPLATE[fmt], draft.as_dict() | {"bib_name": bib_name}).rstrip("\n") + "\n"

    def bibtex(self, papers: list[Paper], export: bool = False) -> str:
        """A .bib entry per paper, keyed by citation key. `export`: with abstracts and unicode kept as
        is, so ingesting it gives back the same papers (a backup, not a file for pdflatex)."""
        references = [dataclasses.asdict(p) | {"n": n} for n, p in enumerate(papers, 1)]
        self.env.filters["bibtex"] = lambda t: bibtex_escape(t, export)
        self.env.filters["bibtex_title"] = lambda t: "{" + bibtex_escape(t, export) + "}"
        return self._render(_TEMPLATE["bib"], {"references": references, "with_abstracts": export})

    def _render(self, name: str, context: dict[str, Any]) -> str:
        try:
            return self.env.get_template(name).render(**context)
        except TemplateSyntaxError as exc:
            raise SurveyorError(f"template {exc.filename or name}:{exc.lineno}: {exc.message}") from exc
        except TemplateError as exc:
            raise SurveyorError(
                f"template {self.directory / name}:{_template_line(exc)}: {exc.message or exc}"
            ) from exc


def payload(draft: Draft, fmt: str) -> dict[str, object]:
    """What the HTTP and MCP servers return for a draft: the JSON shape, or the rendered text (+ .bib)."""
    if fmt == "json":
        return draft.as_dict()
    renderer = Renderer()
    rendered: dict[str, object] = {"format": fmt, "text": renderer.render(draft, fmt)}
    if fmt == "latex":
        rendered["bib"] = renderer.bibtex(draft.references)
    return rendered | {"warnings": draft.warnings, "coverage": draft.coverage()}


def latex_cite(text: str, keys: list[str]) -> str:
    """Escape prose and turn each run of `[n]` markers into one `~\\cite{key1,key2}`."""
    parts, last = [], 0
    for match in _MARKERS.finditer(text):
        parts.append(latex_escape(text[last : match.start()]))
        numbers = [int(n) for n in re.findall(r"\d+", match.group())]
        parts.append("~\\cite{" + ",".join(keys[n - 1] for n in numbers) + "}")
        last = match.end()
    parts.append(latex_escape(text[last:]))
    return "".join(parts)


def _template_line(exc: TemplateError) -> str:
    """The template line a render-time error came from, found in its traceback."""
    tb = exc.__traceback__
    line = "?"
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".jinja"):
            line = str(tb.tb_lineno)
        tb = tb.tb_next
    return line
