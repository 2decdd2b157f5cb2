"""Reading files of abstracts, paper identity, sentences and chunks."""
