"""Chat as a research conversation: follow-ups keep the subject, answers take the shape of the question,
and a conversation is saved, listed, resumed, exported and turned into a draft."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CORPORA
from typer.testing import CliRunner

from surveyor import Settings, Surveyor
from surveyor.answer.chain import Turn, read_offline
from surveyor.answer.extractive import Candidate, compose
from surveyor.answer.followup import Context, carried_subject, changes_subject, refers_back, standalone
from surveyor.chat_eval import evaluate_conversations
from surveyor.records import Answer, AnswerSentence, Chunk, Hit, Paper
from surveyor.text.question import Reading, read_question
from surveyor.cli import app

GROKKING = "what is grokking and why does it happen?"
CNN_PAPER = "Deep Networks Always Grok and Here is Why"


@pytest.fixture()
def chatting(corpus: Surveyor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Surveyor:
    """The shared corpus, with chats kept in this test's own directory."""
    monkeypatch.setenv("SURVEYOR_CHATS_DIR", str(tmp_path / "chats"))
    return Surveyor(Settings(store=corpus.settings.store))


def test_a_definition_question_starts_with_the_definition(corpus: Surveyor) -> None:
    answer = corpus.ask(GROKKING)
    assert re.match(r"Grokking, [^.]+, is a (?:\w+ )?phenomenon", answer.text), answer.text  # two abstracts define it
    assert not re.match(r"^(This|These|Such)\b", answer.sentences[1].text)  # no dangling "this scaling"


def test_a_follow_up_keeps_the_subject_not_the_first_cited_paper(corpus: Surveyor) -> None:
    first = corpus.ask(GROKKING)
    follow_up = corpus.ask("does it also happen for CNNs?", history=[Turn(GROKKING, first)])
    assert "grokking" in follow_up.standalone.lower() and "CNN" in follow_up.standalone
    assert CNN_PAPER in [c.paper.title for c in follow_up.citations if c.supported]
    assert "CIFAR10" in follow_up.text


def test_the_subject_is_carried_three_follow_ups_deep(corpus: Surveyor) -> None:
    history: list[Turn] = []
    for question in ("what is grokking and why does it happen?", "does it also happen for CNNs?",
                     "is weight decay required for it?"):
        answer = corpus.ask(question, history=history)
        history.append(Turn(question, answer))
    assert answer.standalone == "is weight decay required for grokking?", answer.standalone
    assert {c.paper.key for c in answer.citations} <= {"grokkingedge", "deepnetworks", "grokkingtransition"}
    # A turn about something else drops it.
    other = Answer("how is a video stored as a network?", "HNeRV [1] ...", False, standalone="how is a video stored?")
    assert carried_subject([history[0].answer, other]) is None
    assert carried_subject([history[0].answer, history[1].answer]) == "grokking"


def test_a_follow_up_about_one_paper_names_it(corpus: Surveyor) -> None:
    question = "how can a video be stored as a neural network?"
    first = corpus.ask(question)
    follow_up = corpus.ask("what about its speed?", history=[Turn(question, first)])
    assert follow_up.standalone == "what about HNeRV's speed?"
    assert follow_up.citations[0].paper.key == "hnerv" and re.search(r"speed|faster|decod", follow_up.text)


@pytest.mark.parametrize("follow_up", ["how are the independently trained models merged?", "does the same trick work for GNNs?",
                                       "and for speech?", "what about its speed?"])
def test_follow_ups_that_lean_on_the_conversation_are_read_against_it(follow_up: str) -> None:
    assert refers_back(follow_up)


@pytest.mark.parametrize("question", ["how are large models trained across data centers?", "why do networks generalize long after overfitting?"])
def test_questions_that_stand_alone_are_searched_as_they_are(question: str) -> None:
    assert not refers_back(question)


def test_the_before_a_word_of_the_last_answers_paper_leans_on_it() -> None:
    from surveyor.records import Citation, Paper

    paper = Paper("ddm", "ddm", "Decentralized Diffusion Models",
                  "Our method trains a set of expert diffusion models over partitions of the dataset. At inference "
                  "time, the experts ensemble through a lightweight router.")
    last = Answer("can diffusion models be trained without one cluster?", "Yes [1].", False,
                  [Citation(1, paper, "quote", True, 0.9)])
    assert refers_back("How are the separately trained experts combined at inference time?", last)
    assert not refers_back("How are the separately trained experts combined at inference time?")
    # Words every abstract uses ('the performance'), or words the last paper never used, point back at nothing.
    assert not refers_back("Which papers improve the performance of graph networks?", last)
    assert not refers_back("How is the robustness of vision transformers measured?", last)


