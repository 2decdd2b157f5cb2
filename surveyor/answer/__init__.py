"""Answers: the LCEL chain, extractive and LLM answerers, citation verification."""
