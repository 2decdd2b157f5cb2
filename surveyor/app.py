"""The Surveyor facade: the one API the CLI, the HTTP server and the MCP server call."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from surveyor.errors import SurveyorError
from surveyor.index.embeddings import Embedder, open_embedder
from surveyor.index.retriever import Retriever
from surveyor.index.store import Store
from surveyor.ingest import IngestReport, Progress, ingest
from surveyor.records import Answer, Citation, Draft, Hit, Paper
from surveyor.settings import MAX_QUERY_CHARS, Settings

if TYPE_CHECKING:
    from surveyor.answer.chain import AnswerChain, Answerer, Turn
    from surveyor.answer.llm import ChatModel
    from surveyor.draft.pipeline import Drafter
    from surveyor.index.consistency import Consistency
    from surveyor.index.langchain import SurveyorRetriever



class Surveyor:
    """A literature corpus: ingest, search, ask, draft. Models and indexes load on first use (or `load()`).

    One instance may serve many threads (the HTTP server): public methods take a lock, because the
    records connection and the lazily built parts are shared.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._lock = threading.RLock()

    def load(self) -> Surveyor:
        """Open the store and load the model and indexes now, so the first request is fast."""
        with self._lock:
            self.chain
            self.embedder.embed(["warm up"])
            self.store.collection
            self.store.lexical
        return self

    @cached_property
    def chat_model(self) -> ChatModel:
        from surveyor.answer.llm import ChatModel

        s = self.settings
        return ChatModel(s.model, s.base_url, s.llm_timeout, s.llm_retries)

    @cached_property
    def embedder(self) -> Embedder:
        return open_embedder(self.settings)

    @cached_property
    def store(self) -> Store:
        return Store(self.settings)

    @cached_property
    def retriever(self) -> Retriever:
        return Retriever(self.store, self.embedder)

    @cached_property
    def answerer(self) -> Answerer:
        from surveyor.answer.chain import ExtractiveAnswerer, LLMAnswerer

        if self.settings.llm == "openai":
            return LLMAnswerer(self.chat_model)
        return ExtractiveAnswerer(self.retriever)

    @cached_property
    def chain(self) -> AnswerChain:
        """The answer chain, built once so follow-up questions in a chat are fast.
        `surveyor.chain.as_runnable()` is the same chain as a LangChain LCEL runnable."""
        from surveyor.answer.chain import AnswerChain
        from surveyor.answer.citations import Verifier

        return AnswerChain(self.retriever, self.answerer, Verifier(self.store, self.embedder))

    def ask(self, question: str, k: int = 5, history: Sequence[Turn] = ()) -> Answer:
        """A cited answer; every citation verified against the cited abstract, or the answer abstains."""
        *_, (_, answer) = self.ask_events(question, k, history)
        assert isinstance(answer, Answer)
        return answer

    def ask_events(self, question: str, k: int = 5, history: Sequence[Turn] = ()) -> Iterator[tuple[str, object]]:
        """The answer as it comes together: ("sources", list[Hit]) once retrieved, then ("answer", Answer)."""
        from surveyor.answer.chain import Request

        request = Request(check_query(question), k, list(history))
        with self._lock:
            chain = self.chain
            retrieved = chain.retrieve(chain.condense(request))
        yield "sources", retrieved.hits
        with self._lock:
            answer = chain.verify(chain.draft(retrieved))
        yield "answer", answer

    def turn(self, question: str, answer: str, paper_ids: Sequence[str] = ()) -> Turn:
        """A past exchange, as a client that only kept the text and the cited ids can give it back."""
        from surveyor.answer.chain import Turn

        with self._lock:
            papers = [self.paper(pid) for pid in paper_ids]
        citations = [Citation(n, p, "", True, 1.0) for n, p in enumerate(papers, 1)]
        return Turn(question, Answer(question, answer, not citations, citations))

    def drafter(self) -> Drafter:
        from surveyor.answer.citations import Verifier
        from surveyor.draft.pipeline import Drafter
        from surveyor.draft.write import ExtractiveWriter, LLMWriter, Writer

        # A fresh writer per draft: extractive naming ("One study", "Another study") starts over.
        writer: Writer = LLMWriter(self.chat_model) if self.settings.llm == "openai" else ExtractiveWriter()
        verifier = Verifier(self.store, self.embedder)
        return Drafter(self.retriever, writer, verifier, names_from_writer=self.settings.llm == "openai")

    def draft(
        self,
        topic: str = "",
        *,
        user_abstract: str | None = None,
        max_papers: int = 40,
        sections: int | None = None,
        from_stage: Path | None = None,
        dump_dir: Path | None = None,
    ) -> Draft:
        """A related-work draft on `topic` (or for `user_abstract`), organised by theme, every citation verified."""
        with self._lock:
            return self._draft(topic, user_abstract, max_papers, sections, from_stage, dump_dir)

    def _draft(
        self,
        topic: str,
        user_abstract: str | None,
        max_papers: int,
        sections: int | None,
        from_stage: Path | None,
        dump_dir: Path | None,
    ) -> Draft:
        from surveyor.draft.stages import dump, load

        drafter = self.drafter()
        if from_stage is not None:
            start = load(from_stage)
        else:
            if user_abstract is None:
                topic = check_query(topic)
            elif not user_abstract.strip():
                raise SurveyorError("the abstract file is empty")
            start = drafter.pool(topic, user_abstract, max_papers)
        if dump_dir is not None:
            dump_dir.mkdir(parents=True, exist_ok=True)
            dump(start, dump_dir / f"{type(start).__name__.lower()}.json")
        return drafter.run(start, sections, dump_dir)

    def ingest(
        self,
        paths: Sequence[Path],
        fmt: str | None = None,
        progress: Progress | None = None,
        *,
        wait: bool = True,
        on_wait: Callable[[], None] | None = None,
    ) -> IngestReport:
        """Read files/folders into the store (created if missing); unchanged input embeds nothing.
        Another process writing the store is waited for, or with `wait=False` an error."""
        if "store" not in self.__dict__:
            with self._lock:
                if "store" not in self.__dict__:
                    self.__dict__["store"] = Store(self.settings, create=True)
        return ingest(self.store, self.embedder, paths, fmt, progress, wait, on_wait)

    def search(self, query: str, k: int = 10) -> list[Hit]:
        """Papers relevant to `query`, best first, each with its best-matching snippet."""
        query = check_query(query)  # before the retriever starts loading anything
        with self._lock:
            return self.retriever.search(query, k)

    def as_retriever(self, k: int = 5) -> SurveyorRetriever:
        """This corpus as a LangChain retriever, to drop into your own chains."""
        from surveyor.index.langchain import SurveyorRetriever

        return SurveyorRetriever(surveyor=self, k=k)

    def papers(self) -> list[Paper]:
        with self._lock:
            return self.store.db.papers()

    def paper(self, name: str) -> Paper:
        """A paper by id, alias or citation key."""
        with self._lock:
            paper = self.store.db.resolve(name.strip())
        if paper is None:
            raise SurveyorError(f"no paper {name!r} in store {self.settings.store}")
        return paper

    def reindex(self, progress: Progress | None = None) -> int:
        """Re-embed every chunk into a new collection and rebuild the lexical index, then switch to
        them: searches keep working meanwhile. Returns chunks embedded."""
        from surveyor.index.maintenance import reindex

        return reindex(self.store, self.embedder, progress)

    def verify(self, repair: bool = False) -> Consistency:
        """Check that the index holds exactly the records' chunks; with `repair`, fix what is off."""
        from surveyor.index import consistency

        found = consistency.check(self.store)
        if repair and not found.ok:
            consistency.repair(self.store, self.embedder, found)
            found = consistency.check(self.store)
        return found

    def push(self, url: str, progress: Progress | None = None) -> dict[str, int]:
        """Copy this (local) store's papers and vectors to the Chroma server at `url` (tenant, database
        and collection prefix from the settings), without re-embedding. Repeating it is harmless."""
        from surveyor.index.maintenance import push

        if not url.startswith(("http://", "https://")):
            raise SurveyorError(f"push needs a Chroma server URL (http://HOST:PORT), not {url!r}")
        target = Store(self.settings.model_copy(update={"store": url}), create=True)
        try:
            papers, embedded = push(self.store, target, self.embedder, progress)
        finally:
            target.close()
        return {"papers": papers, "chunks_embedded": embedded}

    def export(self, fmt: str) -> str:
        """The whole store as JSON lines or BibTeX (with abstracts): ingesting it rebuilds the same papers."""
        import json

        from surveyor.draft.render import Renderer

        papers = self.papers()
        if fmt == "bibtex":
            return Renderer().bibtex(papers, export=True)
        if fmt != "jsonl":
            raise SurveyorError(f"unknown export format {fmt!r}: use jsonl or bibtex")
        fields = ("key", "title", "abstract", "authors", "year", "venue", "url", "doi", "arxiv_id")
        return "".join(json.dumps({f: getattr(p, f) for f in fields}, ensure_ascii=False) + "\n" for p in papers)

    def stats(self) -> dict[str, object]:
        with self._lock:
            return self._stats()

    def _stats(self) -> dict[str, object]:
        store = self.store
        store.refresh(force=True)
        size = sum(f.stat().st_size for f in store.root.rglob("*") if f.is_file())
        numbers: dict[str, object] = {
            "store": self.settings.store if store.remote else str(store.root),
            "papers": store.db.count(),
            "chunks": store.db.chunk_count(),
            "pending_chunks": store.db.pending_count(),
            "embedding_model": store.manifest["embedding_model"],
            "chunk_tokens": store.manifest["chunk_tokens"],
            "bytes_on_disk": size,
        }
        if store.remote is not None:  # what is on disk here is only this client's cache
            numbers["cache"] = str(store.root)
        return numbers


def check_query(query: str) -> str:
    """One clear error for an empty or oversized query, before any model is loaded."""
    query = query.strip()
    if not query:
        raise SurveyorError("the query is empty")
    if len(query) > MAX_QUERY_CHARS:
        raise SurveyorError(f"the query is {len(query)} characters long; the limit is {MAX_QUERY_CHARS}")
    return query
