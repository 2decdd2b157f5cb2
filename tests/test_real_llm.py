"""The LLM path against a real local model (llama.cpp + Gemma 3 270M), run as a user runs it: the tiny
model rambles, copies its prompt and invents or mis-numbers citations. Every command must finish
within its deadline, and every citation that reaches the output must be one the verifier checked."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest

from surveyor import Surveyor

DEADLINE = 60.0
QUESTIONS = [
    "how can a video be stored as a neural network?",
    "what limits federated learning on non-IID data?",
    "how can diffusion model sampling be made faster?",
]


def surveyor(args: list[str], corpus: Surveyor, url: str, stdin: str | None = None) -> tuple[subprocess.CompletedProcess[str], float]:
    env = os.environ | {"SURVEYOR_STORE": corpus.settings.store, "SURVEYOR_LLM": "openai", "OPENAI_BASE_URL": url,
                        "SURVEYOR_MODEL": "gemma-3-270m", "SURVEYOR_LLM_DEADLINE": str(DEADLINE)}
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "surveyor", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=4 * DEADLINE)
    return done, time.monotonic() - start


def assert_verified(answer: dict[str, object], corpus: Surveyor) -> None:
    """Each [n] is a listed citation of a retrieved paper, checked by the verifier; an answer with none
    supported abstains."""
    citations = answer["citations"]
    assert isinstance(citations, list)
    numbers = {c["n"] for c in citations}
    assert {int(n) for n in re.findall(r"\[(\d+)\]", str(answer["answer"]))} == numbers
    retrieved = {h.paper.paper_id for h in corpus.search(str(answer["standalone"]), 5)}
    for citation in citations:
        assert citation["paper_id"] in retrieved
        assert citation["quote"] in corpus.paper(citation["paper_id"]).abstract
        assert citation["supported"] or citation["reason"]
    assert answer["abstained"] or any(c["supported"] for c in citations)


@pytest.mark.parametrize("question", QUESTIONS)
def test_ask_finishes_in_time_and_cites_only_what_verifies(real_llm: str, corpus: Surveyor, question: str) -> None:
    done, seconds = surveyor(["ask", question, "--json"], corpus, real_llm)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert seconds < DEADLINE + 15  # the deadline bounds the model; the rest is start-up and verification
    assert_verified(answer, corpus)
    assert answer["usage"]["completion_tokens"] > 0


def test_chat_with_a_follow_up(real_llm: str, corpus: Surveyor) -> None:
    done, seconds = surveyor(["chat"], corpus, real_llm, stdin=f"{QUESTIONS[0]}\nwhat about its speed?\n/exit\n")
    assert done.returncode == 0, done.stderr
    assert seconds < 2 * (DEADLINE + 15)
    assert done.stdout.count("> ") >= 2 and "Traceback" not in done.stderr


def test_draft_finishes_and_every_citation_resolves(real_llm: str, corpus: Surveyor) -> None:
    done, seconds = surveyor(["draft", "diffusion model acceleration", "--max-papers", "8", "--format", "json"],
                             corpus, real_llm)
    assert done.returncode == 0, done.stderr
    assert seconds < DEADLINE + 30
    draft = json.loads(done.stdout)
    references = draft["references"]
    cited_anywhere: set[str] = set()
    for section in draft["sections"]:
        for paragraph in section["paragraphs"]:
            cited = {int(n) for n in re.findall(r"\[(\d+)\]", paragraph["text"])}
            assert cited <= set(range(1, len(references) + 1))
            assert {references[n - 1]["paper_id"] for n in cited} == set(paragraph["citations"])
            cited_anywhere |= set(paragraph["citations"])
    # Every reference is cited in the text, and every one is a paper of the draft's own pool.
    assert cited_anywhere == {r["paper_id"] for r in references}
    coverage = draft["coverage"]
    assert coverage["cited"] == len(references) and coverage["cited"] + len(coverage["left_out"]) == coverage["retrieved"]
