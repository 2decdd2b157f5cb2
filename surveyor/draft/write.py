"""Writing one paragraph per theme: extractive (offline) or with an OpenAI-compatible LLM."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from surveyor.answer.llm import Budget, ChatModel
from surveyor.prompts import fence, render_prompt
from surveyor.records import Paper
from surveyor.text.phrases import holds, noun_phrases, phrase_key
from surveyor.text.polarity import polarity
from surveyor.text.prose import LEAD, DraftNames, introduce, names_its_paper
from surveyor.text.roles import CONTRIBUTION, roles_of
from surveyor.text.sentences import split_sentences
from surveyor.text.tokens import tokenize

# The theme of papers no phrase groups (draft/themes.py's OTHER; the writer sits below the themes).
OTHER_WORK = "Other related work"

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
    """A sentence on what the theme's papers share (cited), then each paper's contribution sentence in the
    third person, cited; papers named by their system's name where they have one, the rest varied, and
    never three in a row by an anonymous reference."""

    def __init__(self) -> None:
        self.names = DraftNames()

    def write(self, name: str, papers: list[Paper], user_abstract: str | None, index: int) -> Paragraph:
        self.names.new_paragraph()
        opener = synthesis(name, papers, index) or _opener(name, index)
        body = self._body(papers, [int(n) for n in re.findall(r"\[(\d+)\]", opener)])
        closing = [relation_to_user(name, papers, user_abstract)] if user_abstract else []
        return Paragraph(name, " ".join([opener, *body, *closing]))

    def _body(self, papers: list[Paper], first: list[int]) -> list[str]:
        """Each paper's sentence: those the opening sentence cites (`first`) first, then in the theme's order,
        except that a named paper moves up rather than let a third anonymous reference follow two; when none
        is left, the paper is named by its title's words (`_described`)."""
        pending = sorted(enumerate(papers, 1), key=lambda item: item[0] not in first)
        run, body = 0, []
        while pending:
            pick = 0
            if run >= 2 and not self._named(pending[0][1]):
                pick = next((k for k, (_, p) in enumerate(pending) if self._named(p)), 0)
            n, paper = pending.pop(pick)
            sentence = contribution(paper)
            if run >= 2 and not self._named(paper):
                described, sentence = _described(paper, sentence)
                self.names.give(paper, described, False)
            written = introduce(sentence, paper, n, self.names)
            run = run + 1 if written.startswith(ANONYMOUS) else 0
            body.append(written)
        return body

    def _named(self, paper: Paper) -> bool:
        """Named, or written without a reference ('Building on ..., the authors propose X [3].')."""
        return self.names.named(paper) or not names_its_paper(contribution(paper))


# The ways a draft refers to a paper without naming it.
ANONYMOUS = DraftNames.ANONYMOUS


def _opener(name: str, index: int) -> str:
    if name.startswith(OTHER_WORK):
        return "Less directly related work includes the following."
    return _OPENERS[index % len(_OPENERS)].format(name=_in_sentence(name))


def synthesis(name: str, papers: list[Paper], index: int) -> str | None:
    """What the theme's papers share, as one cited sentence: the theme's phrase, cited to every paper with a
    sentence on its own work that says the phrase (where the verifier will find it); None for
    fewer than two."""
    key = phrase_key(name)  # said in one sentence, where the verifier will look for it
    holders = [n for n, p in enumerate(papers, 1) if any(_asserts(s, key) for s in _own_sentences(p))]
    if len(holders) < 2 or name.startswith(OTHER_WORK):
        return None
    phrase = _in_sentence(name)
    markers = "".join(f"[{n}]" for n in holders)  # at the end: the verifier may remove one
    share = "All" if len(holders) == len(papers) else "Most" if 2 * len(holders) > len(papers) else "Some"
    frames = (
        f"{share} of the work below is about {phrase} {markers}.",
        f"{phrase[0].upper()}{phrase[1:]} is what {share.lower()} of the work below is about {markers}.",
    )
    return frames[index % len(frames)]


def _asserts(sentence: str, key: tuple[str, ...]) -> bool:
    """Whether the sentence says the phrase, and does not deny it ('with insufficient ID samples' does not
    back 'ID samples')."""
    denied = polarity(sentence).negated
    return holds(tokenize(sentence), key) and not denied.intersection(key)


def _own_sentences(paper: Paper) -> list[str]:
    sentences = split_sentences(paper.abstract) or [paper.abstract]
    return [s for s, role in zip(sentences, roles_of(paper)) if role == CONTRIBUTION]


def _described(paper: Paper, sentence: str) -> tuple[str, str]:
    """A paper without a name, named by a phrase of its title ('Work on block caching'), in a sentence of its
    own that bears the phrase out (or that its abstract never uses, so no claim rests on it): the chosen
    sentence if it does, else another of the paper's own; failing both, by its title in quotes."""
    abstract = set(tokenize(paper.abstract))
    phrases = sorted(
        (p for p in set(noun_phrases(paper.title)) if len(p.split()) >= 2), key=lambda p: (-len(p.split()), p)
    )
    for candidate in [sentence, *(s for s in _own_sentences(paper) if LEAD.match(_plain_lead(s)))]:
        said = set(tokenize(candidate))
        for phrase in phrases:
            if all(t in said or t not in abstract for t in tokenize(phrase)):
                return f"Work on {_in_sentence(phrase)}", _plain_lead(candidate)
    return f'The paper "{paper.title.rstrip(".")}"', sentence


