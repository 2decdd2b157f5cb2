"""Citation verification for any text with `[n]` markers, whoever wrote it, one sentence at a time.

Every `[n]` must name a source retrieved for this request (anything else is removed and reported);
every cited sentence is checked against the cited paper (`support.py`); references are renumbered
1..N in order of first use across everything committed to one `Ledger` (an answer, or all the
paragraphs of a draft). Sentences are checked and committed separately, so an answer can be shown
sentence by sentence while the model is still writing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from surveyor.answer.judge import Judge
from surveyor.answer.llm import Budget
from surveyor.answer.support import SupportChecker
from surveyor.records import AnswerSentence, Citation, Paper
from surveyor.text.sentences import split_sentences

MARKER = re.compile(r"\[(\d+(?:\s*[-–,;]\s*\d+)*)\]")
NOT_COVERED = "The corpus does not cover this question."


def expand_marker(body: str) -> list[int]:
    """'1, 3' -> [1, 3]; '1-3' -> [1, 2, 3] (ranges capped so '[1-999999]' cannot blow up)."""
    numbers: list[int] = []
    for part in re.split(r"\s*[,;]\s*", body):
        low, _, high = part.partition("-") if "-" in part else part.partition("–")
        start, end = int(low), int(high or low)
        numbers.extend(range(start, min(end, start + 50) + 1))
    return list(dict.fromkeys(numbers))


def claim_text(sentence: str) -> str:
    """The sentence without its markers: what is claimed."""
    return " ".join(MARKER.sub(" ", sentence).split())


@dataclass
class Use:
    """One claim citing one source (numbered as the request numbered its sources)."""

    source: int
    supported: bool
    score: float
    quote: str
    reason: str | None


@dataclass
class Checked:
    """A sentence whose markers have been checked but not yet numbered (see `Ledger.commit`)."""

    text: str
    claim: str
    uses: list[Use]
    warnings: list[str] = field(default_factory=list)
    item: int | None = None

    @property
    def supported(self) -> bool:
        return any(u.supported for u in self.uses)


class Ledger:
    """The citations of one answer or draft: checks sentences, numbers them by first use, keeps the warnings."""

    def __init__(
        self,
        checker: SupportChecker,
        sources: list[Paper],
        *,
        require_citations: bool,
        drop_unsupported: bool,
        judge: Judge | None = None,
        budget: Budget | None = None,
    ) -> None:
        self.checker = checker
        self.sources = sources
        self.require_citations = require_citations
        self.drop_unsupported = drop_unsupported
        self.judge = judge
        self.budget = budget
        self.warnings: list[str] = []
        self.sentences: list[AnswerSentence] = []
        self.attempted = 0  # sentences checked, kept or not
        self._held: list[Checked] = []
        self._numbers: dict[int, int] = {}  # source -> its number in this text
        self._uses: dict[int, list[Use]] = {}  # source -> every committed use of it

    def check(self, sentence: str, item: int | None = None) -> Checked | None:
        """Verify one sentence's markers; None when the sentence is to be left out (reported)."""
        sentence = sentence.strip()
        claim = claim_text(sentence)
        cited, warnings = self._cited(sentence)
        self.attempted += 1
        pairs = [(claim, self.sources[s - 1]) for s in cited]
        verdicts = self.checker.check(pairs)
        if self.judge is not None and self.budget is not None:
            verdicts = self.judge.review(pairs, verdicts, self.budget)
        uses = [Use(s, v.supported, v.score, v.quote, v.reason) for s, v in zip(cited, verdicts)]
        if self.drop_unsupported:
            for use in [u for u in uses if not u.supported]:
                key = self.sources[use.source - 1].key
                warnings.append(f"removed citation of {key}: it does not support {claim!r} ({use.reason})")
                uses.remove(use)
            if cited and not uses:
                self.warnings += [*warnings, f"left out {claim!r}: none of its citations supports it"]
                return None
        if self.require_citations and not uses:
            self.warnings += [*warnings, f"sentence without citation, left out: {claim!r}"]
            return None
        if not claim:
            return None
        return Checked(sentence, claim, uses, warnings, item)

    def add(self, sentence: str, item: int | None = None) -> list[AnswerSentence]:
        """Check a sentence and commit it, unless no citation has been supported yet: then it waits, so
        that an answer which ends up abstaining has shown nothing."""
        checked = self.check(sentence, item)
        if checked is None:
            return []
        self._held.append(checked)
        if not (self.supported or checked.supported):
            return []
        committed = [self.commit(c) for c in self._held]
        self._held.clear()
        return committed

    def close(self) -> None:
        """Report the sentences still waiting: none of their citations was supported."""
        for checked in self._held:
            reasons = "; ".join(f"{self.sources[u.source - 1].key}: {u.reason}" for u in checked.uses)
            self.warnings += [*checked.warnings, f"left out {checked.claim!r}: {reasons}"]
        self._held.clear()

    def commit(self, checked: Checked) -> AnswerSentence:
        """Number the sentence's citations (new sources get the next numbers) and record its verdicts."""
        self.warnings += checked.warnings
        kept = {u.source for u in checked.uses}
        for use in checked.uses:
            n = self._numbers.setdefault(use.source, len(self._numbers) + 1)
            if not use.supported:
                key = self.sources[use.source - 1].key
                self.warnings.append(f"citation [{n}] ({key}) does not support {checked.claim!r}: {use.reason}")
            self._uses.setdefault(use.source, []).append(use)
        text = MARKER.sub(lambda m: self._renumbered(m, kept), checked.text)
        text = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()
        if text[-1] not in ".!?:":
            text += "."  # a list item or a cut-off reply still reads as a sentence
        sentence = AnswerSentence(text, [self._verdict(u) for u in checked.uses], checked.item)
        self.sentences.append(sentence)
        return sentence

    @property
    def citations(self) -> list[Citation]:
        """One per cited source, in the order of their numbers: as strong as its weakest use, whose quote
        (and reason, if unsupported) it shows."""
        citations = []
        for source, n in self._numbers.items():
            uses = self._uses[source]
            weakest = min(uses, key=lambda u: (u.supported, u.score))
            paper = self.sources[source - 1]
            supported = all(u.supported for u in uses)
            citations.append(Citation(n, paper, weakest.quote, supported, weakest.score, weakest.reason))
        return sorted(citations, key=lambda c: c.n)

    @property
    def supported(self) -> bool:
        return any(u.supported for uses in self._uses.values() for u in uses)

    def text(self) -> str:
        """The committed sentences: prose joined by spaces, each list item on a line of its own."""
        return render_sentences(self.sentences)

    def _cited(self, sentence: str) -> tuple[list[int], list[str]]:
        cited: list[int] = []
        warnings = []
        for match in MARKER.finditer(sentence):
            for n in expand_marker(match.group(1)):
                if 1 <= n <= len(self.sources):
                    cited.append(n)
                else:
                    warnings.append(f"removed citation [{n}]: not among the {len(self.sources)} retrieved sources")
        return list(dict.fromkeys(cited)), warnings

    def _verdict(self, use: Use) -> Citation:
        return Citation(self._numbers[use.source], self.sources[use.source - 1], use.quote, use.supported, use.score,
                        use.reason)

    def _renumbered(self, match: re.Match[str], kept: set[int]) -> str:
        numbers = [self._numbers[n] for n in expand_marker(match.group(1)) if n in kept]
        return "".join(f"[{n}]" for n in dict.fromkeys(numbers))


def check_texts(checker: SupportChecker, texts: list[str], sources: list[Paper]) -> tuple[list[str], Ledger]:
    """A draft's paragraphs, verified with one numbering: unsupported citations removed and reported,
    a sentence whose every citation failed left out."""
    ledger = Ledger(checker, sources, require_citations=False, drop_unsupported=True)
    paragraphs = []
    for text in texts:
        checked = [ledger.check(s) for s in split_sentences(text.strip()) if s.strip()]
        paragraphs.append(" ".join(ledger.commit(c).text for c in checked if c is not None))
    return paragraphs, ledger


def render_sentences(sentences: list[AnswerSentence]) -> str:
    """Prose sentences joined by spaces; a list item starts a new line with '- '."""
    text = ""
    for i, sentence in enumerate(sentences):
        previous = sentences[i - 1].item if i else None
        if sentence.item is not None and sentence.item != previous:
            text += ("\n" if text else "") + "- " + sentence.text
        elif previous is not None and sentence.item is None:
            text += "\n" + sentence.text
        else:
            text += (" " if text else "") + sentence.text
    return text
