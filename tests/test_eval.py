"""`surveyor eval` (surveyor.evaluate): exact metrics on a hand-labelled tiny store, one-line errors for bad
question files, and the shipped question set (corpora/questions.jsonl) on the seed corpora."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPORA, write_jsonl
from scripted_llm import Reply, scripted_llm, source_id

from surveyor import Settings, Surveyor, SurveyorError
from surveyor.evaluate import (
    EvalReport,
    dangling_citations,
    draft_citation_precision,
    evaluate,
    holds,
    read_questions,
    theme_cohesion,
)
from surveyor.records import Draft, DraftParagraph, DraftSection, Paper

WAGGLENET = "WaggleNet: Decoding Honeybee Waggle Dances from Hive Video"
MELT = "Forecasting Glacier Melt with Gradient-Boosted Trees"
FLOW = "Measuring Glacier Flow Speed with Satellite Radar Interferometry"
PAPERS: list[dict[str, object]] = [
    {
        "title": WAGGLENET,
        "abstract": "Honeybees tell their nestmates where food is through the waggle dance. We propose WaggleNet, a "
        "recurrent network that decodes the direction and distance of a food source from video of the dance floor "
        "inside the hive. On 1,200 annotated dances, WaggleNet recovers the direction of the food source within 7 "
        "degrees of error. Foragers guided by the decoded dances found feeders as often as foragers that followed "
        "the dancers themselves.",
    },
    {
        "title": MELT,
        "abstract": "Mountain glaciers lose mass every summer, and forecasting the melt matters for the water supply "
        "downstream. We present a gradient-boosted tree model that forecasts daily glacier melt from air "
        "temperature, solar radiation and snow cover. On 40 Alpine glaciers it lowers the forecast error by 18% "
        "compared with the degree-day model. The forecasts are most accurate in July and August, when most of the "
        "melt happens.",
    },
    {
        "title": FLOW,
        "abstract": "Glaciers flow downhill under their own weight, and their speed tells how fast ice reaches the "
        "sea. We measure the surface flow speed of glaciers from pairs of satellite radar images with "
        "interferometry. The method maps flow speeds of up to 12 meters per day across Greenland outlet glaciers. "
        "Flow speed rises in summer, when meltwater lubricates the glacier bed.",
    },
    {
        "title": "Pricing Curbside Parking with Sealed-Bid Auctions",
        "abstract": "Cities set parking prices by hand, which leaves some streets full and others empty. We design a "
        "sealed-bid auction that prices curbside parking spaces block by block every hour. In a six-month trial in "
        "two districts the auction kept occupancy near 85% on every block. Drivers spent 30% less time searching "
        "for a space.",
    },
]
# The parking paper is a distractor: no question below is about it, and it is never retrieved.
QUESTIONS: list[dict[str, object]] = [
    # Line 1. Only WaggleNet is about bees: it is the one hit (rank 1, RR 1) and the one citation. "What accuracy"
    # is a fact question, so the extractive answer takes the sentence with the number ("within 7 degrees");
    # nothing in the corpus mentions GPS: 1 of the 2 strings is found.
    {
        "q": "What accuracy does WaggleNet reach when decoding the direction of a waggle dance?",
        "expect": [WAGGLENET],
        "contains": ["7 degrees", "GPS"],
    },
    # Line 2. A hard label, named by lower-cased title: the question's words ("melt", "forecast") are the melt
    # paper's, which ranks 1st; the expected radar paper (summer meltwater speeds up the flow) ranks 2nd
    # (RR 1/2), and the answer quotes only the melt paper: no citation hit.
    {"q": "How is the melt of glaciers forecast in summer?", "expect": [FLOW.lower()]},
    # Line 3. Out of scope and nothing clears the relevance floor: abstains, correctly.
    {"q": "Who won the 2018 FIFA World Cup?", "out_of_scope": True},
    # Line 4. Mislabelled on purpose: the corpus does cover it, so the answer is an abstention error.
    {"q": "Do honeybees dance to show their nestmates where food is?", "out_of_scope": True},
]
# Covered with a rule, then not covered (a plain line).
TOPICS = (
    '# covered, then not covered\n\n{"topic": "glacier melt and flow", "on_topic": "FORECAST"}\n  \n'
    "sourdough bread baking\n"
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Surveyor]:
    root = tmp_path_factory.mktemp("eval")
    surveyor = Surveyor(Settings(store=str(root / "store")))
    assert surveyor.ingest([write_jsonl(root / "papers.jsonl", PAPERS)]).errors == []
    yield surveyor
    surveyor.store.close()


@pytest.fixture(scope="module")
def report(tiny: Surveyor, tmp_path_factory: pytest.TempPathFactory) -> EvalReport:
    root = tmp_path_factory.mktemp("eval-input")
    topics = root / "topics.txt"
    topics.write_text(TOPICS)
    return evaluate(tiny, write_jsonl(root / "questions.jsonl", QUESTIONS), topics)


def test_retrieval_metrics_by_hand(report: EvalReport) -> None:
    assert [r.rank for r in report.questions] == [1, 2, None, None]
    s = report.summary
    assert s.with_expect == 2  # lines 1 and 2
    assert s.hit_at_1 == 0.5  # (1 + 0) / 2
    assert s.hit_at_5 == 1.0  # (1 + 1) / 2
    assert s.mrr == 0.75  # (1/1 + 1/2) / 2
    assert s.citation_hit == 0.5  # line 1 cites WaggleNet, line 2 does not cite the radar paper


def test_answer_metrics_by_hand(report: EvalReport) -> None:
    results = report.questions
    assert [r.cited for r in results] == [["wagglenet"], ["forecastingglacier"], [], ["wagglenet"]]
    assert [r.abstained for r in results] == [False, False, True, False]
    s = report.summary
    # The extractive answerer quotes abstract sentences, one marker each, and the verifier supports every
    # quote: in each of the 3 answers (lines 1, 2, 4) every citation is supported and every sentence cited.
    assert s.answered == 3
    assert s.citation_precision == 1.0
    assert s.citation_recall == 1.0
    assert [r.contains_rate for r in results] == [0.5, None, None, None]  # "7 degrees" found, "GPS" not
    assert s.contains_rate == 0.5 and s.with_contains == 1
    assert [r.abstention_correct for r in results] == [True, True, True, False]
    assert s.abstention_accuracy == 0.75  # 3 of 4
    # The percentiles are those of the four measured asks (median; linear between ranks at 95 %).
    seconds = sorted(r.ask_seconds for r in results)
    assert s.ask_p50 == pytest.approx((seconds[1] + seconds[2]) / 2)
    assert s.ask_p95 == pytest.approx(seconds[2] + 0.85 * (seconds[3] - seconds[2]))
    assert report.lines()[1:4] == [
        "retrieval: hit@1 0.50, hit@5 1.00, MRR 0.75",
        "answers: citation hit 0.50, citation precision 1.00, citation recall 1.00, contains 0.50",
        "abstention accuracy: 0.75",
    ]


def test_topics_by_hand(report: EvalReport) -> None:
    covered, uncovered = report.topics
    # Both glacier papers, and only they, clear the relevance floor for the topic; two papers make one theme,
    # each cited once from a verbatim contribution sentence; with one theme there is no pair across themes.
    assert covered.topic == "glacier melt and flow" and covered.covered
    assert (covered.sections, covered.papers_cited) == (1, 2)
    assert covered.citation_precision == 1.0 and covered.dangling_citations == 0
    assert covered.theme_cohesion is None
    assert (uncovered.topic, uncovered.covered, uncovered.papers_cited) == ("sourdough bread baking", False, 0)
    assert report.topic_summary is not None
    assert (report.topic_summary.topics, report.topic_summary.covered) == (2, 1)
    assert "'sourdough bread baking': not covered by the corpus" in "\n".join(report.lines())
    json.dumps(report.as_dict())


def test_on_topic_share_by_hand(report: EvalReport) -> None:
    covered, uncovered = report.topics
    # The rule "FORECAST" (case-insensitive) matches the melt paper's title and abstract; the radar paper never
    # says "forecast": 1 of the 2 cited papers is on the topic, and the radar paper is listed as off it.
    assert covered.on_topic_share == 0.5 and covered.off_topic == ["measuringglacier"]
    assert uncovered.on_topic_share is None and uncovered.off_topic == []
    assert report.topic_summary is not None and report.topic_summary.on_topic_share == 0.5
    lines = report.lines()
    assert lines[5].endswith("dangling citations, on-topic 0.50")
    assert lines[6].endswith("0 dangling, on-topic 0.50 (off topic: measuringglacier)")
    data = report.as_dict()
    assert data["topics"][0]["on_topic_share"] == 0.5 and data["topic_summary"]["on_topic_share"] == 0.5


BAD_TOPIC_LINES = [
    (
        '{"topic": "glaciers", "on_topic": "(melt"}',
        '"on_topic" is not a valid regular expression (missing ), unterminated subpattern at position 0)',
    ),
    ('{"topic": "glaciers", "on_topic": ""}', '"on_topic" must be a non-empty string (a regular expression)'),
    ('{"topic": "glaciers", "rule": "melt"}', 'unknown field "rule" (the fields are topic, on_topic)'),
    ('{"on_topic": "melt"}', '"topic" must be a string'),
    ('{"topic": "glaciers", "on_topic": "melt"', "not valid JSON (Expecting ',' delimiter, column 41)"),
]


@pytest.mark.parametrize(("content", "message"), BAD_TOPIC_LINES)
def test_bad_topic_line_is_one_line_naming_file_and_line(
    tiny: Surveyor, tmp_path: Path, content: str, message: str
) -> None:
    questions = write_jsonl(tmp_path / "q.jsonl", [{"q": "How fast do glaciers flow?"}])
    topics = tmp_path / "topics.txt"
    topics.write_text(f"# rules\nglacier melt\n{content}\n")
    with pytest.raises(SurveyorError) as error:
        evaluate(tiny, questions, topics)
    assert str(error.value) == f"{topics}:3: {message}"




def test_precision_and_recall_of_an_llm_answer_by_hand(tiny: Surveyor, tmp_path: Path) -> None:
    """Sentence 1 quotes the radar paper (supported); sentence 2 pins an unrelated claim on the melt paper
    (unsupported, shown flagged); sentence 3 cites nothing, so it is left out of the answer (reported).
    Precision: 1 supported of 2 citations = 1/2. Recall: 1 of the 2 sentences shown carries a supported
    citation = 1/2. Retrieval is the same as for the extractive answerer."""

    def reply(prompt: str) -> str:
        flow, melt = source_id(prompt, FLOW), source_id(prompt, MELT)
        return (
            f"Glacier flow speed is measured from pairs of satellite radar images [{flow}]. "
            f"Sourdough bread rises best in a warm kitchen [{melt}]. More field campaigns are planned."
        )

    questions = write_jsonl(
        tmp_path / "q.jsonl", [{"q": "What happens to glaciers in summer?", "expect": ["measuringglacier"]}]
    )
    with scripted_llm() as llm:
        llm.script(Reply(reply))
        settings = Settings(
            store=tiny.settings.store, llm="openai", model="scripted", base_url=llm.url, llm_retries=0, llm_timeout=5.0
        )
        (result,) = evaluate(Surveyor(settings), questions).questions
    assert result.cited == ["measuringglacier", "forecastingglacier"]
    assert result.citation_precision == 0.5
    assert result.citation_recall == 0.5
    assert (result.rank, result.reciprocal_rank, result.citation_hit) == (2, 0.5, True)


def test_theme_cohesion_by_hand() -> None:
    # Same theme: a.b = 0.6. Across themes: a.c = 0 and b.c = 0.8, mean 0.4. Cohesion 0.6 - 0.4 = 0.2.
    vectors = {"a": np.array([1.0, 0.0]), "b": np.array([0.6, 0.8]), "c": np.array([0.0, 1.0])}
    assert theme_cohesion([["a", "b"], ["c"]], vectors) == pytest.approx(0.2)
    assert theme_cohesion([["a", "b", "c"]], vectors) is None  # no pair across themes
    assert theme_cohesion([["a"], ["b"], ["c"]], vectors) is None  # no pair within a theme


def test_dangling_citations_and_draft_precision_by_hand() -> None:
    papers = [Paper(f"p{i}", f"k{i}", f"Title {i}", "Abstract.") for i in (1, 2)]
    # [1] twice and [1-3] = 1, 2, 3: reference 2 is cited, [3] names no reference.
    text = "One study [1] does this. It also does that [1]. Both do more [1-3]."
    draft = Draft(
        "t", [DraftSection("s", [DraftParagraph(text, ["p1", "p2"])])], papers, ["removed citation of k9: ..."]
    )
    assert dangling_citations(draft) == 1
    # Kept: 1, 1, 1, 2 (4 citations; [3] is not a kept one). Removed: 1. Precision 4 / 5.
    assert draft_citation_precision(draft) == 0.8
    draft.sections[0].paragraphs[0].text = "Only [2]."
    assert dangling_citations(draft) == 1  # reference 1 is never cited


def test_an_expected_item_matches_by_id_key_or_title(tiny: Surveyor, tmp_path: Path) -> None:
    flow = next(p for p in tiny.papers() if p.title == FLOW)
    for item in (flow.paper_id, flow.key, FLOW.upper()):
        path = write_jsonl(tmp_path / "q.jsonl", [{"q": "How fast do glaciers flow?", "expect": [item]}])
        assert evaluate(tiny, path).questions[0].rank == 1


BAD_LINES = [
    ('{"q": "ok"}\nnot json', 2, "not valid JSON (Expecting value, column 1)"),
    (
        '{"q": "ok"}\n\n{"q": "x", "expect": "Measuring Glacier Flow"}',
        3,
        '"expect" must be a list of non-empty strings',
    ),
    ('{"q": "x", "contains": ["12 meters", 12]}', 1, '"contains" must be a list of non-empty strings'),
    ('{"expect": []}', 1, '"q" is missing'),
    ('{"q": 7}', 1, '"q" must be a string'),
    ('{"q": "  "}', 1, '"q": the query is empty'),
    ('{"q": "x", "out_of_scope": "yes"}', 1, '"out_of_scope" must be true or false'),
    ('{"q": "x", "expects": []}', 1, 'unknown field "expects" (the fields are q, expect, contains, out_of_scope)'),
    ('["x"]', 1, 'expected a JSON object like {"q": "..."}'),
    ('{"q": "x", "expect": ["Glacier Flow"]}', 1, "\"expect\" names no paper in the store: 'Glacier Flow'"),
    (
        f'{{"q": "x", "expect": ["{FLOW}"], "out_of_scope": true}}',
        1,
        '"expect" must be empty when "out_of_scope" is true',
    ),
]


@pytest.mark.parametrize(("content", "line", "message"), BAD_LINES)
def test_bad_question_line_is_one_line_naming_file_and_line(
    tiny: Surveyor, tmp_path: Path, content: str, line: int, message: str
) -> None:
    path = tmp_path / "questions.jsonl"
    path.write_text(content + "\n")
    with pytest.raises(SurveyorError) as error:
        evaluate(tiny, path)
    assert str(error.value) == f"{path}:{line}: {message}"


def test_empty_or_missing_files_are_clear_errors(tiny: Surveyor, tmp_path: Path) -> None:
    empty = tmp_path / "questions.jsonl"
    empty.write_text("\n  \n")
    with pytest.raises(SurveyorError, match=re.escape(f"{empty}: no questions; write one JSON object per line")):
        read_questions(empty)
    questions = write_jsonl(tmp_path / "ok.jsonl", [{"q": "How fast do glaciers flow?"}])
    topics = tmp_path / "topics.txt"
    topics.write_text("# only a comment\n\n")
    with pytest.raises(SurveyorError, match=re.escape(f"{topics}: no topics; write one topic per line")):
        evaluate(tiny, questions, topics)
    with pytest.raises(SurveyorError, match=re.escape(f"{tmp_path / 'nope.jsonl'}: cannot read")):
        evaluate(tiny, tmp_path / "nope.jsonl")


# Topics the seed corpora cover. Not a file under corpora/: conftest ingests every corpora/*.txt as a seed file.


@pytest.fixture(scope="module")
def seed_report(corpus: Surveyor) -> EvalReport:
    return evaluate(corpus, CORPORA / "questions.jsonl", CORPORA / "topics.txt")


def test_shipped_question_set_on_the_seed_corpora(seed_report: EvalReport) -> None:
    results, s = seed_report.questions, seed_report.summary
    assert s.questions >= 30 and sum(r.out_of_scope for r in results) >= 5
    assert s.with_expect >= 25 and s.with_contains >= 10
    for name in (
        "hit_at_1",
        "hit_at_5",
        "mrr",
        "citation_hit",
        "citation_precision",
        "citation_recall",
        "contains_rate",
        "abstention_accuracy",
    ):
        value = getattr(s, name)
        assert value is not None and 0.0 <= value <= 1.0, name
    assert s.hit_at_5 is not None and s.hit_at_5 > 0.7
    assert s.hit_at_1 is not None and s.mrr is not None and s.hit_at_1 <= s.mrr <= s.hit_at_5


def test_shipped_topics_on_the_seed_corpora(seed_report: EvalReport) -> None:
    assert seed_report.topic_summary is not None
    assert (seed_report.topic_summary.topics, seed_report.topic_summary.covered) == (5, 5)
    assert seed_report.topic_summary.dangling_citations == 0
    for topic in seed_report.topics:
        assert topic.papers_cited > 0 and topic.citation_precision is not None
        # every shipped topic has a rule; its share counts exactly the cited papers it does not list as off topic
        assert topic.on_topic_share == pytest.approx(1 - len(topic.off_topic) / topic.papers_cited)
        assert 0.0 < topic.on_topic_share <= 1.0
    # drafts keep to the topic's angle now, so some topics cite nothing off topic; the report names the rest
    assert any(topic.off_topic for topic in seed_report.topics)
    printed = "\n".join(seed_report.lines())
    for topic in seed_report.topics:
        more = f" and {len(topic.off_topic) - 5} more)" if len(topic.off_topic) > 5 else ")"
        listed = f"(off topic: {', '.join(topic.off_topic[:5])}{more}"
        assert (listed in printed) == bool(topic.off_topic)
        assert 0.0 <= topic.citation_precision <= 1.0
        # (Cohesion compares themes: a draft of one theme has none.)
        assert (topic.theme_cohesion is None if topic.sections < 2 else -2.0 <= topic.theme_cohesion <= 2.0)


@pytest.mark.parametrize(("answer", "string", "held"), [
    ("One study [1] applies channel-wise interpolation to keep the feature map aligned.",
     "we apply channel-wise interpolation to keep the feature map", True),  # the third-person rewriting
    ("The authors use Tribler, their peer-to-peer file-sharing application [2].",
     "we use Tribler, our peer-to-peer file-sharing application", True),
    ("It surpasses SOTA on four of the five datasets.", "surpasses SOTA on four of the five", True),
    ("The model is not faster than the baseline.", "the model is faster", False),  # a word in between
    ("It surpasses SOTA on 4 of 5 datasets.", "surpasses SOTA on four of the five", False),
])
def test_an_expected_string_is_held_as_the_answer_rewrites_an_abstract(answer: str, string: str, held: bool) -> None:
    assert holds(answer, string) is held