_LINK = re.compile(r"https?://|www\.|github\.com|\.org/|\.io\b", re.IGNORECASE)
_STRONG = ("propos", "introduc", "present", "develop", "design", "formulat", "construct", "build")
# "To address these limitations, ...": a sentence leaning on one the reader of the draft has not seen.
_ANAPHORA = re.compile(
    r"\b(?:this|these|those|such|the above|aforementioned|both)\s+(?:\w+\s+)?(?:limitations?|issues?|problems?|"
    r"challenges?|gaps?|shortcomings?|drawbacks?|questions?|difficult(?:y|ies)|obstacles?|concerns?|results|"
    r"findings|observations)\b|"
    r"^(?:It|Its|They|Their|This(?!\s+(?:paper|work|study|article|letter)\b)|These|Such|However|Moreover|"
    r"Furthermore|Nevertheless|Nonetheless|Thus|Therefore|Hence|In contrast|Meanwhile|Besides|Also)\b|"
    # 'Their findings reveal that this integration of ...': something said just before, in the first words
    r"^(?:\S+\s+){0,4}?(?:this|these|those|such)\s+(?!(?:paper|work|study|article|letter|report)\b)[a-z]+",
    re.IGNORECASE,
)


def contribution(paper: Paper) -> str:
    """The sentence saying what a paper does: one that stands alone (not 'We propose to address these
    limitations.'), then 'We propose ...' first, other 'We ...' sentences next, then one on the paper's own
    work; of a readable length and sharing words with the title. Sentences with links are avoided."""
    own = set(_own_sentences(paper))
    sentences = [s for s in split_sentences(paper.abstract) if not _LINK.search(s)] or [paper.abstract]

    def rank(sentence: str) -> tuple[int, int, int, int, int]:
        lead = LEAD.match(_plain_lead(sentence))
        strength = 2 if lead and lead.group("verb").startswith(_STRONG) else 1 if lead else 0
        alone = 0 if _ANAPHORA.search(sentence[lead.end() :] if lead else sentence) else 1
        readable = 1 if 8 <= len(sentence.split()) <= 50 else 0
        overlap = len(set(tokenize(paper.title)).intersection(tokenize(sentence)))
        return alone, min(strength, 1), int(sentence in own), readable, strength + overlap

    return _plain_lead(max(sentences, key=rank))


def _plain_lead(sentence: str) -> str:
    """'We thus propose X', 'In this work we propose X' and 'We propose here X' -> 'We propose X':
    'FedDisco [1] proposes X'."""
    return _VERB_HERE.sub(r"\1", _ADVERB.sub(r"\1 ", _HERE.sub("We ", sentence)))


_VERB_HERE = re.compile(r"^((?:[^,.;]{0,60},\s+)?[Ww]e \w+) here\b")


_HERE = re.compile(r"^(?:In this (?:work|paper|study|article|letter)|Here|Herein)\s*,?\s+we\s+")

_ADVERB = re.compile(
    r"^((?:[^,.;]{0,60},\s+)?[Ww]e)\s+(?:thus|hence|therefore|now|here|instead|additionally|finally|next|"
    r"consequently|accordingly|subsequently)\s+"
)


def relation_to_user(name: str, papers: list[Paper], user_abstract: str) -> str:
    """How the theme relates to the user's work, phrased with the user's own terms: the noun phrases of the
    user's abstract that most of the theme's papers also use (the theme's name when none is shared)."""
    user_sentences = split_sentences(user_abstract) or [user_abstract]
    lead = next((LEAD.match(s) for s in user_sentences if LEAD.match(s)), None)
    concern = " and ".join(_shared_phrases(user_abstract, papers)) or _in_sentence(name)
    if lead is None:
        return f"Our work relates to these studies through its focus on {concern}."
    sentence = next(s for s in user_sentences if LEAD.match(s))
    action = sentence[lead.start("verb") :].rstrip(".")
    return f"Like these works, our work is concerned with {concern}; unlike them, we {action}."


def _shared_phrases(user_abstract: str, papers: list[Paper], most: int = 2) -> list[str]:
    """The user's phrases held by the most of the theme's papers (at least two, or the one paper)."""
    texts = [tokenize(f"{p.title} {p.abstract}") for p in papers]
    held: dict[str, int] = {}
    for phrase in dict.fromkeys(noun_phrases(user_abstract)):
        if phrase_key(phrase):
            held[phrase] = sum(holds(t, phrase_key(phrase)) for t in texts)
    # a longer phrase says more: it wins when held by at least half as many papers
    weight = {p: n * len(p.split()) for p, n in held.items()}
    ranked = sorted((p for p in held if held[p] >= min(2, len(papers))), key=lambda p: -weight[p])
    chosen: list[str] = []
    for phrase in ranked:
        if not any(set(phrase_key(phrase)) & set(phrase_key(c)) for c in chosen):
            chosen.append(_in_sentence(phrase))
        if len(chosen) == most:
            break
    return chosen


def _in_sentence(name: str) -> str:
    """'Federated Learning and Non-IID' -> 'federated learning and non-IID'; 'Out-of-Distribution Detection' ->
    'out-of-distribution detection' (acronyms and names such as 'LoRA' kept)."""

    def word(w: str) -> str:
        return "-".join(p if p.isupper() or any(c.isupper() for c in p[1:]) else p.lower() for p in w.split("-"))

    return " ".join(word(w) for w in name.split())


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
