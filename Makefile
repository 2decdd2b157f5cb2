# The README's two commands: `make demo` (set up + ingest + answer) and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3

$(BIN)/surveyor: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

.PHONY: setup demo test bench
setup: $(BIN)/surveyor

demo: setup
	$(BIN)/surveyor ingest corpora/
	$(BIN)/surveyor ask "how can a video be stored as a neural network?"

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/pip install -q -e '.[test,bench]'
	$(BIN)/python benchmarks/run.py
