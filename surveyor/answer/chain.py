"""The answer chain: condense -> retrieve -> draft -> verify, also available as a LangChain LCEL chain."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from surveyor.answer.citations import NOT_COVERED, Verifier
from surveyor.answer.extractive import compose
from surveyor.answer.llm import ChatModel, Completion
from surveyor.index.retriever import Retriever
from surveyor.prompts import fence, render_prompt
from surveyor.records import Answer, Hit
from surveyor.text.tokens import tokenize

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

MAX_ANSWER_SENTENCES = 6
_FOLLOW_UP = re.compile(
    r"\b(it|its|it's|they|their|them|this|that|these|those|the same|this one|former|latter)\b", re.I
)


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


@dataclass
class Drafted:
    retrieved: Retrieved
    completion: Completion


class Answerer(Protocol):
    """Writes answer text with `[n]` markers for the n-th of the given hits."""

    requires_citations: bool

    def draft(self, question: str, hits: list[Hit]) -> Completion: ...

    def condense(self, question: str, history: list[Turn]) -> str: ...


class ExtractiveAnswerer:
    """No network: the best-answering abstract sentences, rewritten in the third person."""

    requires_citations = False

    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever

    def draft(self, question: str, hits: list[Hit]) -> Completion:
        vector = self.retriever.query_vector(question)
        chunk_vectors = self.retriever.store.chunk_vectors([h.paper.paper_id for h in hits])
        similarity = {
            pid: [(c.first_sentence, c.last_sentence, float(v @ vector)) for c, v in chunks]
            for pid, chunks in chunk_vectors.items()
        }
        lexical = self.retriever.store.lexical
        doc_freq = lexical.document_frequencies(tokenize(question))
        return Completion(compose(question, hits, similarity, doc_freq, lexical.postings))

    def condense(self, question: str, history: list[Turn]) -> str:
        """A follow-up ('what about its speed?') borrows the subject of the last answered turn."""
        last = next((t for t in reversed(history) if not t.answer.abstained), None)
        if last is None or not (_FOLLOW_UP.search(question) or len(tokenize(question)) <= 2):
            return question
        subject = last.answer.citations[0].paper
        return f"{subject.short_name or subject.title}: {question}"


class LLMAnswerer:
    """Any OpenAI-compatible chat model, given only this request's sources, fenced as data."""

    requires_citations = True

    def __init__(self, model: ChatModel) -> None:
        self.model = model

    def draft(self, question: str, hits: list[Hit]) -> Completion:
        system = render_prompt("answer_system.jinja", not_covered=NOT_COVERED, max_sentences=MAX_ANSWER_SENTENCES)
        sources = [{"title": fence(h.paper.title), "abstract": fence(h.paper.abstract)} for h in hits]
        user = render_prompt("answer_user.jinja", sources=sources, question=question)
        return self.model.complete([{"role": "system", "content": system}, {"role": "user", "content": user}])

    def condense(self, question: str, history: list[Turn]) -> str:
        if not history:
            return question
        turns = [{"question": t.question, "answer": t.answer.text} for t in history[-3:]]
        prompt = render_prompt("condense.jinja", history=turns, question=question)
        rewritten = self.model.complete([{"role": "user", "content": prompt}]).text.strip()
        return rewritten if 0 < len(rewritten) <= 4 * len(question) + 200 else question


class AnswerChain:
    """condense -> retrieve -> draft -> verify, as typed steps.

    `run` calls the steps in order; `as_runnable` composes the very same steps as a LangChain LCEL
    chain (streaming, batching, tracing, drop-in for other chains). The CLI uses `run`, because
    importing langchain_core costs a cold start 0.6-1.2 s on a machine like ours.
    """

    def __init__(self, retriever: Retriever, answerer: Answerer, verifier: Verifier) -> None:
        self.retriever = retriever
        self.answerer = answerer
        self.verifier = verifier

    def condense(self, request: Request) -> Retrieved:
        return Retrieved(request, self.answerer.condense(request.question, request.history), [])

    def retrieve(self, step: Retrieved) -> Retrieved:
        step.hits = self.retriever.search(step.standalone, step.request.k)
        return step

    def draft(self, step: Retrieved) -> Drafted:
        # Nothing relevant retrieved: abstain without asking anyone to answer from nothing.
        completion = self.answerer.draft(step.standalone, step.hits) if step.hits else Completion("")
        return Drafted(step, completion)

    def verify(self, step: Drafted) -> Answer:
        retrieved = step.retrieved
        answer = self.verifier.verify(
            retrieved.request.question,
            step.completion.text,
            retrieved.hits,
            require_citations=self.answerer.requires_citations,
        )
        answer.usage = step.completion.usage
        return answer

    def run(self, request: Request) -> Answer:
        return self.verify(self.draft(self.retrieve(self.condense(request))))

    def as_runnable(self) -> Runnable[Request, Answer]:
        """The same steps as an LCEL chain: `chain.as_runnable().invoke(Request("..."))`."""
        from langchain_core.runnables import RunnableLambda

        return (
            RunnableLambda(self.condense, name="condense")
            | RunnableLambda(self.retrieve, name="retrieve")
            | RunnableLambda(self.draft, name="draft")
            | RunnableLambda(self.verify, name="verify")
        )
