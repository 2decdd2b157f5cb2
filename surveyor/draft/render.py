"""Rendering a Draft through Jinja2 templates (sandboxed, StrictUndefined): Markdown, Pandoc Markdown + BibTeX,
LaTeX + BibTeX, JSON."""

from __future__ import annotations

import dataclasses
import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from surveyor.corpus.writers import write_bibtex
from surveyor.draft.pandoc import markdown_escape, pandoc_cite
from surveyor.errors import SurveyorError
from surveyor.records import Draft, Paper
from surveyor.text.latex import bibtex_escape, latex_escape

__all__ = ["BIB_FORMATS", "FORMATS", "TEMPLATES_DIR", "Renderer", "latex_cite", "latex_escape", "payload"]

# The repository's templates/ directory, installed as the package `surveyor.template_files`.
TEMPLATES_DIR = Path(str(files("surveyor.template_files")))
FORMATS = ("markdown", "pandoc", "latex", "json")
# the formats that cite by key, so come with a .bib beside them
BIB_FORMATS = ("pandoc", "latex")
_TEMPLATE = {
    "markdown": "related_work.md.jinja",
    "pandoc": "related_work.pandoc.md.jinja",
    "latex": "related_work.tex.jinja",
    "bib": "references.bib.jinja",
}

_MARKERS = re.compile(r"(?:\s*\[\d+\])+")


class Renderer:
    """Renders drafts with the shipped templates, or a user's directory of templates of the same names
    (a template the directory lacks is the shipped one)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or TEMPLATES_DIR
        self.env = SandboxedEnvironment(
            loader=ChoiceLoader([FileSystemLoader(str(self.directory)), FileSystemLoader(str(TEMPLATES_DIR))]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            autoescape=False,
        )
        self.env.filters["latex"] = latex_escape
        self.env.filters["markdown"] = markdown_escape
        self.env.filters["yaml"] = json.dumps  # a JSON string is a YAML string, quotes and escapes included
        self.env.filters["bibtex"] = bibtex_escape
        self.env.filters["bibtex_title"] = lambda text: "{" + bibtex_escape(text) + "}"

    def render(self, draft: Draft, fmt: str, bib_name: str = "references") -> str:
        """The draft as `fmt`; `bib_name` is the stem of the .bib file LaTeX and Pandoc Markdown cite from."""
        if fmt == "json":
            return json.dumps(draft.as_dict(), indent=2, ensure_ascii=False) + "\n"
        keys = [p.key for p in draft.references]
        self.env.filters["latex_cite"] = lambda text: latex_cite(text, keys)
        self.env.filters["pandoc_cite"] = lambda text: pandoc_cite(text, draft.references)
        return self._render(_TEMPLATE[fmt], draft.as_dict() | {"bib_name": bib_name}).rstrip("\n") + "\n"

    def bibtex(self, papers: list[Paper]) -> str:
        """The draft's .bib: one entry per paper keyed by citation key, LaTeX-escaped for pdflatex, written by
        bibtexparser; or by the user's own `references.bib.jinja` when their template directory has one."""
        if not (self.directory / _TEMPLATE["bib"]).is_file():
            return write_bibtex(papers)
        references = [dataclasses.asdict(p) | {"n": n} for n, p in enumerate(papers, 1)]
        return self._render(_TEMPLATE["bib"], {"references": references, "with_abstracts": False})

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
    if fmt in BIB_FORMATS:
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
