"""Prompt and template files, loaded with StrictUndefined: a missing variable is an error, not ''."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

from surveyor.errors import SurveyorError

# The repository's prompts/ directory, installed as the package `surveyor.prompt_files`.
PROMPTS_DIR = Path(str(files("surveyor.prompt_files")))


@lru_cache(maxsize=8)
def _environment(directory: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(str(directory)), undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )


def render_prompt(name: str, directory: Path = PROMPTS_DIR, **values: object) -> str:
    """Render `directory/name` with `values`; any template problem is one clear error."""
    try:
        return _environment(directory).get_template(name).render(**values).strip()
    except TemplateError as exc:
        where = f"{directory / name}:{getattr(exc, 'lineno', None) or '?'}"
        raise SurveyorError(f"prompt {where}: {exc.message or exc}") from exc


def fence(text: str) -> str:
    """A source cannot close its own fence and smuggle text out of it: no '</source>' tag, and no line break
    (an answer's sources are one line each, under a 'Source [n] Title' line)."""
    return " ".join(re.sub(r"</?\s*source", "(source", text, flags=re.I).split())
