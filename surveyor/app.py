"""The Surveyor facade: the one API the CLI, the HTTP server and the MCP server call."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from surveyor.errors import SurveyorError
from surveyor.index.embeddings import Embedder, open_embedder
from surveyor.index.retriever import Retriever
from surveyor.index.store import Store
from surveyor.ingest import IngestReport, Progress, ingest, sync_index
from surveyor.records import Answer, Draft, Hit, Paper
from surveyor.settings import Settings

if TYPE_CHECKING:
    from surveyor.answer.chain import AnswerChain, Answerer, Turn
    from surveyor.draft.pipeline import Drafter
    from surveyor.index.langchain import SurveyorRetriever

MAX_QUERY_CHARS = 2000


class Surveyor:
    """A literature corpus: ingest abstracts, search them. Models and indexes load on first use."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()

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
        from surveyor.answer.llm import ChatModel

        if self.settings.llm == "openai":
            settings = self.settings
            return LLMAnswerer(ChatModel(settings.model, settings.base_url, settings.llm_timeout, settings.llm_retries))
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
        from surveyor.answer.chain import Request

        return self.chain.run(Request(check_query(question), k, list(history)))

    def drafter(self) -> Drafter:
        from surveyor.answer.citations import Verifier
        from surveyor.answer.llm import ChatModel
        from surveyor.draft.pipeline import Drafter
        from surveyor.draft.write import ExtractiveWriter, LLMWriter, Writer

        settings = self.settings
        writer: Writer = ExtractiveWriter()
        if settings.llm == "openai":
            writer = LLMWriter(ChatModel(settings.model, settings.base_url, settings.llm_timeout, settings.llm_retries))
        verifier = Verifier(self.store, self.embedder)
        return Drafter(self.retriever, writer, verifier, names_from_writer=settings.llm == "openai")

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
        from surveyor.draft.stages import load

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
            from surveyor.draft.stages import dump

            dump_dir.mkdir(parents=True, exist_ok=True)
            dump(start, dump_dir / f"{type(start).__name__.lower()}.json")
        return drafter.run(start, sections, dump_dir)

    def ingest(self, paths: Sequence[Path], fmt: str | None = None, progress: Progress | None = None) -> IngestReport:
        """Read files/folders into the store (created if missing); unchanged input embeds nothing."""
        if "store" not in self.__dict__:
            self.__dict__["store"] = Store(self.settings, create=True)
        return ingest(self.store, self.embedder, paths, fmt, progress)

    def search(self, query: str, k: int = 10) -> list[Hit]:
        """Papers relevant to `query`, best first, each with its best-matching snippet."""
        return self.retriever.search(check_query(query), k)

    def as_retriever(self, k: int = 5) -> SurveyorRetriever:
        """This corpus as a LangChain retriever, to drop into your own chains."""
        from surveyor.index.langchain import SurveyorRetriever

        return SurveyorRetriever(surveyor=self, k=k)

    def papers(self) -> list[Paper]:
        return self.store.db.papers()

    def paper(self, name: str) -> Paper:
        """A paper by id, alias or citation key."""
        paper = self.store.db.resolve(name.strip())
        if paper is None:
            raise SurveyorError(f"no paper {name!r} in store {self.settings.store}")
        return paper

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the vector and BM25 indexes from the paper records; returns chunks embedded."""
        store = self.store
        with store.write_lock():
            store.delete_vectors(sorted(store.vector_ids()))
            store.db.mark_all_pending()
            store.db.bump_generation()
            return sync_index(store, self.embedder, progress)

    def stats(self) -> dict[str, object]:
        store = self.store
        size = sum(f.stat().st_size for f in store.root.rglob("*") if f.is_file())
        return {
            "store": str(store.root),
            "papers": store.db.count(),
            "chunks": store.db.chunk_count(),
            "pending_chunks": len(store.db.pending_chunks()),
            "embedding_model": store.manifest["embedding_model"],
            "chunk_tokens": store.manifest["chunk_tokens"],
            "bytes_on_disk": size,
        }


def check_query(query: str) -> str:
    """One clear error for an empty or oversized query, before any model is loaded."""
    query = query.strip()
    if not query:
        raise SurveyorError("the query is empty")
    if len(query) > MAX_QUERY_CHARS:
        raise SurveyorError(f"the query is {len(query)} characters long; the limit is {MAX_QUERY_CHARS}")
    return query
