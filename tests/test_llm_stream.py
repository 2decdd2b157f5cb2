"""The LLM path, bounded and streamed: sentences released as they verify, runaway and broken streams
stopped with a warning, nothing unverified ever shown; requests served in parallel."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from conftest import llm_surveyor
from scripted_llm import Reply, ScriptedLLM, scripted_llm, source_id

from surveyor import Surveyor
from surveyor.answer.chain import Turn
from surveyor.records import Answer, AnswerEvent, AskEvent, SentenceEvent, SourcesEvent

QUESTION = "how can a video be stored as a neural network?"
CLAIMS = (
    "HNeRV uses a learnable encoder that generates content-adaptive embeddings as the decoder input",
    "HNeRV outperforms implicit methods in video regression tasks for reconstruction quality",
    "HNeRV shows decoding advantages for speed compared to traditional codecs",
)




def hnerv_answer(prompt: str) -> str:
    n = source_id(prompt, "HNeRV")
    return " ".join(f"{claim} [{n}]." for claim in CLAIMS)


@pytest.fixture(scope="module")
def llm() -> Iterator[ScriptedLLM]:
    with scripted_llm() as server:
        yield server




@pytest.fixture(scope="module")
def answered(corpus: Surveyor, llm: ScriptedLLM) -> Surveyor:
    return llm_surveyor(corpus.settings.store, llm)


def _final(events: list[AskEvent]) -> Answer:
    assert isinstance(events[-1], AnswerEvent)
    return events[-1].answer


def test_sentences_are_released_while_the_model_is_still_writing(answered: Surveyor, llm: ScriptedLLM) -> None:
    llm.script(Reply(hnerv_answer, chunk_delay=0.05))
    total = len(hnerv_answer('<source id="1">\nTitle: HNeRV').split())
    seen_at_first_sentence = None
    events: list[AskEvent] = []
    for event in answered.ask_events(QUESTION):
        if isinstance(event, SentenceEvent) and seen_at_first_sentence is None:
            seen_at_first_sentence = llm.sent
        events.append(event)
    assert isinstance(events[0], SourcesEvent) and events[0].hits
    assert seen_at_first_sentence is not None and seen_at_first_sentence < total - 5
    sentences = [e.sentence for e in events if isinstance(e, SentenceEvent)]
    answer = _final(events)
    assert [s.text for s in sentences] == [f"{claim} [1]." for claim in CLAIMS]
    assert answer.text == " ".join(s.text for s in sentences) and answer.warnings == []
    assert all(c.supported and c.n == 1 and c.quote in c.paper.abstract for s in sentences for c in s.citations)
    # Every call was bounded, and streamed.
    assert llm.requests[-1]["max_tokens"] == answered.settings.llm_answer_tokens and llm.requests[-1]["stream"]


def test_markers_after_the_full_stop_and_lists_are_kept_apart(answered: Surveyor, llm: ScriptedLLM) -> None:
    def reply(prompt: str) -> str:
        n = source_id(prompt, "HNeRV")
        return f"**Answer:** The corpus has this. [{n}]\n- {CLAIMS[0]}. [{n}]\n- {CLAIMS[1]} [{n}]\n"

    llm.script(Reply(reply))
    answer = answered.ask(QUESTION)
    assert answer.text.split("\n")[1:] == [f"- {CLAIMS[0]} [1].", f"- {CLAIMS[1]} [1]."]
    assert [s.item for s in answer.sentences][1:] == [1, 2]
    assert answer.citations[0].paper.key == "hnerv"


def test_invented_and_misnumbered_citations_never_reach_the_output(answered: Surveyor, llm: ScriptedLLM) -> None:
    def reply(prompt: str) -> str:
        hnerv, sigma = source_id(prompt, "HNeRV"), source_id(prompt, "SIGMA")
        return f"{CLAIMS[0]} [{sigma}][9]. {CLAIMS[1]} [{hnerv}]."

    llm.script(Reply(reply))
    events = list(answered.ask_events(QUESTION))
    answer = _final(events)
    assert "removed citation [9]: not among the 5 retrieved sources" in answer.warnings
    # The first sentence cites only a paper that does not support it: it waits, then is shown flagged.
    sentences = [e.sentence for e in events if isinstance(e, SentenceEvent)]
    assert [s.text for s in sentences] == [f"{CLAIMS[0]} [1].", f"{CLAIMS[1]} [2]."]
    flagged, backed = sentences[0].citations[0], sentences[1].citations[0]
    assert (flagged.paper.key, flagged.supported) == ("sigma", False) and flagged.reason
    assert (backed.paper.key, backed.supported) == ("hnerv", True)


def test_an_answer_with_nothing_supported_shows_nothing_and_abstains(answered: Surveyor, llm: ScriptedLLM) -> None:
    llm.script(Reply(lambda p: f"{CLAIMS[0]} [{source_id(p, 'SIGMA')}]. Videos are fun."))
    events = list(answered.ask_events(QUESTION))
    assert not any(isinstance(e, SentenceEvent) for e in events)
    answer = _final(events)
    assert answer.abstained and answer.citations == [] and answer.sentences == []
    assert any(w.startswith("left out") and "sigma" in w for w in answer.warnings)


def test_a_runaway_model_is_stopped_and_its_stream_closed(answered: Surveyor, llm: ScriptedLLM) -> None:
    def rambling(prompt: str) -> str:
        n = source_id(prompt, "HNeRV")
        return f"{CLAIMS[0]} [{n}]. " + "The video is stored in the weights of the network. " * 200

    llm.script(Reply(rambling, chunk_delay=0.002))
    answer = answered.ask(QUESTION)
    assert answer.text == f"{CLAIMS[0]} [1]." and answer.citations[0].supported
    assert any("repeated itself" in w for w in answer.warnings)
    assert llm.sent < 200  # stopped reading long before the end
    # The server noticed the client leave (so a real one stops generating).
    for _ in range(50):
        if llm.abandoned:
            break
        threading.Event().wait(0.1)
    assert llm.abandoned == 1


def test_the_deadline_ends_a_stalled_stream_with_what_verified(corpus: Surveyor, llm: ScriptedLLM) -> None:
    llm.script(Reply(hnerv_answer, mode="stall"))
    answer = llm_surveyor(corpus.settings.store, llm, llm_deadline=2.0, llm_timeout=20.0).ask(QUESTION)
    assert not answer.abstained and answer.text.startswith(CLAIMS[0])
    assert any("2 s deadline" in w for w in answer.warnings)


@pytest.mark.parametrize("mode", ["cut", "badjson"])
def test_a_broken_stream_keeps_the_verified_part(answered: Surveyor, llm: ScriptedLLM, mode: str) -> None:
    llm.script(Reply(hnerv_answer, mode=mode))  # type: ignore[arg-type]
    answer = answered.ask(QUESTION)
    assert answer.sentences and all(c.supported for c in answer.citations)
    assert any("stream broke" in w for w in answer.warnings), answer.warnings
    assert CLAIMS[2] not in answer.text  # the part after the break never arrived


def test_garbage_instead_of_a_stream_abstains_with_a_reason(answered: Surveyor, llm: ScriptedLLM) -> None:
    llm.script(Reply(hnerv_answer, mode="garbage"))
    answer = answered.ask(QUESTION)
    assert answer.abstained and answer.citations == []
    (warning,) = answer.warnings
    assert warning.startswith("stopped early: the LLM's stream broke (UnicodeDecodeError")


def test_an_endpoint_without_streaming_is_read_whole(answered: Surveyor, llm: ScriptedLLM) -> None:
    llm.script(Reply(hnerv_answer, mode="json"))
    answer = answered.ask(QUESTION)
    assert answer.text == " ".join(f"{c} [1]." for c in CLAIMS) and answer.usage["completion_tokens"] > 0


def test_a_reply_that_never_ends_its_sentence_is_still_verified(answered: Surveyor, llm: ScriptedLLM) -> None:
    llm.script(Reply(lambda p: f"{CLAIMS[0]} [{source_id(p, 'HNeRV')}]"))
    answer = answered.ask(QUESTION)
    assert answer.text == f"{CLAIMS[0]} [1]." and answer.citations[0].supported


def test_usage_is_summed_over_the_calls_of_a_request(answered: Surveyor, llm: ScriptedLLM) -> None:
    llm.script(Reply(hnerv_answer))
    first = answered.ask(QUESTION)
    llm.script("How fast does HNeRV decode?", Reply(hnerv_answer))
    follow_up = answered.ask("what about its speed?", history=[Turn(QUESTION, first)])
    condense, answer = llm.requests
    assert condense["max_tokens"] == answered.settings.llm_condense_tokens and not condense.get("stream")
    assert follow_up.standalone == "How fast does HNeRV decode?"
    words = lambda body: sum(len(str(m["content"]).split()) for m in body["messages"])  # noqa: E731
    assert follow_up.usage["prompt_tokens"] == words(condense) + words(answer)
    assert follow_up.usage["total_tokens"] == follow_up.usage["prompt_tokens"] + follow_up.usage["completion_tokens"]


def test_asks_from_many_threads_reach_the_model_at_once(answered: Surveyor, llm: ScriptedLLM) -> None:
    gate = threading.Event()
    llm.script(Reply(hnerv_answer, gate=gate))
    answers: list[Answer] = []
    threads = [threading.Thread(target=lambda: answers.append(answered.ask(QUESTION))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(100):  # all four wait at the model together: nothing serializes them before it
        if llm.in_flight == 4:
            break
        threading.Event().wait(0.05)
    in_flight = llm.in_flight
    gate.set()
    for thread in threads:
        thread.join()
    assert in_flight == 4 and len(answers) == 4 and all(not a.abstained for a in answers)


def test_a_draft_writes_its_themes_concurrently_within_the_bound(corpus: Surveyor, llm: ScriptedLLM) -> None:
    gate = threading.Event()
    timer = threading.Timer(1.0, gate.set)
    llm.script(Reply(lambda p: "TITLE: Video representations\nThese works store videos [1].", gate=gate))
    timer.start()
    draft = llm_surveyor(corpus.settings.store, llm, llm_concurrency=2).draft("diffusion model acceleration", max_papers=12, sections=3)
    timer.join()
    assert len(llm.requests) == 3 and llm.max_in_flight == 2
    assert all(r["max_tokens"] == corpus.settings.llm_draft_tokens for r in llm.requests)
    assert draft.sections
