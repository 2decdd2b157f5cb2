"""Writing one paragraph per theme: extractive (offline) or with an OpenAI-compatible LLM."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from surveyor.answer.llm import Budget, ChatModel
from surveyor.prompts import fence, render_prompt
from surveyor.records import Paper
from surveyor.text.prose import LEAD, Names, third_person
from surveyor.text.sentences import split_sentences
from surveyor.text.tokens import tokenize

_OPENERS = (
    "A first line of work addresses {name}.",
    "Another group of studies focuses on {name}.",
    "Work on {name} is also closely related.",
    "Several papers study {name}.",
    "A further strand of research concerns {name}.",
)


@dataclass
class Paragraph:
    """A theme written up: its section title, the paragraph (`[i]` = the theme's i-th paper), and warnings."""

    title: str
    text: str
    warnings: list[str] = field(default_factory=list)


class Writer(Protocol):
    """Writes a theme's paragraph; `[i]` markers are 1-based positions in `papers`."""

    def write(self, name: str, papers: list[Paper], user_abstract: str | None, index: int) -> Paragraph: ...


class ExtractiveWriter:
    """A topic sentence, then each paper's contribution sentence in the third person, cited."""

    def __init__(self) -> None:
        self.names = Names()

    def write(self, name: str, papers: list[Paper], user_abstract: str | None, index: int) -> Paragraph:
        opener = _OPENERS[index % len(_OPENERS)].format(name=_in_sentence(name))
        body = [third_person(contribution(p), p, i, self.names) for i, p in enumerate(papers, 1)]
        closing = [relation_to_user(name, papers, user_abstract)] if user_abstract else []
        return Paragraph(name, " ".join([opener, *body, *closing]))


_LINK = re.compile(r"https?://|www\.|github\.com|\.org/|\.io\b", re.IGNORECASE)
_STRONG = ("propos", "introduc", "present", "develop", "design", "formulat", "construct", "build")


def contribution(paper: Paper) -> str:
    """The sentence saying what a paper does: 'We propose ...' first, then other 'We ...' sentences,
    else the sentence sharing most words with the title. Sentences with links are avoided."""
    sentences = [s for s in split_sentences(paper.abstract) if not _LINK.search(s)] or [paper.abstract]

    def rank(sentence: str) -> tuple[int, int]:
        lead = LEAD.match(sentence)
        strength = 2 if lead and lead.group(1).startswith(_STRONG) else 1 if lead else 0
        return strength, len(set(tokenize(paper.title)).intersection(tokenize(sentence)))

    return max(sentences, key=rank)


def relation_to_user(name: str, papers: list[Paper], user_abstract: str) -> str:
    """How the theme relates to the user's work, phrased with the user's own terms."""
    theme_terms = {t for p in papers for t in tokenize(f"{p.title} {p.abstract}")}
    user_sentences = split_sentences(user_abstract) or [user_abstract]
    shared = [
        w
        for w in dict.fromkeys(re.findall(r"[A-Za-z][A-Za-z0-9-]+", user_abstract))
        if len(w) > 3 and tokenize(w) and tokenize(w)[0] in theme_terms
    ][:3]
    lead = next((LEAD.match(s) for s in user_sentences if LEAD.match(s)), None)
    concern = ", ".join(shared) if shared else _in_sentence(name)
    if lead is None:
        return f"Our work relates to these studies through its focus on {concern}."
    sentence = next(s for s in user_sentences if LEAD.match(s))
    action = sentence[lead.start(1) :].rstrip(".")
    return f"Like these works, our work is concerned with {concern}; unlike them, we {action}."


def _in_sentence(name: str) -> str:
    """'Federated Learning and Non-IID' -> 'federated learning and non-IID' (acronyms kept)."""
    return " ".join(w if w.isupper() or any(c.isupper() for c in w[1:]) else w.lower() for w in name.split())


class LLMWriter:
    """One call per theme, with that theme's abstracts only; the model also names the theme. Every call of
    one draft shares its budget (one deadline, tokens summed)."""

    def __init__(self, model: ChatModel, max_tokens: int, budget: Budget) -> None:
        self.model = model
        self.max_tokens = max_tokens
        self.budget = budget

    def write(self, name: str, papers: list[Paper], user_abstract: str | None, index: int) -> Paragraph:
        sources = [{"title": fence(p.title), "abstract": fence(p.abstract)} for p in papers]
        system = render_prompt("draft_system.jinja")
        user = render_prompt(
            "draft_theme.jinja", sources=sources, theme=name, user_abstract=fence(user_abstract or "") or None
        )
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        generation = self.model.stream(messages, max_tokens=self.max_tokens, budget=self.budget)
        reply = "".join(generation)
        title, paragraph = _split_title(reply, name)
        warnings = [f"theme {title!r}: stopped early ({generation.stopped})"] if generation.stopped else []
        for number in sorted({int(n) for n in re.findall(r"\[(\d+)\]", paragraph)} - set(range(1, len(papers) + 1))):
            warnings.append(f"removed citation [{number}] in theme {title!r}: not among its {len(papers)} sources")
        paragraph = re.sub(r"\[(\d+)\]", lambda m: m.group() if 1 <= int(m.group(1)) <= len(papers) else "", paragraph)
        return Paragraph(title, " ".join(paragraph.split()), warnings)


def _split_title(reply: str, fallback: str) -> tuple[str, str]:
    match = re.match(r"\s*TITLE:\s*(.+?)\s*\n(.*)", reply, re.DOTALL)
    if not match:
        return fallback, reply.strip()
    return match.group(1).strip().strip("*#").strip() or fallback, match.group(2).strip()
