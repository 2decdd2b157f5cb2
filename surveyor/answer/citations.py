"""Citation verification for any answer text, whoever wrote it.

Every `[n]` must name a source retrieved for this request (anything else is removed and reported);
every cited sentence is scored against the cited paper's abstract (embedding similarity to its
chunks and lexical containment in its best sentence); references are renumbered 1..N by first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from surveyor.index.embeddings import Embedder
from surveyor.index.store import Store
from surveyor.records import Answer, Citation, Hit, Paper
from surveyor.text.sentences import split_sentences
from surveyor.text.tokens import tokenize

MARKER = re.compile(r"\[(\d+(?:\s*[-–,;]\s*\d+)*)\]")
SUPPORT_THRESHOLD = 0.5
# Share of a claim's terms found in one abstract sentence above which the claim counts as quoted.
VERBATIM = 0.9
NOT_COVERED = "The corpus does not cover this question."


def expand_marker(body: str) -> list[int]:
    """'1, 3' -> [1, 3]; '1-3' -> [1, 2, 3] (ranges capped so '[1-999999]' cannot blow up)."""
    numbers: list[int] = []
    for part in re.split(r"\s*[,;]\s*", body):
        low, _, high = part.partition("-") if "-" in part else part.partition("–")
        start, end = int(low), int(high or low)
        numbers.extend(range(start, min(end, start + 50) + 1))
    return list(dict.fromkeys(numbers))


@dataclass
class Checked:
    """Texts with verified, renumbered markers; `[n]` is `citations[n-1]` across all of them."""

    texts: list[str]
    citations: list[Citation]
    warnings: list[str]


@dataclass
class _Use:
    """One claim citing one source."""

    sentence: int
    source: int
    score: float = 0.0
    quote: str = ""


class Verifier:
    """Checks and renumbers the citations of an answer against the sources of its request."""

    def __init__(self, store: Store, embedder: Embedder, threshold: float = SUPPORT_THRESHOLD) -> None:
        self.store = store
        self.embedder = embedder
        self.threshold = threshold

    def verify(self, question: str, text: str, sources: list[Hit], *, require_citations: bool) -> Answer:
        """An Answer whose citations all point at `sources`; abstains if none is supported."""
        checked = self.check([text], [h.paper for h in sources], require_citations=require_citations)
        if not any(c.supported for c in checked.citations):
            if text.strip():
                checked.warnings.append("no claim in the answer is supported by a retrieved source: abstaining")
            return Answer(question, NOT_COVERED, True, [], checked.warnings, sources)
        return Answer(question, checked.texts[0], False, checked.citations, checked.warnings, sources)

    def check(
        self, texts: list[str], sources: list[Paper], *, require_citations: bool, drop_unsupported: bool = False
    ) -> Checked:
        """Verify the `[n]` markers of several texts that share one numbering (a draft's paragraphs).

        Unsupported citations are kept and flagged, or with `drop_unsupported` removed; both are reported.
        """
        warnings: list[str] = []
        sentences = [(t, s) for t, text in enumerate(texts) for s in split_sentences(text.strip()) if s.strip()]
        claims = [" ".join(MARKER.sub(" ", sentence).split()) for _, sentence in sentences]
        uses: list[_Use] = []
        for index, (_, sentence) in enumerate(sentences):
            for match in MARKER.finditer(sentence):
                for n in expand_marker(match.group(1)):
                    if 1 <= n <= len(sources):
                        uses.append(_Use(index, n))
                    else:
                        warnings.append(f"removed citation [{n}]: not among the {len(sources)} retrieved sources")
        self._score(claims, uses, sources)
        if drop_unsupported:
            for use in [u for u in uses if u.score < self.threshold]:
                warnings.append(
                    f"removed citation of {sources[use.source - 1].key}: it does not support "
                    f"{claims[use.sentence]!r} (support {use.score:.2f})"
                )
                uses.remove(use)
        if require_citations:
            cited = {u.sentence for u in uses}
            warnings += [f"sentence without citation: {c!r}" for i, c in enumerate(claims) if i not in cited]
        order = list(dict.fromkeys(u.source for u in uses))
        renumber = {old: new for new, old in enumerate(order, 1)}
        citations = []
        for old in order:
            weakest = min((u for u in uses if u.source == old), key=lambda u: u.score)
            supported = weakest.score >= self.threshold
            if not supported:
                warnings.append(
                    f"citation [{renumber[old]}] ({sources[old - 1].key}) does not support "
                    f"{claims[weakest.sentence]!r} (support {weakest.score:.2f})"
                )
            citations.append(Citation(renumber[old], sources[old - 1], weakest.quote, supported, weakest.score))
        rendered: list[list[str]] = [[] for _ in texts]
        for index, (t, sentence) in enumerate(sentences):
            rendered[t].append(_renumber(sentence, renumber, {u.source for u in uses if u.sentence == index}))
        return Checked([" ".join(parts) for parts in rendered], citations, warnings)

    def _score(self, claims: list[str], uses: list[_Use], sources: list[Paper]) -> None:
        """Support of each use: a (near-)verbatim quote is its own proof; anything else scores the mean
        of embedding similarity (claim vs the paper's chunks) and lexical containment."""
        for use in uses:
            use.quote, use.score = best_quote(claims[use.sentence], sources[use.source - 1])
        paraphrased = [u for u in uses if u.score < VERBATIM]
        if not paraphrased:
            return
        sentences = sorted({u.sentence for u in paraphrased})
        vectors = dict(zip(sentences, self.embedder.embed([claims[i] for i in sentences])))
        chunk_vectors = self.store.chunk_vectors([sources[u.source - 1].paper_id for u in paraphrased])
        for use in paraphrased:
            chunks = chunk_vectors[sources[use.source - 1].paper_id]
            similarity = max((float(v @ vectors[use.sentence]) for _, v in chunks), default=0.0)
            use.score = 0.5 * max(similarity, 0.0) + 0.5 * use.score


# Words a writer uses to refer to a paper ("One study", "the authors", "Chen et al."), not claims about it.
_REFERRING = frozenset(tokenize("one another further related study studies work authors their et al"))


def best_quote(claim: str, paper: Paper) -> tuple[str, float]:
    """The abstract sentence holding most of the claim's terms, and the share of terms it holds.
    Naming the paper (words of its title or authors) is not a claim that needs support."""
    naming = _REFERRING | set(tokenize(f"{paper.title} {' '.join(paper.authors)}"))
    in_abstract = set(tokenize(paper.abstract))
    terms = {t for t in tokenize(claim) if t in in_abstract or t not in naming}
    best, share = "", 0.0
    for sentence in split_sentences(paper.abstract) or [paper.abstract]:
        found = len(terms.intersection(tokenize(sentence))) / len(terms) if terms else 0.0
        if found > share or not best:
            best, share = sentence, found
    return best, share


def _renumber(sentence: str, renumber: dict[int, int], kept: set[int]) -> str:
    def replace(match: re.Match[str]) -> str:
        numbers = [renumber[n] for n in expand_marker(match.group(1)) if n in kept and n in renumber]
        return "".join(f"[{n}]" for n in dict.fromkeys(numbers))

    rendered = MARKER.sub(replace, sentence)
    return re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", rendered)).strip()