def test_they_are_the_authors_so_the_subject_is_added_not_substituted() -> None:
    last = Answer("what is multi-task learning?", "Multi-task learning is ...", False, standalone="what is multi-task learning?")
    assert standalone("what do they observe about it?", last) == "what do they observe about multi-task learning?"
    assert standalone("what is their main finding?", last) == "what is their main finding (multi-task learning)?"
    # The subject is already named, but "they" still leans on the conversation: it comes along.
    assert standalone("how do they make multi-task learning cheap?", last) == (
        "how do they make multi-task learning cheap? (following: what is multi-task learning?)")


def test_a_follow_up_asking_for_other_work_like_it_carries_the_question_not_the_name() -> None:
    last = Answer("what is multi-task learning?", "Multi-task learning is ...", False, standalone="what is multi-task learning?")
    assert standalone("does anything like that work for transformers?", last) == (
        "does anything like that work for transformers? (following: what is multi-task learning?)")
    # Other words of difference stay on the subject.
    assert standalone("does it work with different datasets?", last) == "does multi-task learning work with different datasets?"


def test_a_follow_up_naming_a_new_subject_starts_fresh(corpus: Surveyor) -> None:
    question = "how can a video be stored as a neural network?"
    first = corpus.ask(question)
    switch = "How can caching speed up diffusion model inference?"
    answer = corpus.ask(switch, history=[Turn(question, first)])
    assert answer.standalone == switch and "hnerv" not in {c.paper.key for c in answer.citations}
    # Saying so starts fresh even where the question would otherwise lean back ('the scheme').
    said = "Another question: how does the scheme cache features to speed up diffusion model inference?"
    answer = corpus.ask(said, history=[Turn(question, first)])
    assert answer.standalone == said.removeprefix("Another question: "), answer.standalone
    assert "hnerv" not in {c.paper.key for c in answer.citations}
    switched = "Switching topics, how does the scheme cache features to speed up diffusion model inference?"
    answer = corpus.ask(switched, history=[Turn(question, first)])
    assert "hnerv" not in {c.paper.key for c in answer.sources}, [h.paper.key for h in answer.sources]


def test_a_follow_up_to_a_question_the_corpus_could_not_answer_keeps_its_subject() -> None:
    asked = "Has anyone built a benchmark for compressing intermediate features of split models?"
    unanswered = Answer(asked, "The corpus does not cover this question.", True, standalone=asked)
    answered = Answer("what is multi-task learning?", "Multi-task learning is ...", False,
                      standalone="what is multi-task learning?")
    history = [Turn(answered.question, answered), Turn(asked, unanswered)]
    assert read_offline("What's in their dataset?", history) == f"What's in their dataset? (following: {asked})"
    assert read_offline("How do graph networks scale?", history) == "How do graph networks scale?"
    assert changes_subject("Unrelated: which paper trains diffusion experts on isolated clusters?")
    assert changes_subject("By the way, on a different topic: which proof uses ridgelet analysis?")
    assert changes_subject("Totally different question: is there a review of diffusion models copying data?")
    assert changes_subject("Okay, something else entirely: which method learns prompt distributions?")
    assert not changes_subject("Different results: are there any on CIFAR?")
    assert not changes_subject("Unrelated work is cited there; which paper is it?")


def test_a_paper_is_named_once_then_referred_to(corpus: Surveyor) -> None:
    answer = corpus.ask(GROKKING)
    for key in {c.paper.key for c in answer.citations}:
        n = next(c.n for c in answer.citations if c.paper.key == key)
        names = re.findall(rf"\b(One study|Another study|A further study|The same study) \[{n}\]", answer.text)
        assert names.count("One study") + names.count("Another study") + names.count("A further study") <= 1


def test_chat_is_saved_listed_exported_and_drafted(chatting: Surveyor, tmp_path: Path) -> None:
    runner = CliRunner()
    store = chatting.settings.store
    transcript, draft = tmp_path / "chat.md", tmp_path / "draft.md"
    script = f"{GROKKING}\ndoes it also happen for CNNs?\n/papers\n/save {transcript}\n/draft {draft}\n/exit\n"
    result = runner.invoke(app, ["chat", "--store", store], input=script)
    assert result.exit_code == 0, result.output
    assert re.search(r"Grokking, [^.]+, is a", result.output)
    listed = runner.invoke(app, ["chats", "--store", store, "--json"])
    (saved,) = json.loads(listed.output)["chats"]
    assert saved["turns"] == 2 and saved["first_question"] == GROKKING
    # The transcript numbers citations once for the whole chat and ends with that reference list.
    text = transcript.read_text()
    references = re.findall(r"^(\d+)\. (.+) \[(\w+)\]$", text, re.M)
    assert references and [int(n) for n, _, _ in references] == list(range(1, len(references) + 1))
    assert {int(n) for n in re.findall(r"\[(\d+)\]", text.split("## References")[0])} == set(range(1, len(references) + 1))
    assert CNN_PAPER in text
    # The draft is made of the papers the chat cited, on its subject.
    drafted = draft.read_text()
    assert drafted.count("\n") > 5 and all(title in drafted for _, title, _ in references[:2])


