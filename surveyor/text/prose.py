"""Prose from abstract sentences: naming papers, and turning "We propose X" into "HNeRV [1] proposes X"."""

from __future__ import annotations

import re

from surveyor.records import Paper

# "We propose ..." (after an optional short lead-in clause such as "To tackle this," or "In this paper,").
_VERBS = (
    "propose|present|introduce|develop|show|demonstrate|find|study|describe|derive|provide|explore|"
    "investigate|report|design|prove|formulate|establish|evaluate|argue|analyze|analyse|examine|"
    "train|release|build|construct|leverage|use|apply|achieve|obtain|observe|identify|conduct|perform"
)
LEAD = re.compile(rf"^(?:[^,.;]{{0,60}},\s+)?[Ww]e\s+(?:also\s+|further\s+|then\s+|first\s+)?((?:{_VERBS})(?:d|ed)?)\b")
# "... observes X and propose Y": the second verb must agree with the new subject too.
_COORDINATED = re.compile(rf"\b(and|then|also|and then)\s+({_VERBS})\b")


class Names:
    """How papers are named in prose: short name, first author, else 'One study', 'Another study', ...
    A paper keeps the name it was first given; an unnamed one is 'the same study' when it comes back.
    `title_first`: an unnamed paper is first introduced by its title (the question asked which work)."""

    _ANONYMOUS = ("One study", "Another study", "A further study", "A related study", "Other work")

    def __init__(self, title_first: bool = False) -> None:
        self._given: dict[str, tuple[str, bool]] = {}
        self.title_first = title_first

    def subject(self, paper: Paper) -> tuple[str, bool]:
        """The name, and whether it takes a plural verb ('Chen et al. propose')."""
        first = paper.paper_id not in self._given
        if first:
            self._given[paper.paper_id] = self._name(paper)
        name, plural = self._given[paper.paper_id]
        if name in self._ANONYMOUS:
            if not first:
                return "The same study", False
            if self.title_first:
                return f'The paper "{paper.title}"', False
        return name, plural

    def _name(self, paper: Paper) -> tuple[str, bool]:
        if paper.short_name:
            return paper.short_name, False
        if paper.authors:
            surname = paper.authors[0].split()[-1]
            return (f"{surname} et al.", True) if len(paper.authors) > 1 else (surname, False)
        anonymous = sum(1 for name, _ in self._given.values() if name in self._ANONYMOUS)
        return self._ANONYMOUS[min(anonymous, len(self._ANONYMOUS) - 1)], False


def third_person(sentence: str, paper: Paper, n: int, names: Names) -> str:
    """'We propose X.' -> 'HNeRV [1] proposes X.'; other sentences get the marker at their end."""
    text = re.sub(r"\[(\d[\d,\s\-–]*)\]", r"(\1)", sentence.strip())  # a source's own brackets are not ours
    if text[-1] not in ".!?":
        text += "."  # every sentence ends, so the verifier splits claims where they end
    lead = LEAD.match(text)
    if lead:
        rest = text[lead.end() :]
        subject, plural = names.subject(paper)
        if plural:
            return _pronouns(f"{subject} [{n}] {lead.group(1)}{rest}")
        rest = _COORDINATED.sub(lambda m: f"{m.group(1)} {_third_person_verb(m.group(2))}", rest)
        return _pronouns(f"{subject} [{n}] {_third_person_verb(lead.group(1))}{rest}")
    text = _pronouns(text)
    return f"{text[:-1]} [{n}]{text[-1]}"


def _third_person_verb(verb: str) -> str:
    if verb.endswith("ed"):  # "we proposed" stays in the past tense
        return verb
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + ("es" if verb.endswith(("s", "sh", "ch", "x")) else "s")


def _pronouns(text: str) -> str:
    text = re.sub(r"\b[Ww]e\b", "the authors", text)
    text = re.sub(r"\bOur\b", "Their", re.sub(r"\bour\b", "their", text))
    text = re.sub(r"\bus\b", "them", text)
    return text[0].upper() + text[1:] if text else text
