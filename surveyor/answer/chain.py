"""The answer chain: condense -> retrieve -> generate -> verify, released sentence by sentence.

`events` yields the retrieved sources, then each sentence once its citations are verified, then the
whole answer. `as_runnable` composes the same steps as a LangChain LCEL chain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from surveyor.answer.citations import NOT_COVERED, Ledger, claim_text
from surveyor.answer.evidence import addresses, candidates, names_a_paper
from surveyor.answer.extractive import compose
from surveyor.answer.followup import (Context, asked_part, carried_subject, changes_subject, following,
                                      looks_elsewhere, read_with, refers_back, standalone)
from surveyor.answer.judge import Judge
from surveyor.answer.llm import Budget, ChatModel, Deadline, Generation
from surveyor.answer.stream import Said, SentenceStream
from surveyor.answer.support import SupportChecker
from surveyor.index.retriever import Retriever
from surveyor.prompts import fence, render_prompt
from surveyor.records import Answer, AnswerEvent, AnswerSentence, AskEvent, Hit, SentenceEvent, SourcesEvent
from surveyor.text.question import read_question
from surveyor.text.sentences import split_sentences

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

MAX_ANSWER_SENTENCES = 6


@dataclass
class Turn:
    """One exchange of a conversation."""

    question: str
    answer: Answer


@dataclass
class Request:
    question: str
    k: int = 5
    history: list[Turn] = field(default_factory=list)


@dataclass
class Retrieved:
    request: Request
    standalone: str
    hits: list[Hit]
    budget: Budget
    set_aside: list[Hit] = field(default_factory=list)  # retrieved, but they do not address the question
    context: Context = field(default_factory=Context)


def last_answered(history: list[Turn]) -> Answer | None:
    return next((t.answer for t in reversed(history) if not t.answer.abstained), None)


def read_offline(question: str, history: list[Turn]) -> str:
    """The follow-up as it can be searched alone. After a turn the corpus could not answer, its question is still
    the subject ('what's in their dataset?' after 'has anyone built a benchmark for compressing features?')."""
    last = history[-1].answer if history else None
    if last is not None and last.abstained and not changes_subject(question) and refers_back(question):
        return following(question, last)
    answered = [t.answer for t in history if not t.answer.abstained]
    return standalone(question, answered[-1] if answered else None, carried_subject(answered))


def _already_said(history: list[Turn]) -> tuple[str, ...]:
    """What the conversation has shown so far: each answer sentence, and the abstract sentence it quotes."""
    said = [s.text for t in history for s in t.answer.sentences]
    said += [c.quote for t in history for s in t.answer.sentences for c in s.citations if c.supported and c.quote]
    return tuple(dict.fromkeys(said))


class Answerer(Protocol):
    """Writes answer text with `[n]` markers for the n-th of the given hits."""

    requires_citations: bool
    # A model writes the answer over seconds: the sources are read for verification meanwhile.
    writes_slowly: bool

    def sources(self, question: str, k: int) -> int:
        """How many papers to retrieve for this question (asked for: k)."""
        ...

    def generate(self, question: str, hits: list[Hit], budget: Budget, context: Context = Context()) -> Generation:
        """`context`: what the conversation so far said, and which papers a follow-up leans on."""
        ...

    def condense(self, question: str, history: list[Turn], budget: Budget) -> str: ...


class ExtractiveAnswerer:
    """No network: the abstract sentences that answer the question, rewritten in the third person, all at once."""

    requires_citations = False
    writes_slowly = False

    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever

    def sources(self, question: str, k: int) -> int:
        """A survey question ('what approaches ...') draws on more papers."""
        return max(k, 8) if read_question(question).intent == "broad" else k

    def generate(self, question: str, hits: list[Hit], budget: Budget, context: Context = Context()) -> Generation:
        reading = read_question(asked_part(question))  # a follow-up reads as it asks, not as its context
        scored = candidates(question, hits, self.retriever)
        text = compose(reading, hits, scored, names_a_paper(question, hits), context)
        if not text and context.before:  # its own words reach no sentence ('OK so what's their fix, concretely?')
            scored = candidates(read_with(question, context.before), hits, self.retriever)
            text = compose(reading, hits, scored, names_a_paper(question, hits), context)
        return Generation(iter([text]))

    def condense(self, question: str, history: list[Turn], budget: Budget) -> str:
        """A follow-up ('what about its speed?') is read against the subject of the conversation."""
        return read_offline(question, history)


class LLMAnswerer:
    """Any OpenAI-compatible chat model, given only this request's sources, fenced as data, streamed."""

    requires_citations = True
    writes_slowly = True

    def __init__(self, model: ChatModel, answer_tokens: int, condense_tokens: int) -> None:
        self.model = model
        self.answer_tokens = answer_tokens
        self.condense_tokens = condense_tokens

    def sources(self, question: str, k: int) -> int:
        return k

    def generate(self, question: str, hits: list[Hit], budget: Budget, context: Context = Context()) -> Generation:
        # The conversation reaches the model through the rewritten question (`condense`), not `context`: a
        # small model copies what its prompt holds. The passage that matched, not the whole abstract: a local
        # model reads the prompt faster. Each of its sentences carries its marker, the form the answer's
        # sentences take; the instructions and the question come after the sources, where a model reads them
        # last (and a small model that copies its prompt copies cited sentences the verifier can check, not
        # the rules).
        sources = [{"title": fence(h.paper.title), "text": fence(cited_sentences(h.chunk.text, n))}
                   for n, h in enumerate(hits, 1)]
        prompt = render_prompt("answer.jinja", sources=sources, question=question, not_covered=NOT_COVERED,
                               max_sentences=MAX_ANSWER_SENTENCES)
        return self.model.stream([{"role": "user", "content": prompt}], max_tokens=self.answer_tokens, budget=budget)

    def condense(self, question: str, history: list[Turn], budget: Budget) -> str:
        """The model rewrites a follow-up; a rewrite that rambles or runs out falls back to the offline one."""
        if not history or changes_subject(question) or not refers_back(question, last_answered(history)):
            return standalone(question, None)
        turns = [{"question": t.question, "answer": t.answer.text} for t in history[-3:]]
        prompt = render_prompt("condense.jinja", history=turns, question=question)
        reply = self.model.complete([{"role": "user", "content": prompt}], max_tokens=self.condense_tokens, budget=budget)
        rewritten = " ".join(reply.text.split())
        if 0 < len(rewritten) <= 4 * len(question) + 200 and not reply.stopped:
            return rewritten
        return read_offline(question, history)


def cited_sentences(text: str, n: int) -> str:
    """'A. B.' -> 'A [n]. B [n].': a passage's sentences, each ending with its source's marker."""
    marked = [re.sub(r"\s*([.!?]?)\s*$", rf" [{n}]\1", s.strip(), count=1) for s in split_sentences(text) if s.strip()]
    return " ".join(marked) or text


class AnswerChain:
    """condense -> retrieve -> generate -> verify, as typed steps sharing one budget per request."""

    def __init__(
        self,
        retriever: Retriever,
        answerer: Answerer,
        checker: SupportChecker,
        deadline: float,
        judge: Judge | None = None,
    ) -> None:
        self.retriever = retriever
        self.answerer = answerer
        self.checker = checker
        self.deadline = deadline
        self.judge = judge

    def events(self, request: Request) -> Iterator[AskEvent]:
        """Sources once retrieved, each sentence once verified, then the whole answer."""
        retrieved = self.retrieve(self.condense(request))
        yield SourcesEvent(retrieved.hits, retrieved.standalone)
        ledger = self._ledger(retrieved)
        generation = None
        if retrieved.hits:
            generation = self._generate(retrieved)
            for sentence in self._released(generation, ledger):
                yield SentenceEvent(sentence)
        yield AnswerEvent(self._answer(retrieved, ledger, generation))

    def condense(self, request: Request) -> Retrieved:
        budget = Budget(Deadline(self.deadline))
        return Retrieved(request, self.answerer.condense(request.question, request.history, budget), [], budget)

    def retrieve(self, step: Retrieved) -> Retrieved:
        """The papers for the question; for a follow-up, also the papers that answered the last turn (the
        conversation's subject)."""
        k = self.answerer.sources(step.standalone, step.request.k)
        step.context = Context(_already_said(step.request.history))
        last = last_answered(step.request.history)
        if last is None or step.standalone == step.request.question or changes_subject(step.request.question):
            hits = self.retriever.search(step.standalone, k)
            if hits and not addresses(step.standalone, hits, self.retriever.store.lexical):
                step.set_aside = hits  # papers of the question's field that do not speak to it
                return step
            if hits or last is None:
                step.hits = hits
                return step
            # Nothing at all answers it alone ('how exactly are the parameter blocks combined?'): in a
            # conversation, it is read with what was asked before.
            step.standalone = following(step.request.question, last)
        # A follow-up: the conversation has shown what the question is about. The papers that answered the
        # last turn come first among its sources; the answerer still takes another that answers clearly better.
        before = set() if looks_elsewhere(step.request.question) else {c.paper.paper_id for c in last.backed()}
        step.context = replace(step.context, subject=frozenset(before), before=last.standalone or last.question)
        hits = self.retriever.search(step.standalone, k + 3)
        if not hits:  # the follow-up alone clears no relevance floor: read it with what was asked before
            hits = self.retriever.search(f"{step.standalone} {last.standalone or last.question}", k + 3)
        found = {h.paper.paper_id for h in hits}
        hits += self.retriever.hits_of(step.standalone, sorted(before - found))
        subject = [h for h in hits if h.paper.paper_id in before]
        step.hits = subject + [h for h in hits if h.paper.paper_id not in before][: max(k - len(subject), 0)]
        return step

    def answer(self, step: Retrieved) -> Answer:
        """Generate and verify, to the end (the LCEL chain's last step)."""
        ledger = self._ledger(step)
        if not step.hits:
            return self._answer(step, ledger, None)
        generation = self._generate(step)
        for _ in self._released(generation, ledger):
            pass
        return self._answer(step, ledger, generation)

    def run(self, request: Request) -> Answer:
        return self.answer(self.retrieve(self.condense(request)))

    def as_runnable(self) -> Runnable[Request, Answer]:
        """The same steps as an LCEL chain: `chain.as_runnable().invoke(Request("..."))`."""
        from langchain_core.runnables import RunnableLambda

        return (
            RunnableLambda(self.condense, name="condense")
            | RunnableLambda(self.retrieve, name="retrieve")
            | RunnableLambda(self.answer, name="answer")
        )

    def _generate(self, step: Retrieved) -> Generation:
        if self.answerer.writes_slowly:  # the model's reply is awaited on the network: read the sources meanwhile
            self.checker.read_ahead([h.paper for h in step.hits])
        return self.answerer.generate(step.standalone, step.hits, step.budget, step.context)

    def _ledger(self, step: Retrieved) -> Ledger:
        return Ledger(
            self.checker,
            [h.paper for h in step.hits],
            require_citations=self.answerer.requires_citations,
            drop_unsupported=False,
            judge=self.judge,
            budget=step.budget,
        )

    def _released(self, generation: Generation, ledger: Ledger) -> Iterator[AnswerSentence]:
        """Verified sentences as the reply is read (see `Ledger.add` for why some wait)."""
        seen: set[str] = set()
        splitter = SentenceStream()

        def take(sentences: list[Said]) -> Iterator[AnswerSentence]:
            for said in sentences:
                claim = claim_text(said.text).lower()
                if said.text.strip() == NOT_COVERED or claim in seen:
                    continue  # the model's own abstention, or a sentence it already wrote
                seen.add(claim)
                yield from ledger.add(said.text, said.item)

        for piece in generation:
            yield from take(splitter.feed(piece))
            if len(ledger.sentences) >= MAX_ANSWER_SENTENCES:
                generation.stop(f"the answer reached {MAX_ANSWER_SENTENCES} sentences")
                break
        if generation.stopped is None:
            yield from take(splitter.close())  # a reply that ended without a full stop; a cut-off one is dropped
        ledger.close()

    def _answer(self, step: Retrieved, ledger: Ledger, generation: Generation | None) -> Answer:
        question = step.request.question
        warnings = list(ledger.warnings)
        if generation is not None and generation.stopped:
            warnings.append(f"stopped early: {generation.stopped}")
        elif generation is not None and not generation.text.strip():
            warnings.append("the answerer's reply was empty")
        usage = step.budget.usage.as_dict()
        if step.set_aside:
            closest = step.set_aside[0].paper
            warnings.append(f"no retrieved paper addresses the question (closest: {closest.key}, {closest.title!r})")
        if not ledger.supported:
            if ledger.attempted:
                warnings.append("no claim in the answer is supported by a retrieved source: abstaining")
            return Answer(question, NOT_COVERED, True, [], warnings, step.hits, usage, [], step.standalone)
        return Answer(
            question, ledger.text(), False, ledger.citations, warnings, step.hits, usage, ledger.sentences,
            step.standalone,
        )