def test_a_saved_chat_resumes_with_its_history(chatting: Surveyor) -> None:
    runner = CliRunner()
    store = chatting.settings.store
    assert runner.invoke(app, ["chat", "--store", store], input=f"{GROKKING}\n").exit_code == 0
    result = runner.invoke(app, ["chat", "--store", store, "--resume", "last", "--json"],
                           input="does it also happen for CNNs?\n")
    (line,) = [json.loads(x) for x in result.output.splitlines() if x.startswith("{")]
    assert "grokking" in line["standalone"].lower()
    (saved,) = json.loads(runner.invoke(app, ["chats", "--store", store, "--json"]).output)["chats"]
    assert saved["turns"] == 2


def test_chat_json_reads_questions_and_writes_one_object_per_turn(chatting: Surveyor) -> None:
    result = CliRunner().invoke(app, ["chat", "--json", "--store", chatting.settings.store],
                                input=f"{GROKKING}\n\ndoes it also happen for CNNs?\n")
    lines = [json.loads(x) for x in result.output.splitlines()]
    assert [x["question"] for x in lines] == [GROKKING, "does it also happen for CNNs?"]
    assert lines[1]["standalone"] != lines[1]["question"] and lines[0]["chat"] == lines[1]["chat"]
    assert all(c["supported"] for x in lines for c in x["citations"])


