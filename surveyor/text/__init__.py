"""Text utilities every layer shares: tokens and stopwords, sentences, prose rewriting, claim analysis, LaTeX."""
