"""Chunking: pack consecutive abstract sentences into windows that fit the embedder."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from surveyor.records import Chunk, Paper
from surveyor.text.sentences import sentence_spans

TokenCounter = Callable[[Sequence[str]], list[int]]

# [CLS] and [SEP] take two positions of the model's window.
_SPECIAL_TOKENS = 2


def content_digest(paper: Paper, max_tokens: int) -> str:
    """Changes whenever the text that gets embedded, or how it is cut, changes."""
    payload = f"{max_tokens}\x00{paper.title}\x00{paper.abstract}"
    return hashlib.sha1(payload.encode()).hexdigest()[:12]


def chunk_id_for(paper_id: str, digest: str, ordinal: int) -> str:
    """Chunk ids name their paper and content, so writing the same chunk twice is one upsert."""
    return f"{paper_id}#{digest}#{ordinal}"


def embedding_text(paper: Paper, chunk: Chunk) -> str:
    """What the embedder sees: the title gives every chunk its paper's context."""
    return f"{paper.title}\n{chunk.text}"


def chunk_paper(paper: Paper, count_tokens: TokenCounter, max_tokens: int) -> list[Chunk]:
    """Windows of whole sentences within `max_tokens` (title included), one sentence of overlap."""
    spans = sentence_spans(paper.abstract) or [(0, len(paper.abstract))]
    sentences = [paper.abstract[a:b] for a, b in spans]
    title_tokens, *sizes = count_tokens([paper.title, *sentences])
    budget = max(max_tokens - _SPECIAL_TOKENS - title_tokens, 16)
    digest = content_digest(paper, max_tokens)
    chunks: list[Chunk] = []
    for first, last in _windows(sizes, budget):
        text = paper.abstract[spans[first][0] : spans[last][1]]
        pieces = [text] if sum(sizes[first : last + 1]) <= budget else _split_words(text, count_tokens, budget)
        for piece in pieces:
            chunk_id = chunk_id_for(paper.paper_id, digest, len(chunks))
            chunks.append(Chunk(chunk_id, paper.paper_id, len(chunks), piece, first, last))
    return chunks


def _windows(sizes: list[int], budget: int) -> list[tuple[int, int]]:
    """Greedy sentence windows [first, last]; the next window starts on the previous last sentence."""
    windows: list[tuple[int, int]] = []
    first = 0
    while first < len(sizes):
        last, used = first, sizes[first]
        while last + 1 < len(sizes) and used + sizes[last + 1] <= budget:
            last += 1
            used += sizes[last]
        windows.append((first, last))
        if last + 1 >= len(sizes):
            break
        first = last if last > first and sizes[last] + sizes[last + 1] <= budget else last + 1
    return windows


def _split_words(text: str, count_tokens: TokenCounter, budget: int) -> list[str]:
    """Cut an over-long sentence at word boundaries; only pathological abstracts need this."""
    words = text.split()
    pieces: list[str] = []
    while words:
        take = len(words)
        while take > 1 and count_tokens([" ".join(words[:take])])[0] > budget:
            take = max(1, take * budget // (count_tokens([" ".join(words[:take])])[0] + 1))
        pieces.append(" ".join(words[:take]))
        words = words[take:]
    return pieces