def test_resume_without_an_id_takes_the_last_chat(chatting: Surveyor) -> None:
    """`surveyor chat --resume` (no id) from a shell: the last chat, not an error."""
    env = os.environ | {"SURVEYOR_STORE": chatting.settings.store}
    first = subprocess.run([sys.executable, "-m", "surveyor", "chat", "--json"], input=f"{GROKKING}\n",
                           capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stderr
    again = subprocess.run([sys.executable, "-m", "surveyor", "chat", "--resume", "--json"],
                           input="does it also happen for CNNs?\n", capture_output=True, text=True, env=env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["chat"] == json.loads(first.stdout)["chat"]


def test_resuming_an_unknown_chat_is_one_clear_error(chatting: Surveyor) -> None:
    result = CliRunner().invoke(app, ["chat", "--store", chatting.settings.store, "--resume", "20990101-000000-beef"])
    assert result.exit_code == 1 and "no chat '20990101-000000-beef'" in result.output


def test_a_server_store_keeps_chats_in_the_user_data_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    chats = Surveyor(Settings(store="http://chroma.example:8000")).chats
    assert chats.directory.is_relative_to(tmp_path / "data")


def test_the_conversation_file_scores_follow_ups(corpus: Surveyor) -> None:
    """corpora/conversations.jsonl: 43 two- and three-turn conversations; the last turn of at least 80 %
    is answered from the paper that answers it (measured when written: 35/43)."""
    report = evaluate_conversations(corpus, CORPORA / "conversations.jsonl")
    assert len(report.conversations) >= 20
    assert report.hits >= 0.8 * len(report.conversations), "\n".join(report.lines())


def test_a_follow_up_that_finds_nothing_alone_is_searched_with_the_last_question() -> None:
    from types import SimpleNamespace

    from surveyor.answer.chain import AnswerChain, ExtractiveAnswerer, Request, Retrieved
    from surveyor.answer.llm import Budget, Deadline

    paper = SimpleNamespace(paper_id="p1")
    searched: list[str] = []

    def search(query: str, k: int) -> list[SimpleNamespace]:
        searched.append(query)
        return [SimpleNamespace(paper=paper, score=1.0)] if "planning" in query else []

    retriever = SimpleNamespace(search=search, hits_of=lambda query, paper_ids: [])
    chain = AnswerChain(retriever, ExtractiveAnswerer(retriever), checker=None, deadline=10.0)  # type: ignore[arg-type]
    last = Answer("can one diffusion model do planning?", "Yes [1].", False, standalone="can one diffusion model do planning?")
    request = Request("on how many tasks does it win?", history=[Turn(last.question, last)])
    step = chain.retrieve(Retrieved(request, "on how many tasks does MTDiff win?", [], Budget(Deadline(10.0))))
    assert [h.paper.paper_id for h in step.hits] == ["p1"]
    assert searched == ["on how many tasks does MTDiff win?", "on how many tasks does MTDiff win? can one diffusion model do planning?"]


def _hit(paper_id: str, title: str) -> Hit:
    paper = Paper(paper_id, paper_id, title, "An abstract.")
    return Hit(paper, 1.0, 0.5, Chunk(f"{paper_id}:0", paper_id, 0, "An abstract.", 0, 0), "")


def test_a_follow_up_says_what_the_conversation_has_not_shown_yet() -> None:
    hits = [_hit("p1", "A Paper")]
    shown = ["The model is trained on partitions of the data.", "Each expert sees one cluster of images.",
             "Training needs no fast interconnect between clusters."]
    new = "At inference time, the experts are combined through a lightweight router."
    scored = [Candidate(1, i, text, False, 0.40 - 0.02 * i, False, 0.30, 0.6) for i, text in enumerate(shown)]
    scored.append(Candidate(1, 3, new, False, 0.33, False, 0.10, 0.6))
    assert "router" not in compose(Reading("general"), hits, scored, set())  # three better sentences fill the room
    follow_up = compose(Reading("general"), hits, scored, set(), Context(said=tuple(shown)))
    assert "router" in follow_up, follow_up
    # Repeating is better than saying nothing: a follow-up whose only answer was shown before gets it again.
    assert "partitions" in compose(Reading("general"), hits, scored[:1], set(), Context(said=tuple(shown)))


def test_a_follow_up_stays_on_the_paper_it_leans_on_when_that_answers_nearly_as_well() -> None:
    hits = [_hit("other", "Another Paper"), _hit("subject", "The Conversation's Paper")]
    scored = [Candidate(1, 0, "Separate models can be merged into a single model in parameter space.", False, 0.40,
                        False, 0.30, 0.59),
              Candidate(2, 0, "At inference time, the experts ensemble through a lightweight router.", False, 0.31,
                        False, 0.15, 0.57)]
    assert compose(Reading("general"), hits, scored, set()).startswith("Separate models")
    leaning = compose(Reading("general"), hits, scored, set(), Context(subject=frozenset({"subject"})))
    assert leaning.startswith("At inference time"), leaning
    # A paper the question is much closer to wins over the conversation's paper.
    far = [scored[0], replace(scored[1], paper_similarity=0.40)]
    assert compose(Reading("general"), hits, far, set(), Context(subject=frozenset({"subject"}))).startswith("Separate")


@pytest.mark.parametrize(("turns", "paper", "fact"), [
    # 'the parameter blocks' finds nothing alone: in the conversation it is the paper just discussed.
    (["I'm interested in task arithmetic. Has anyone combined task vectors at a finer granularity than the whole model?",
      "How exactly are the parameter blocks combined?"],
     "knowledgecomposition", "linearly combines parameter blocks with different learned coefficients"),
    # The answer follows on from a sentence the conversation already showed ('This leads to ... faster').
    (["Is there a way to adapt a network to distribution shift at test time using some feedback signal, instead of "
      "anticipating the shift during training?", "How is the adaptation itself implemented?",
      "And how does its speed compare with the baselines?"],
     "rapidnetworkadaptation", "orders of magnitude faster than the baselines"),
])
def test_a_follow_up_answers_from_the_paper_the_conversation_is_about(
    corpus: Surveyor, turns: list[str], paper: str, fact: str
) -> None:
    history: list[Turn] = []
    for question in turns:
        history.append(Turn(question, corpus.ask(question, history=list(history))))
    last = history[-1].answer
    assert paper in [c.paper.key for c in last.citations if c.supported], last.text
    assert fact in last.text, last.text


def test_a_sentence_leaning_on_one_the_conversation_showed_stands_in_a_follow_up() -> None:
    hits = [_hit("p1", "A Paper")]
    before = "We show that this loop can be implemented with a learned amortized optimizer."
    leaning = "This leads to an adaptation method that is orders of magnitude faster than the baselines."
    scored = [Candidate(1, 2, before, False, 0.26, False, 0.06, 0.54), Candidate(1, 3, leaning, False, 0.54, False, 0.5, 0.54)]
    scored[0] = replace(scored[0], text="Because " + before[0].lower() + before[1:])  # it leans on what came before too
    assert "orders of magnitude" not in compose(Reading("general"), hits, scored, set())
    shown = compose(Reading("general"), hits, scored, set(), Context(said=(scored[0].text,)))
    assert "orders of magnitude faster" in shown, shown


def test_the_papers_a_follow_up_leans_on_are_among_its_sources_even_when_its_search_misses_them() -> None:
    from types import SimpleNamespace

    from surveyor.answer.chain import AnswerChain, ExtractiveAnswerer, Request, Retrieved
    from surveyor.answer.llm import Budget, Deadline
    from surveyor.records import Citation

    found = [_hit(f"other{i}", f"Other {i}") for i in range(8)]
    subject = _hit("ddae", "DDAE++")
    retriever = SimpleNamespace(search=lambda query, k: found[:k],
                                hits_of=lambda query, ids: [subject] if ids == ["ddae"] else [])
    chain = AnswerChain(retriever, ExtractiveAnswerer(retriever), checker=None, deadline=10.0)  # type: ignore[arg-type]
    last = Answer("can its representations improve generation?", "Yes [1].", False,
                  [Citation(1, subject.paper, "quote", True, 0.9)], standalone="can its representations improve generation?")
    request = Request("how much extra compute does it cost?", history=[Turn(last.question, last)])
    step = chain.retrieve(Retrieved(request, "how much extra compute does DDAE++ cost?", [], Budget(Deadline(10.0))))
    assert [h.paper.paper_id for h in step.hits] == ["ddae", "other0", "other1", "other2", "other3"]
    assert step.context.subject == {"ddae"}
    # A paper one of whose sentences was shown unsupported still answered where another of them was supported.
    mixed = replace(last, citations=[Citation(1, subject.paper, "quote", False, 0.4, "background sentence")],
                    sentences=[AnswerSentence("Prior work [1].", [Citation(1, subject.paper, "q", False, 0.4)]),
                               AnswerSentence("It does X [1].", [Citation(1, subject.paper, "q", True, 0.9)])])
    request = Request("how much extra compute does it cost?", history=[Turn(mixed.question, mixed)])
    step = chain.retrieve(Retrieved(request, "how much extra compute does DDAE++ cost?", [], Budget(Deadline(10.0))))
    assert step.context.subject == {"ddae"}


def test_a_question_stating_a_number_is_answered_by_the_sentence_stating_it() -> None:
    hits = [_hit("p1", "Time-Shift Sampler"), _hit("p2", "Skip-Tuning")]
    scored = [Candidate(1, 8, "Integrating the sampler yields a FID=3.88 on CIFAR-10 with 10 sampling steps.", False,
                        0.47, True, 0.36, 0.63),
              Candidate(2, 6, "The improvement persists and can even surpass EDM-2 with only 39 NFEs (1.57).", False,
                        0.45, True, 0.5, 0.54)]
    reading = read_question("What FID does it reach with 39 NFEs?")
    assert reading.given == ("39",)
    assert compose(reading, hits, scored, set()).startswith("The improvement persists"), compose(reading, hits, scored, set())
    assert compose(read_question("What FID does it reach?"), hits, scored, set()).startswith("Integrating")
    assert read_question("How does ResNet-50 fare in 2023?").given == ()


def test_it_after_a_thing_pointed_back_at_is_that_thing_not_the_subject() -> None:
    last = Answer("what is sheaf diffusion?", "Sheaf diffusion is ...", False, standalone="what is sheaf diffusion?")
    assert standalone("Do they need to hand-specify that structure, or can it be learned?", last) == (
        "Do they need to hand-specify that structure, or can it be learned (sheaf diffusion)?")
    assert standalone("can it be learned from data?", last) == "can sheaf diffusion be learned from data?"


def test_a_new_subject_after_unrelated_but_and_a_contracted_question() -> None:
    last = Answer("what is multi-task learning?", "Multi-task learning is ...", False, standalone="what is multi-task learning?")
    assert standalone("Unrelated, but is there a dataset for feature coding?", last) == (
        "is there a dataset for feature coding?")
    assert read_question("OK so what's their fix, concretely?").names_asked("We propose a fix for the diversity loss.")


def test_a_follow_up_whose_own_words_reach_no_paper_is_read_with_the_question_before(corpus: Surveyor) -> None:
    history: list[Turn] = []
    for question in ("Distilled few-step diffusion models give much less varied samples than the original model. "
                     "Has anyone studied why, and how to get the variety back?",
                     "Which part of the denoising trajectory did they find actually drives diversity?"):
        history.append(Turn(question, corpus.ask(question, history=history)))
    answer = corpus.ask("OK so what's their fix, concretely?", history=history)
    assert not answer.abstained and answer.citations[0].paper.key == "distillingdiversity", answer.text
