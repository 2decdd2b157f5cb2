"""The Surveyor facade: the one API the CLI, the HTTP server and the MCP server call."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from surveyor.errors import NotFound, SurveyorError
from surveyor.index.embeddings import Embedder, open_embedder
from surveyor.index.retriever import Retriever
from surveyor.index.store import Store
from surveyor.ingest import IngestReport, Progress, ingest
from surveyor.records import Answer, AnswerEvent, AskEvent, Citation, Draft, Hit, Paper
from surveyor.settings import MAX_QUERY_CHARS, Settings

if TYPE_CHECKING:
    from surveyor.answer.chain import AnswerChain, Turn
    from surveyor.answer.llm import ChatModel
    from surveyor.answer.support import SupportChecker
    from surveyor.chats import Chat, ChatStore
    from surveyor.draft.pipeline import Drafter
    from surveyor.index.consistency import Consistency
    from surveyor.index.langchain import SurveyorRetriever

T = TypeVar("T")


class Surveyor:
    """A literature corpus: ingest, search, ask, draft. Models and indexes load on first use (or `load()`).

    One instance serves many threads at once (the HTTP server): each part is built once, under a lock
    held only while building; no lock is held across a search, an LLM call or a draft.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._building = threading.RLock()

    def _once(self, name: str, build: Callable[[], T]) -> T:
        """The part called `name`, built by the first thread that needs it; others wait for that, once."""
        part = self.__dict__.get(name)
        if part is None:
            with self._building:
                part = self.__dict__.get(name)
                if part is None:
                    part = self.__dict__[name] = build()
        return cast(T, part)

    def load(self) -> Surveyor:
        """Open the store and load the model and indexes now, so the first request is fast."""
        self.chain
        self.embedder.embed(["warm up"])
        self.store.collection
        self.store.lexical
        return self

    @property
    def chat_model(self) -> ChatModel:
        from surveyor.answer.llm import ChatModel

        s = self.settings
        return self._once("_chat_model", lambda: ChatModel(s.model, s.base_url, s.llm_timeout, s.llm_retries))

    @property
    def embedder(self) -> Embedder:
        return self._once("_embedder", lambda: open_embedder(self.settings))

    @property
    def store(self) -> Store:
        return self._once("_store", lambda: Store(self.settings))

    @property
    def retriever(self) -> Retriever:
        return self._once("_retriever", lambda: Retriever(self.store, self.embedder))

    @property
    def checker(self) -> SupportChecker:
        from surveyor.answer.support import SupportChecker

        return self._once("_checker", lambda: SupportChecker(self.store, self.embedder))

    @property
    def chain(self) -> AnswerChain:
        """The answer chain, built once so follow-up questions in a chat are fast.
        `surveyor.chain.as_runnable()` is the same chain as a LangChain LCEL runnable."""
        return self._once("_chain", self._build_chain)

    def _build_chain(self) -> AnswerChain:
        from surveyor.answer.chain import AnswerChain, Answerer, ExtractiveAnswerer, LLMAnswerer
        from surveyor.answer.judge import Judge

        s = self.settings
        answerer: Answerer = (
            LLMAnswerer(self.chat_model, s.llm_answer_tokens, s.llm_condense_tokens)
            if s.llm == "openai"
            else ExtractiveAnswerer(self.retriever)
        )
        judge = Judge(self.chat_model) if s.verify == "llm" else None
        return AnswerChain(self.retriever, answerer, self.checker, s.llm_deadline, judge)

    def ask(self, question: str, k: int = 5, history: Sequence[Turn] = ()) -> Answer:
        """A cited answer; every citation verified against the cited abstract, or the answer abstains."""
        for event in self.ask_events(question, k, history):
            if isinstance(event, AnswerEvent):
                return event.answer
        raise AssertionError("the answer chain ended without an answer")

    def ask_events(self, question: str, k: int = 5, history: Sequence[Turn] = ()) -> Iterator[AskEvent]:
        """The answer as it comes together: the sources once retrieved, each sentence once verified,
        then the whole answer."""
        from surveyor.answer.chain import Request

        request = Request(check_query(question), k, list(history))
        if self.settings.verify == "llm" and self.settings.llm != "openai":
            raise SurveyorError("--verify llm needs an LLM: add --llm openai (and --base-url for a local server)")
        return self.chain.events(request)

    def check_claim(self, claim: str, paper: str) -> Citation:
        """Whether the paper (id, alias or key) supports the claim, as the verifier judges a cited sentence."""
        from surveyor.answer.citations import Ledger
        from surveyor.answer.llm import Budget, Deadline

        cited = self.paper(paper)
        judge = self.chain.judge
        ledger = Ledger(self.checker, [cited], require_citations=False, drop_unsupported=False, judge=judge,
                        budget=Budget(Deadline(self.settings.llm_deadline)))
        checked = ledger.check(f"{claim.strip()} [1]")
        if checked is None or not checked.uses:
            raise SurveyorError(f"nothing to check in {claim!r}")
        ledger.commit(checked)
        (citation,) = ledger.citations
        return citation

    @property
    def chats(self) -> ChatStore:
        """The saved chats: in the store's directory, or for a Chroma server store in the user's data directory."""
        from surveyor.chats import ChatStore

        store = self.settings.store
        if self.settings.chats_dir is not None:
            return ChatStore(self.settings.chats_dir)
        if store.startswith(("http://", "https://")):
            import hashlib

            import platformdirs

            name = hashlib.sha1(store.encode()).hexdigest()[:12]
            return ChatStore(Path(platformdirs.user_data_dir("surveyor")) / "chats" / name)
        return ChatStore(Path(store) / "chats")

    def resume(self, chat_id: str | None) -> Chat:
        """A saved chat (the last one when `chat_id` is None), its cited papers read from the store."""
        return self.chats.load(chat_id, self.paper)

    def draft_from_chat(self, chat: Chat) -> Draft:
        """A related-work draft on the conversation's subject, from the papers it cited."""
        from surveyor.draft.stages import Pool, PoolEntry

        papers = chat.cited()
        if not papers:
            raise SurveyorError("nothing in this chat is cited yet: ask something first")
        topic = chat.turns[0].answer.standalone or chat.turns[0].question
        return self.drafter().run(Pool(topic, None, [PoolEntry(p.paper_id, 1.0) for p in papers]))

    def turn(self, question: str, answer: str, paper_ids: Sequence[str] = ()) -> Turn:
        """A past exchange, as a client that only kept the text and the cited ids can give it back."""
        from surveyor.answer.chain import Turn

        papers = [self.paper(pid) for pid in paper_ids]
        citations = [Citation(n, p, "", True, 1.0) for n, p in enumerate(papers, 1)]
        return Turn(question, Answer(question, answer, not citations, citations))

    def drafter(self) -> Drafter:
        from surveyor.answer.llm import Budget, Deadline
        from surveyor.draft.pipeline import Drafter
        from surveyor.draft.write import ExtractiveWriter, LLMWriter, Writer

        # A fresh writer per draft: extractive naming ("One study", "Another study") starts over, and
        # an LLM draft gets its own deadline and token count.
        s = self.settings
        llm = s.llm == "openai"
        budget = Budget(Deadline(s.llm_deadline))
        writer: Writer = LLMWriter(self.chat_model, s.llm_draft_tokens, budget) if llm else ExtractiveWriter()
        return Drafter(
            self.retriever, writer, self.checker, names_from_writer=llm, concurrency=s.llm_concurrency if llm else 1
        )

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
        store = self._once("_store", lambda: Store(self.settings, create=True))
        return ingest(store, self.embedder, paths, fmt, progress, wait, on_wait)

    def search(self, query: str, k: int = 10) -> list[Hit]:
        """Papers relevant to `query`, best first, each with its best-matching snippet."""
        query = check_query(query)  # before the retriever starts loading anything
        return self.retriever.search(query, k)

    def as_retriever(self, k: int = 5) -> SurveyorRetriever:
        """This corpus as a LangChain retriever, to drop into your own chains."""
        from surveyor.index.langchain import SurveyorRetriever

        return SurveyorRetriever(surveyor=self, k=k)

    def papers(self) -> list[Paper]:
        return self.store.db.papers()

    def count(self) -> int:
        """How many papers the store holds."""
        return self.store.db.count()

    def paper(self, name: str) -> Paper:
        """A paper by id, alias or citation key."""
        paper = self.store.db.resolve(name.strip())
        if paper is None:
            raise NotFound(f"no paper {name!r} in store {self.settings.store}")
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
        """The whole store as JSON lines, BibTeX (with abstracts), CSL-JSON or RIS: ingesting it rebuilds the
        same papers, ids and keys."""
        from surveyor.corpus.writers import writer_for

        write = writer_for(fmt)
        return write(self.papers())

    def stats(self) -> dict[str, object]:
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
