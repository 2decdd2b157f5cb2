"""Reading files of abstracts and writing reference files, paper identity, sentences and chunks."""
