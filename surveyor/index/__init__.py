"""Embeddings, the store (records + Chroma + BM25) and hybrid retrieval."""
