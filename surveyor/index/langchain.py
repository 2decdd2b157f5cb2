"""LangChain adapters: the hybrid search as a `BaseRetriever`, the embedder as `Embeddings`.

Imported only by code that wants LangChain; the CLI's search path never pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever

from surveyor.records import Hit

if TYPE_CHECKING:
    from surveyor.index.embeddings import Embedder


def hit_document(hit: Hit) -> Document:
    """A hit as a Document: the matching chunk as content, the paper's identity as metadata."""
    metadata = hit.as_dict() | {"year": hit.paper.year, "url": hit.paper.url, "chunk_id": hit.chunk.chunk_id}
    return Document(page_content=hit.chunk.text, metadata=metadata)


class SurveyorRetriever(BaseRetriever):
    """Hybrid (dense + BM25) retrieval over a surveyor store, one Document per paper."""

    surveyor: Any
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        found: list[Hit] = self.surveyor.search(query, self.k)
        return [hit_document(h) for h in found]


class SurveyorEmbeddings(Embeddings):
    """The store's embedder for LangChain vector stores (e.g. `langchain_chroma.Chroma`)."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [list(map(float, v)) for v in self._embedder.embed(texts)] if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]
