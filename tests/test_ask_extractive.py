"""End-to-end `Surveyor.ask` with the default (offline, extractive) answerer on the seed corpora.

Every question below was written by reading the abstracts in corpora/*.txt. Each answer must cite the
paper(s) that answer it, and every answer must hold the citation contract: not abstained, no warnings,
every citation supported, cited papers are among the sources retrieved for the request, quotes are
verbatim abstract sentences, and `[n]` markers run 1..N in order of first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from surveyor import Surveyor
from surveyor.answer.chain import Turn
from surveyor.answer.followup import asked_part
from surveyor.answer.evidence import _coverage, names_a_paper, states_number
from surveyor.answer.extractive import Candidate, compose
from surveyor.records import Answer, Chunk, Hit, Paper
from surveyor.text.prose import Names, third_person
from surveyor.text.question import Reading, read_question
from surveyor.text.sentences import split_sentences
from surveyor.text.tokens import same_term, tokenize

HNERV = "HNeRV: A Hybrid Neural Representation for Videos"


@dataclass(frozen=True)
class Case:
    question: str
    titles: tuple[str, ...]  # papers that answer the question
    min_cited: int  # how many of `titles` must be cited (all of them for single-paper questions)
    substrings: tuple[str, ...] = ()  # facts that must appear verbatim in the answer text


def one(question: str, title: str, *facts: str) -> Case:
    return Case(question, (title,), 1, facts)


def several(question: str, *titles: str, at_least: int = 2) -> Case:
    return Case(question, titles, at_least)


# Paraphrased questions: they describe what a paper does without quoting its title.
PARAPHRASED = {
    "video-as-network": one("how can a video be stored as a neural network?", HNERV),
    "ternary-gradients": one(
        "Can gradients be quantized to only three levels to cut communication in data-parallel training?",
        "TernGrad: Ternary Gradients to Reduce Communication in Distributed Deep Learning",
    ),
    "permute-then-merge": one(
        "Can two independently trained networks be merged in weight space after permuting their hidden units?",
        "Git Re-Basin: Merging Models modulo Permutation Symmetries",
    ),
    "which-sensor-shifted": one(
        "How can one tell which sensors caused a distribution shift?",
        "Feature Shift Detection: Localizing Which Features Have Shifted via Conditional Distribution Tests",
    ),
    "gnn-to-mlp": one(
        "Is there a way to distill a GNN into an MLP that captures local graph structure?",
        "VQGraph: Rethinking Graph Representation Space for Bridging GNNs and MLPs",
    ),
    "smaller-fl-updates": one(
        "How can the size of model updates sent from clients to the server in federated learning be reduced?",
        "FEDZIP: A Compression Framework for Communication-Efficient Federated Learning",
    ),
    "cache-plus-quantize": one(
        "How can model caching and quantization be combined to accelerate diffusion models?",
        "CacheQuant: Comprehensively Accelerated Diffusion Models",
    ),
}

# Fact questions: the answer is a number stated in one abstract, and that number must be in the text.
FACTS = {
    "hnerv-psnr": one(
        "How much does HNeRV improve reconstruction quality over implicit video representations?",
        HNERV, "+4.7 PSNR",
    ),
    "distrifusion-speedup": one(
        "What speedup does patch parallelism give for high-resolution diffusion on eight A100 GPUs?",
        "DistriFusion: Distributed Parallel Inference for High-Resolution Diffusion Models", "6.1times speedup",
    ),
    "fedavg-rounds": one(
        "By how much does federated averaging reduce the number of communication rounds compared to synchronized SGD?",
        "Communication-Efficient Learning of Deep Networks from Decentralized Data", "10-100x",
    ),
    "fedzip-rate": one(
        "What compression rate can be reached when compressing client updates in federated learning?",
        "FEDZIP: A Compression Framework for Communication-Efficient Federated Learning", "1085x",
    ),
    "vqgraph-inference": one(
        "How much faster is an MLP distilled from a GNN with a structure-aware codebook at inference?",
        "VQGraph: Rethinking Graph Representation Space for Bridging GNNs and MLPs", "828x",
    ),
    "fastrp-vs-deepwalk": one(
        "How much faster is very sparse random projection than DeepWalk for node embeddings?",
        "Fast and Accurate Network Embeddings via Very Sparse Random Projection", "4,000 times faster",
    ),
    "micro-budget-cost": one(
        "How cheaply can a text-to-image diffusion transformer be trained from scratch, and what FID does it get?",
        "Stretching Each Dollar: Diffusion Training from Scratch on a Micro-Budget", "1,890", "12.7 FID",
    ),
    "dit-moe-size": one(
        "How large was the biggest sparse mixture-of-experts diffusion transformer trained, and what FID did it reach?",
        "Scaling Diffusion Transformers to 16 Billion Parameters", "16.5B parameter", "1.80",
    ),
    "phone-latency": one(
        "How fast can Stable Diffusion run on a mobile phone GPU?",
        "Speed Is All You Need: On-Device Acceleration of Large Diffusion Models via GPU-Aware Optimizations",
        "under 12 seconds",
    ),
    "encoder-reuse-speedup": one(
        "How much does reusing UNet encoder features speed up Stable Diffusion sampling?",
        "Faster Diffusion: Rethinking the Role of UNet Encoder in Diffusion Models", "41%",
    ),
    "terngrad-googlenet": one(
        "What accuracy loss does ternary gradient quantization cause on GoogLeNet?",
        "TernGrad: Ternary Gradients to Reduce Communication in Distributed Deep Learning", "less than 2%",
    ),
    "fedprox-accuracy": one(
        "How much does a proximal term improve test accuracy over FedAvg when clients are highly heterogeneous?",
        "Federated Optimization in Heterogeneous Networks", "22% on average",
    ),
    "kraken-ttft": one(
        "How much faster is the time to first token with inherently parallel transformer layers?",
        "Kraken: Inherently Parallel Transformers For Efficient Multi-Device Inference", "35.6%",
    ),
    "muvera-latency": one(
        "How much better recall and latency does multi-vector retrieval get with fixed dimensional encodings?",
        "MUVERA: Multi-Vector Retrieval via Fixed Dimensional Encodings", "10% improved recall", "90% lower latency",
    ),
    "graphvite-speed": one(
        "How much faster is a CPU-GPU hybrid node embedding system than the previous fastest one?",
        "GraphVite: A High-Performance CPU-GPU Hybrid System for Node Embedding", "50 times faster",
    ),
    "cachequant-speedup": one(
        "What speedup does combining caching and quantization give for Stable Diffusion?",
        "CacheQuant: Comprehensively Accelerated Diffusion Models", "5.18 speedup",
    ),
}

# Multi-paper questions: a topic several abstracts address; at least two of the listed papers must be cited.
CACHING = (
    "Cache Me if You Can: Accelerating Diffusion Models through Block Caching",
    "Faster Diffusion: Rethinking the Role of UNet Encoder in Diffusion Models",
    "CacheQuant: Comprehensively Accelerated Diffusion Models",
    "DistriFusion: Distributed Parallel Inference for High-Resolution Diffusion Models",  # reuses feature maps too
)
DIFFUSION_QUANTIZATION = (
    "QuEST: Low-bit Diffusion Model Quantization via Efficient Selective Finetuning",
    "TFMQ-DM: Temporal Feature Maintenance Quantization for Diffusion Models",
    "Temporal Feature Matters: A Framework for Diffusion Model Quantization",
    "DGQ: Distribution-Aware Group Quantization for Text-to-Image Diffusion Models",
    "CacheQuant: Comprehensively Accelerated Diffusion Models",
)
MULTI = {
    "diffusion-generates-weights": several(
        "Can diffusion models generate neural network weights?",
        "Neural Network Diffusion",
        "Diffusion-Based Neural Network Weights Generation",
        "HyperDiffusion: Generating Implicit Neural Fields with Weight-Space Diffusion",
    ),
    "multi-subject-leakage": several(
        "How can a text-to-image model generate several subjects without their visual features leaking into "
        "each other?",
        "Be Yourself: Bounded Attention for Multi-Subject Text-to-Image Generation",
        "FastComposer: Tuning-Free Multi-Subject Image Generation with Localized Attention",
    ),
    "why-grokking": several(
        "Why does grokking, the delayed generalization after overfitting, happen?",
        "Grokking as the Transition from Lazy to Rich Training Dynamics",
        "Grokking at the Edge of Numerical Stability",
        "Deep Networks Always Grok and Here is Why",
    ),
    "moe-diffusion-transformers": several(
        "How are mixture-of-experts layers used to scale diffusion transformers?",
        "Scaling Diffusion Transformers to 16 Billion Parameters",
        "DiffMoE: Dynamic Token Selection for Scalable Diffusion Transformers",
        "Expert Race: A Flexible Routing Strategy for Scaling Diffusion Transformer with Mixture of Experts",
        "Switch Diffusion Transformer: Synergizing Denoising Tasks with Sparse Mixture-of-Experts",
    ),
    "fuse-by-aligning-neurons": several(
        "How can neural networks with different neuron orderings be fused into a single model by aligning "
        "their neurons?",
        "Model Fusion via Optimal Transport",
        "On Cross-Layer Alignment for Model Fusion of Heterogeneous Neural Networks",
        "Git Re-Basin: Merging Models modulo Permutation Symmetries",
    ),
    "information-bottleneck": several(
        "What does the information bottleneck theory say about how deep networks learn and generalize?",
        "Opening the Black Box of Deep Neural Networks via Information",
        "How Does Information Bottleneck Help Deep Learning?",
        "Information Bottleneck Analysis of Deep Neural Networks via Lossy Compression",
    ),
    "truncatable-embeddings": several(
        "How can a single embedding be truncated to smaller sizes for cheaper retrieval?",
        "Matryoshka Representation Learning",
        "Starbucks: Improved Training for 2D Matryoshka Embeddings",
    ),
    "ood-detection": several(
        "How can a classifier detect inputs that come from outside its training distribution?",
        "AdaSCALE: Adaptive Scaling for OOD Detection",
        "Mixture Outlier Exposure: Towards Out-of-Distribution Detection in Fine-grained Environments",
        "Neuron Activation Coverage: Rethinking Out-of-distribution Detection and Generalization",
        "Hybrid Energy Based Model in the Feature Space for Out-of-Distribution Detection",
        "FlowCon: Out-of-Distribution Detection using Flow-Based Contrastive Learning",
        "Meta OOD Learning for Continuously Adaptive OOD Detection",
    ),
    "serverless-collaborative-training": several(
        "Can several clients train a model together without sharing their raw data or relying on a central server?",
        "MoDeST: Bridging the Gap between Federated and Decentralized Learning with Decentralized Sampling",
        "Bristle: Decentralized Federated Learning in Byzantine, Non-i.i.d. Environments",
        "A Single Merging Suffices: Recovering Server-based Learning Performance in Decentralized Learning",
        "Decentralized Learning with Multi-Headed Distillation",
        "Vanishing Variance Problem in Fully Decentralized Neural-Network Systems",
    ),
    "diffusion-caching": several("How can caching speed up diffusion model inference?", *CACHING),
    "diffusion-feature-reuse": several(
        "How can diffusion sampling be sped up by reusing features computed at earlier denoising steps?", *CACHING
    ),
    "diffusion-ptq": several(
        "How can post-training quantization be applied to diffusion models?", *DIFFUSION_QUANTIZATION
    ),
    "diffusion-low-bit": several(
        "How can diffusion models be quantized to low bit-widths without losing image quality?",
        *DIFFUSION_QUANTIZATION,
    ),
    "which-methods-quantize-diffusion": several(
        "Which methods quantize diffusion models?", *DIFFUSION_QUANTIZATION
    ),
}

# Known limits, kept visible rather than dropped (noted on the issues):
KNOWN_MISSES = {
    # Cache Me if You Can and Faster Diffusion rank 6th and 8th for this phrasing, below the 5 sources.
    "multi-diffusion-feature-reuse": "retrieval ranks the caching papers below the top 5",
    # "The biggest ... trained": the answerer does not compare numbers across papers; it answers from the
    # paper that matches best (a 1.16B sparse transformer), not the largest one (DiT-MoE, 16.5B).
    "fact-dit-moe-size": "superlatives across papers are not compared",
    # An answer stays on the papers that hold the question's terms; these questions are phrased unlike
    # the abstracts that answer them, so the second paper falls below the bar that keeps padding out.
    "multi-serverless-collaborative-training": "second paper below the relevance bar",
    "multi-diffusion-low-bit": "second paper below the relevance bar",
}

CASES = [
    pytest.param(
        case,
        id=f"{kind}-{name}",
        marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[f"{kind}-{name}"])]
        if f"{kind}-{name}" in KNOWN_MISSES
        else [],
    )
    for kind, group in (("paraphrase", PARAPHRASED), ("fact", FACTS), ("multi", MULTI))
    for name, case in group.items()
]


def cited_titles(answer: Answer) -> list[str]:
    return [c.paper.title for c in answer.citations]


def describe(answer: Answer) -> str:
    sources = "\n".join(f"  - {h.paper.title}" for h in answer.sources)
    cited = "\n".join(f"  [{c.n}] {c.paper.title} (supported={c.supported}, {c.score:.2f})" for c in answer.citations)
    return (
        f"\nquestion: {answer.question}\nabstained: {answer.abstained}\ntext: {answer.text}\n"
        f"sources:\n{sources}\ncitations:\n{cited}\nwarnings: {answer.warnings}"
    )


def assert_well_cited(answer: Answer) -> None:
    """The citation contract every non-abstaining answer must hold."""
    context = describe(answer)
    assert not answer.abstained, context
    assert answer.warnings == [], context
    assert answer.citations, context
    source_ids = {h.paper.paper_id for h in answer.sources}
    for index, citation in enumerate(answer.citations, 1):
        assert citation.n == index, context
        assert citation.supported, context
        assert citation.paper.paper_id in source_ids, context
        assert citation.quote and citation.quote in citation.paper.abstract, context
    # Every bracketed reference is a plain [n], and first uses run 1..N.
    assert re.findall(r"\[[^\]]*\d[^\]]*\]", answer.text) == re.findall(r"\[\d+\]", answer.text), context
    markers = [int(m) for m in re.findall(r"\[(\d+)\]", answer.text)]
    assert list(dict.fromkeys(markers)) == list(range(1, len(answer.citations) + 1)), context


@pytest.fixture(scope="module")
def titles(corpus: Surveyor) -> set[str]:
    return {p.title for p in corpus.papers()}


@pytest.mark.parametrize("case", CASES)
def test_question_is_answered_from_the_right_papers(corpus: Surveyor, titles: set[str], case: Case) -> None:
    assert set(case.titles) <= titles, f"test bug: unknown title(s) {set(case.titles) - titles}"
    answer = corpus.ask(case.question)
    assert_well_cited(answer)
    context = describe(answer)
    found = [t for t in case.titles if t in cited_titles(answer)]
    assert len(found) >= case.min_cited, context
    for fact in case.substrings:
        assert fact in answer.text, context


UNRELATED = {
    "cooking": "What is a good recipe for sourdough bread?",
    "cooking-eggs": "How long should I boil an egg for a runny yolk?",
    "football": "Who won the 2018 FIFA World Cup?",
    "basketball": "Which team has the best defense in the NBA this season?",
    "tax-deduction": "How do I deduct home office expenses on my income tax return?",
    "capital-gains": "What is the capital gains tax rate when selling shares?",
    "pet-health": "How often should I deworm my cat?",
    "dog-health": "What are the symptoms of diabetes in dogs?",
    "running": "How do I train for my first marathon?",
}


@pytest.mark.parametrize("question", list(UNRELATED.values()), ids=list(UNRELATED))
def test_unrelated_question_abstains(corpus: Surveyor, question: str) -> None:
    answer = corpus.ask(question)
    context = describe(answer)
    assert answer.abstained, context
    assert answer.citations == [], context
    assert "does not cover" in answer.text.lower(), context


def test_an_answer_whose_best_sentences_lean_on_others_says_what_stands_alone(corpus: Surveyor) -> None:
    """The Consciousness Prior's best sentence opens on 'It is inspired by ...' and the one before it cannot
    come along: the answer is the paper's sentences that read on their own, not an empty reply."""
    answer = corpus.ask("Which representation learning prior is inspired by theories of consciousness from "
                        "cognitive neuroscience?")
    assert_well_cited(answer)
    assert {c.paper.title for c in answer.citations} == {"The Consciousness Prior"}, describe(answer)


# Questions from the corpus's field (language models, molecules) that no paper in it answers.
IN_THE_FIELD = {
    "speculative-decoding": "How does speculative decoding with a small draft model speed up LLM inference?",
    "protein-structure": "Which protein language models predict 3D structure from an amino acid sequence?",
}


@pytest.mark.parametrize("question", list(IN_THE_FIELD.values()), ids=list(IN_THE_FIELD))
def test_a_question_the_papers_only_share_a_field_with_abstains(corpus: Surveyor, question: str) -> None:
    """The closest papers are retrieved (they mention language models or molecular structure) but none
    speaks to the question: no answer, and the warning names the closest paper."""
    assert corpus.search(question, k=3), "the field's papers are retrieved"
    answer = corpus.ask(question)
    assert answer.abstained and answer.citations == [] and answer.sources == [], describe(answer)
    (warning,) = answer.warnings
    assert warning.startswith("no retrieved paper addresses the question (closest: ")


REWRITES = {
    "HNeRV": "how can a video be stored as a neural network?",
    "FEDZIP": "How can the size of model updates sent from clients to the server in federated learning be reduced?",
    "CacheQuant": "How can model caching and quantization be combined to accelerate diffusion models?",
}


@pytest.mark.parametrize(("name", "question"), list(REWRITES.items()), ids=list(REWRITES))
def test_we_propose_becomes_short_name_proposes(corpus: Surveyor, name: str, question: str) -> None:
    """The abstract says 'In this work, we propose <X>'; the answer says '<ShortName> [n] proposes <X>'."""
    answer = corpus.ask(question)
    assert_well_cited(answer)
    context = describe(answer)
    match = re.search(rf"\b{re.escape(name)} \[(\d+)\] proposes\b", answer.text)
    assert match, context
    paper = answer.citations[int(match.group(1)) - 1].paper
    assert paper.short_name == name, context
    assert any(re.match(r"(?:[^,.;]{0,60},\s+)?[Ww]e propose\b", s) for s in split_sentences(paper.abstract))
    for sentence in split_sentences(answer.text):
        assert not sentence.startswith("We "), context
    assert not re.search(r"\b[Ww]e\b", answer.text), context


def test_an_unnamed_paper_is_named_once_then_referred_to(corpus: Surveyor) -> None:
    """A paper without a short name is 'One study [n]' the first time and 'The same study [n]' after it,
    never 'Another study [n]' (which reads as a different paper) or 'One study' twice."""
    answer = corpus.ask("how does block caching speed up diffusion models?")
    assert_well_cited(answer)
    context = describe(answer)
    mentions = re.findall(r"\b(One study|Another study|The same study) \[(\d+)\]", answer.text)
    by_paper: dict[str, list[str]] = {}
    for name, n in mentions:
        by_paper.setdefault(n, []).append(name)
    assert any(len(names) >= 2 for names in by_paper.values()), "precondition: a paper named twice" + context
    for names in by_paper.values():
        assert names[0] in ("One study", "Another study") and set(names[1:]) <= {"The same study"}, context


def test_follow_up_uses_the_chat_history(corpus: Surveyor) -> None:
    first_question = "how can a video be stored as a neural network?"
    first = corpus.ask(first_question)
    assert_well_cited(first)
    assert first.citations[0].paper.title == HNERV, describe(first)

    follow_up = corpus.ask("what about its speed?", history=[Turn(first_question, first)])
    assert_well_cited(follow_up)
    context = describe(follow_up)
    assert follow_up.citations[0].paper.paper_id == first.citations[0].paper.paper_id, context
    assert re.search(r"speed|decod|faster", follow_up.text, re.IGNORECASE), context

    alone = corpus.ask("what about its speed?")
    assert alone.abstained or alone.citations[0].paper.title != HNERV, describe(alone)


@pytest.mark.parametrize(("sentence", "leans"), [
    ("Moreover, we find that transformer-based models outperform CNN-based ones.", False),  # additive lead-in
    ("Hence, we propose Delayed Shrinking, which starts once the network is partly trained.", False),
    ("Moreover, this method halves the memory.", True),  # the reference back remains
    ("It takes about 20 hours on the largest graph.", True),
    ("However, prior methods fail on long sequences.", True),
])
def test_which_sentences_lean_on_the_one_before(sentence: str, leans: bool) -> None:
    assert Candidate(1, 3, sentence, False, 0.5, False, 0.5).anaphoric is leans


def test_a_follow_up_is_scored_by_what_it_asks_not_by_its_context() -> None:
    assert asked_part("What root cause do they find? (following: Why is gossip (GL) slower?)") == "What root cause do they find?"
    assert asked_part("Do transformers adapt better (Diffscaler)?") == "Do transformers adapt better"
    assert asked_part("How do CNNs work (e.g. ResNet)?") == "How do CNNs work (e.g. ResNet)?"  # the user's own


def test_a_duration_question_leads_with_the_duration(corpus: Surveyor) -> None:
    reading = read_question("How long does it take to train the largest model?")
    assert reading.intent == "fact" and reading.duration
    assert reading.answers_kind("Training takes around 20 hours.") and not reading.answers_kind("It is 50x faster.")
    answer = corpus.ask("How long does GraphVite take to embed the largest network it was tested on?")
    first = answer.sentences[0].text
    assert "20 hours" in answer.text and answer.text.index("super efficient") < answer.text.index("20 hours"), first


def _hit(paper_id: str, title: str, abstract: str = "An abstract.") -> Hit:
    paper = Paper(paper_id, paper_id, title, abstract)
    return Hit(paper, 1.0, 0.5, Chunk(f"{paper_id}:0", paper_id, 0, abstract, 0, 0), "")


def _sentences(texts: list[str], relevance: list[float], similarity: float) -> list[Candidate]:
    """One paper's abstract sentences, each as relevant as given and covering as much of the question."""
    return [Candidate(1, i, t, False, r, False, r, similarity) for i, (t, r) in enumerate(zip(texts, relevance))]


def test_a_question_asking_for_a_kind_of_thing_leads_with_the_sentence_naming_one() -> None:
    question = "over-the-air federated learning with a personal surface per user: what dataset was it evaluated on?"
    reading = read_question(question)
    assert reading.kind is not None and reading.names_asked("It outperforms the state of the art on the Fashion-MNIST dataset.")
    scored = [
        Candidate(1, 0, "Over-the-air federated learning provides bandwidth-efficient learning.", False, 0.60, False, 0.5),
        Candidate(1, 1, "We propose the first personalized OTA-FL scheme with a surface per user.", False, 0.55, False, 0.5),
        Candidate(1, 2, "We take a cross-layer approach that optimizes communication resources.", False, 0.50, False, 0.4),
        Candidate(1, 3, "PROAR-PFed outperforms the state of the art on the Fashion-MNIST dataset.", False, 0.20, False, 0.05),
    ]
    answer = compose(reading, [_hit("p1", "Personalized OTA-FL")], scored, set())
    assert answer.startswith("PROAR-PFed outperforms the state of the art on the Fashion-MNIST dataset"), answer
    assert "Fashion-MNIST" not in compose(Reading("general"), [_hit("p1", "Personalized OTA-FL")], scored, set())


def test_an_amount_in_words_answers_how_much_and_which_of_them_names_the_work() -> None:
    reading = read_question("What is the largest amount of training data their models were trained on?")
    assert reading.intent == "fact"
    assert states_number("Our experiments involve models trained on up to two billion image-text pairs.")
    assert not states_number("Our experiments involve models trained on image-text pairs.")
    assert read_question("Which of them tackles exposure bias without retraining the model?").intent == "which"
    assert read_question("Which one needs no labels?").intent == "which"
    assert read_question("Which datasets did they use?").intent != "which"


def test_how_many_is_answered_by_a_count_in_words() -> None:
    reading = read_question("On how many traffic classification datasets does it beat the state of the art?")
    assert reading.intent == "fact" and reading.states_count("It surpasses SOTA on four of the five datasets.")
    scored = [
        Candidate(1, 0, "We pretrain an embedding model on recognising domains in encrypted traffic.", False, 0.46, False, 0.3),
        Candidate(1, 1, "Encrypted traffic classification methods must adapt to new protocols.", True, 0.40, False, 0.2),
        Candidate(1, 2, "The proposed solution surpasses SOTA performance on four of the five datasets.", False, 0.26, False, 0.03),
    ]
    answer = compose(reading, [_hit("p1", "Universal Embedding")], scored, set())
    assert answer.startswith("The proposed solution surpasses SOTA performance on four of the five"), answer


@pytest.mark.parametrize(("question", "names"), [
    ("When the data sit on a low-dimensional subspace, what does the rate depend on?", False),  # a word, not SiT
    ("How does SiT compare with DiT?", True),
    ("how fast does hnerv decode?", True),  # a long name in any case
    ("How fast does HNeRV decode?", True),
])
def test_a_question_names_a_paper_as_the_paper_writes_its_name(question: str, names: bool) -> None:
    hits = [Hit(Paper("p1", "sit", "SiT: Exploring Flow and Diffusion-based Generative Models", "We present SiT."),
                1.0, 0.5, Chunk("p1:0", "p1", 0, "We present SiT.", 0, 0), ""),
            Hit(Paper("p2", "hnerv", "HNeRV: A Hybrid Neural Representation for Videos", "We propose HNeRV."),
                1.0, 0.5, Chunk("p2:0", "p2", 0, "We propose HNeRV.", 0, 0), "")]
    assert bool(names_a_paper(question, hits)) is names


def test_a_sentence_holds_the_parts_of_its_compounds_and_the_forms_of_its_words() -> None:
    assert same_term(*tokenize("tileable tileability")) and same_term(*tokenize("scalable scalability"))
    assert not same_term(*tokenize("table tablet"))
    weights = {"tileable": 1.0, "resolution": 1.0}
    assert _coverage(weights, "We introduce rolled diffusion to enable tileability and high-resolution outputs.") == 1.0


def test_how_do_they_leads_with_the_sentence_saying_by_what_means() -> None:
    reading = read_question("How do they adapt quickly when only a few ID samples are available at deployment?")
    assert reading.explains("by designing a delay")
    assert not read_question("And how does its speed compare with the baselines?").explains("by designing a delay")
    why = read_question("Why doesn't a single one-shot SuperNet work for that?")
    assert why.explains("This is because it shares its weights.") and not why.explains("We propose a mixture.")
    # The question asked after what it is about; 'we use X to develop Y' says by what means.
    after = read_question("Deep kernel machines scale cubically with the data; how is that cost reduced?")
    assert after.explains("We use methods from the inducing point literature to develop a sparse DKM.")
    assert not after.explains("We develop a sparse DKM that is used to be fast.")
    assert not after.explains("A malicious buyer generates adversarial examples and uses them to attack copies.")
    assert reading.explains("We prune the redundant embeddings by learnable pruning thresholds.")
    gains = read_question("What gains do they report once that property is built into the model?")
    assert gains.explains("These models significantly outperform their non-equivariant counterparts.")
    assert not gains.explains("Equivariant architectures have provable benefits in generalization.")
    assert not reading.explains("It was surpassed by the following methods.")
    scored = [
        Candidate(1, 4, "We propose a setting called CAOOD that enables quick adaptation with few ID samples.", False,
                  0.42, False, 0.33),
        Candidate(1, 6, "In the testing process, MOL ensures OOD detection performance over shifting data.", False,
                  0.38, False, 0.26),
        Candidate(1, 5, "To address CAOOD, we develop MOL by designing a learning-to-adapt diagram.", False,
                  0.31, False, 0.13),
    ]
    answer = compose(reading, [_hit("p1", "Meta OOD Learning")], scored, set())
    assert answer.startswith("One study [1] develops MOL by designing a learning-to-adapt diagram."), answer
    # A sentence saying 'through' that holds no word of the question is no answer to how.
    scored = [
        Candidate(1, 6, "Finally we demonstrate effectiveness through quantitative analysis.", False, 0.24, False, 0.0),
        Candidate(1, 3, "The model generates novel images by sampling prompts from a distribution.", False, 0.23,
                  False, 0.1),
    ]
    how = read_question("How do they produce new images at generation time?")
    answer = compose(how, [_hit("p1", "DreamDistribution")], scored, set())
    assert answer.startswith("The model generates novel images by sampling prompts"), answer
    # Of two papers answering about as well, the one whose sentence gives the reason leads.
    scored = [
        Candidate(2, 2, "Through empirical analysis of diffusion models, we study how model size affects sampling.",
                  False, 0.407, False, 0.29, 0.65),
        Candidate(1, 6, "Disorganized presentation arises from redundant spatial information due to high resolutions.",
                  False, 0.405, False, 0.21, 0.7),
    ]
    why = read_question("Why do diffusion models produce disorganized content at high resolutions?")
    answer = compose(why, [_hit("p1", "Adaptation"), _hit("p2", "Bigger is not better")], scored, set())
    assert answer.startswith("Disorganized presentation arises from redundant spatial information"), answer


def test_a_sentence_ends_after_a_single_letter_when_the_next_one_opens() -> None:
    text = "Given a graph G, construct a polygon P whose graph is G. We introduce VisDiff. As J. Smith showed, it works."
    assert split_sentences(text) == ["Given a graph G, construct a polygon P whose graph is G.", "We introduce VisDiff.",
                                     "As J. Smith showed, it works."]
    # 'i.i.d.' goes on unless a sentence opens after it: no answer sentence reads 'Bernoulli noise inputs.'
    iid = "We reach 82% accuracy using only i.i.d. Bernoulli noise inputs. Samples are i.i.d. We show it works."
    assert split_sentences(iid) == ["We reach 82% accuracy using only i.i.d. Bernoulli noise inputs.",
                                    "Samples are i.i.d.", "We show it works."]


def test_coverage_meets_metric_names_longer_compounds_and_words_moving_the_same_way() -> None:
    assert _coverage({"f1": 1.0}, "We achieve a 21% improvement in F1-Score.") == 1.0
    assert _coverage({"time": 1.0}, "Integrating a Time-Shift Sampler helps.") == 0.0  # a modifier word is not held
    assert _coverage({"fine-tuning": 1.0}, "It is 300x faster than fine-tuning-based methods.") == 1.0
    assert _coverage({"tensor-parallel": 1.0}, "Tensor Parallelism serializes communication.") == 1.0
    assert _coverage({"faster": 1.0}, "It achieves a 300x speedup.") == 1.0
    assert _coverage({"faster": 1.0}, "It achieves a 300x speedup.", moves=False) == 0.0
    assert _coverage({"faster": 1.0}, "It is slower.") == 0.0
    # Two forms of one word ('determines', 'determinants'), not two words sharing a stem ('position', 'positive').
    assert _coverage({"determine": 1.0}, "The key determinants of grokking are the rate of feature learning.") == 1.0
    assert _coverage({"position": 1.0}, "The effect is positive.") == 0.0
    # What an '-based' compound is about ('hardware-based security' holds 'hardware').
    assert _coverage({"hardware": 1.0}, "It adds hardware-based security.") == 1.0


def test_an_item_of_a_numbered_list_is_read_with_the_words_opening_the_list() -> None:
    from surveyor.answer.evidence import _items_introduced

    sentences = ["Our approach incorporates: 1) Zero-knowledge proofs for secure model verification.",
                 "2) Split Learning techniques that segment models across nodes.",
                 "3) Hardware-based security through trusted execution environments (TEEs).",
                 "This framework aims to enhance security."]
    read = _items_introduced(sentences)
    assert read[0] == sentences[0] and read[3] == sentences[3]
    assert read[1] == "Our approach incorporates Split Learning techniques that segment models across nodes."
    assert read[2] == ("Our approach incorporates hardware-based security through trusted execution environments "
                       "(TEEs).")
    assert _items_introduced(sentences[1:]) == sentences[1:]  # no opening to read them with


def test_a_sentence_on_what_the_authors_own_names_the_paper_first() -> None:
    from surveyor.text.prose import Names, third_person

    paper = Paper("p", "p", "Towards Secure and Private AI", "An abstract.")
    names = Names()
    first = third_person("Our approach incorporates hardware-based security.", paper, 1, names)
    assert first == "In one study [1], the approach incorporates hardware-based security.", first
    again = third_person("Our experiments show it works.", paper, 1, names)
    assert again == "Their experiments show it works [1].", again


def test_a_paper_named_as_what_another_paper_improves_is_not_the_one_asked_about() -> None:
    memory = Paper("p1", "gmem", "Generative Modeling with Explicit Memory",
                   "We introduce an external memory bank for diffusion models. GMem accelerates SiT training by 46.7x.")
    sit = Paper("p2", "sit", "SiT: Exploring Flow and Diffusion-based Generative Models", "We present SiT. SiT reaches "
                "an FID of 2.06.")
    hits = [Hit(p, 1.0, 0.5, Chunk(f"{p.paper_id}:0", p.paper_id, 0, p.abstract, 0, 1), "") for p in (memory, sit)]
    question = "How much does an external memory bank speed up SiT training?"
    assert names_a_paper(question, hits) == {2}
    scored = [
        Candidate(1, 0, "We introduce an external memory bank for diffusion models.", False, 0.44, False, 0.34),
        Candidate(1, 1, "GMem accelerates SiT training by 46.7x.", False, 0.39, True, 0.3),
        Candidate(2, 1, "SiT reaches an FID of 2.06.", False, 0.3, True, 0.18),
    ]
    answer = compose(read_question(question), hits, scored, names_a_paper(question, hits))
    assert answer.startswith("GMem accelerates SiT training by 46.7x [1]"), answer


def test_a_question_described_across_an_abstract_is_addressed(corpus: Surveyor) -> None:
    """No one sentence of T3 holds a quarter of what this question asks, but its abstract holds most of it
    ('actually', 'how much' aside): it is answered, not abstained on."""
    answer = corpus.ask("Does fusing the producer matmul with tensor-parallel collectives in hardware really pay off "
                        "for transformer sublayers, and how much?")
    assert not answer.abstained and answer.citations[0].paper.key == "t3", answer.text


def test_asking_what_it_was_tested_on_and_an_amount_in_words() -> None:
    reading = read_question("Was the manifold learning method tested on any biological data?")
    assert reading.names_asked("We evaluate it on single cell RNA-sequencing datasets.")
    assert not read_question("Was the manifold learning method ever published?").names_asked("datasets")
    assert states_number("We show an exponential gap between the two measures.") and not states_number("We show a gap.")


def test_a_sentence_opening_on_for_instance_stands_alone() -> None:
    from surveyor.text.prose import Names, third_person

    paper = Paper("p", "p", "GMem: Generative Modeling with Explicit Memory", "An abstract.")
    text = third_person("For instance, on ImageNet GMem accelerates SiT training by 46.7x.", paper, 1, Names())
    assert text == "On ImageNet GMem accelerates SiT training by 46.7x [1].", text


def test_a_second_verb_after_we_agrees_with_the_paper_too() -> None:
    from surveyor.text.prose import Names, third_person

    paper = Paper("p", "p", "Vanishing Variance Problem in Fully Decentralized Neural-Network Systems", "An abstract.")
    text = third_person("We identify the underlying cause and refer to it as the vanishing variance problem.", paper, 1,
                        Names())
    assert text == "One study [1] identifies the underlying cause and refers to it as the vanishing variance problem.", text


def test_questions_say_what_sentence_answers_them() -> None:
    # 'How many X': a count of X ('over 100 unique features'), not any number ('k=1').
    reading = read_question("How many features were probed in the study that trains k-sparse linear probes?")
    assert reading.counts_asked("In all, we probe for over 100 unique features comprising 10 categories.")
    assert not reading.counts_asked("With k=1, we localize individual neurons relevant for a feature.")
    assert read_question("How many class pairs does that give?").counted == ("class", "pair")
    # 'How much faster ...': a number of that measure, in its words or another's ('speedup').
    reading = read_question("How much faster is it than fitting the global estimator centrally?")
    assert reading.holds_measure("For some situations, the computation time is more than ten times faster.")
    assert reading.holds_measure("It gives a 3x speedup.") and not reading.holds_measure("A 3x smaller model.")
    # A fact asked of two things: a second number that says what the first leaves out.
    reading = read_question("How much does ExFlow cut cross-GPU routing latency and raise inference throughput?")
    lead = "By placing the experts on GPUs we reduce up to 67% cross-GPU routing latency."
    assert reading.adds_to("It gives up to 2.2x improvement in inference throughput.", lead)
    assert not reading.adds_to("It reduces routing latency by 67% on 8 GPUs.", lead)
    # 'On which citation network datasets ...': named one by one, whatever the sentence calls them.
    reading = read_question("On which citation network datasets was test accuracy reported?")
    listed = "It improves by 3.4% in terms of test accuracy on Cora, Citeseer, and Pubmed."
    assert reading.names_asked(listed) and reading.lists_names(listed)
    assert not reading.lists_names("It improves across a diverse set of benchmarks.")
    assert read_question("Which geometry problem solving benchmarks are used to evaluate it?").kind is not None
    # 'Why ...': the cause, named as such, and the problem the paper starts from may say it.
    reading = read_question("Why does plain model averaging slow down convergence?")
    assert reading.reason and reading.explains("We identify the underlying cause and refer to it as a problem.")
    assert not reading.explains("Such noise may cause the model to diverge.")


class _Lexical:
    """Document frequencies as a store's lexical index gives them: every term equally rare here."""

    postings = 5000

    def document_frequencies(self, terms: list[str]) -> dict[str, int]:
        return {t: 1 for t in terms}


def test_a_paper_nearly_there_on_two_signals_addresses_the_question() -> None:
    from surveyor.answer.evidence import addresses

    # 5 of the question's 11 terms across the abstract (just under half), at most 2 in any one sentence
    abstract = "Large models are deployed across many machines. Features move between parts. We release a dataset. " \
               "We also provide a benchmark."
    question = "split model across devices: dataset and benchmark for compressing intermediate features sent on a network?"

    def hit(similarity: float) -> Hit:
        paper = Paper("p", "p", "Feature Coding", abstract)
        return Hit(paper, 1.0, similarity, Chunk("p:0", "p", 0, abstract, 0, 2), "")

    assert addresses(question, [hit(0.52)], _Lexical())  # close in meaning, most words across the abstract
    assert not addresses(question, [hit(0.30)], _Lexical())  # the words alone, short of their bar, are not enough


def test_a_sentence_comes_with_what_it_leans_on_back_to_one_that_stands_alone() -> None:
    hits = [_hit("p", "Fine-tuning with Very Large Dropout")]
    texts = ["Several authors use ensembles to obtain rich representations for multiple distributions.",
             "This contribution investigates very high dropout rates instead of ensembles to obtain such rich "
             "representations.",
             "Although training from scratch with such dropout rates is impossible, fine-tuning under such conditions "
             "beats model soups out of distribution."]
    scored = [Candidate(1, i, t, False, r, False, c, 0.6) for i, (t, r, c) in
              enumerate(zip(texts, (0.30, 0.45, 0.55), (0.2, 0.3, 0.4)))]
    assert scored[2].anaphoric and scored[1].anaphoric and not scored[0].anaphoric
    answer = compose(Reading("general"), hits, scored, set())
    assert answer.index("ensembles to obtain") < answer.index("very high dropout") < answer.index("beats model soups")
    assert "One study [1] investigates very high dropout rates" in answer, answer


def test_sentences_leaned_on_come_once_and_the_answering_one_is_kept() -> None:
    hits = [_hit("p1", "Intrinsic Sliced Wasserstein Distances")]
    texts = ["Collections of probability distributions arise in many applications.",
             "In practice these distributions can be defined over spheres, other manifolds, and graphs.",
             "This paper introduces an approach for detecting differences between collections over such domains.",
             "To this end, we propose the intrinsic slicing construction that yields a class of distances.",
             "These distances are Hilbert embeddable, allowing us to reduce the comparison problem to a familiar mean "
             "testing problem."]
    relevance = [0.24, 0.35, 0.35, 0.25, 0.36]
    scored = [Candidate(1, i, t, i < 2, r, False, r - 0.1, 0.54) for i, (t, r) in enumerate(zip(texts, relevance))]
    answer = compose(Reading("general"), hits, scored, set())
    assert "mean testing problem" in answer, answer
    assert answer.count("In practice these distributions") == 1, answer
    # With a lead of its own, an answer over its length drops its least relevant sentence, not the one that
    # answers best with what it leans on.
    scored.append(Candidate(1, 5, "We provide two testing procedures based on resampling.", False, 0.22, False, 0.1,
                            0.54))
    led = compose(Reading("general", explained_by=re.compile("based on")), hits, scored, set())
    assert led.startswith("One study [1] provides") and "mean testing problem" in led, led


def test_a_second_number_is_added_for_what_the_first_leaves_unsaid_in_other_word_forms() -> None:
    reading = read_question("On how many Wilds datasets does the algorithm surpass all baselines?")
    lead = "We demonstrate the efficacy of Fish on 6 datasets from the Wilds benchmark."
    assert reading.adds_to("Our method surpasses all baselines on 4 of them.", lead)
    assert not reading.adds_to("Our method is competitive on 4 of them.", lead)


def test_a_kind_question_leads_with_the_sentence_naming_it_as_the_question_says() -> None:
    datasets = read_question("Which datasets were used to validate a multi-task method that learns where to branch?")
    listing = "We validate the proposed method on controlled synthetic data, CelebA, and Taskonomy."
    assert datasets.names_asked(listing) and datasets.lists_names(listing)
    showcased = read_question("What kind of biological data was the manifold embedding showcased on?")
    assert showcased.says_done("We also showcase our method on RNA datasets.")
    hits = [_hit("p1", "Heat Geodesic Embeddings")]
    texts = ["Results show that our method preserves cluster structure in toy datasets.",
             "We also showcase our method on single cell RNA-sequencing datasets."]
    scored = _sentences(texts, [0.5, 0.3], 0.6)
    assert compose(showcased, hits, scored, set()).startswith("The authors also showcase"), compose(showcased, hits,
                                                                                                   scored, set())


def test_a_concluding_sentence_stands_alone_and_based_on_says_how() -> None:
    hits = [_hit("p1", "Information Plane")]
    texts = ["Our main results are a long list of findings about compression and diffusion phases of training.",
             "This generalization through noise is unique to deep networks.",
             "Thus the main advantage of the hidden layers is computational."]
    scored = _sentences(texts, [0.5, 0.45, 0.55], 0.7)
    assert not scored[2].anaphoric and scored[1].anaphoric
    answer = compose(Reading("general"), hits, scored, set())
    assert "The main advantage of the hidden layers is computational [1]." in answer, answer
    how = read_question("How are the predictions merged to be robust to distribution shift?")
    assert how.explains("We perform the merging based on the uncertainty associated with each prediction.")


def test_a_dataset_named_by_its_name_leads_and_an_abstracts_own_question_is_no_answer() -> None:
    hits = [_hit("p1", "Personalized OTA-FL")]
    texts = ["Personalized federated learning balances performance for users with diverse datasets.",
             "How hard is it to personalize learning over the air?",
             "We demonstrate that PROAR-PFed outperforms state-of-the-art on the Fashion-MNIST dataset."]
    scored = _sentences(texts, [0.5, 0.6, 0.3], 0.6)
    answer = compose(read_question("Which dataset was used for evaluation?"), hits, scored, set())
    assert "Fashion-MNIST" in answer.split(". ")[0] and "How hard" not in answer, answer


def test_a_name_spelled_from_an_ordinary_word_is_named_only_as_written() -> None:
    abstract = ("Federated learning over graphs is hard. We propose a novel framework, FEDerated Personalized "
                "sUBgraph learning (FED-PUB), which personalizes each client's subgraph model.")
    hits = [_hit("p", "Personalized Subgraph Federated Learning", abstract)]
    assert names_a_paper("Which federated learning methods weigh clients by more than dataset size?", hits) == set()
    assert names_a_paper("How does FED-PUB personalize subgraphs?", hits) == {1}
    assert names_a_paper("How does hnerv encode frames?", [_hit("h", "HNeRV", "We propose HNeRV.")]) == {1}


def test_one_of_the_thing_counted_answers_how_many() -> None:
    reading = read_question("How many all-to-all exchanges per layer does an MoE inference scheme need?")
    assert reading.counts_asked("Our design only uses one Alltoall communication per layer.")
    assert reading.counts_asked("Previous methods require two all-to-all exchanges.")
    assert not reading.counts_asked("One of the exchanges is slow.")


def test_a_question_asked_after_its_opening_clause_is_read_by_what_it_asks() -> None:
    solved = read_question("To fuse networks with different numbers of layers, how is the layer alignment problem "
                           "solved?")
    assert solved.says_remedy("The alignment problem can be solved efficiently using dynamic programming.")
    assert not read_question("How is the layer alignment problem described?").says_remedy("It is solved.")
    scored = [
        Candidate(1, 4, "Based on the cross-layer alignment, our framework balances the number of layers.", False, 0.57,
                  False, 0.48),
        Candidate(1, 3, "The cross-layer alignment problem can be solved efficiently using dynamic programming.", False,
                  0.45, False, 0.28),
    ]
    answer = compose(solved, [_hit("p1", "CLAFusion")], scored, set())
    assert answer.startswith("The cross-layer alignment problem can be solved efficiently"), answer
    # A choice between two ('more from A or from B?') is answered by the sentence comparing them.
    choice = read_question("When devices drop out, does accuracy suffer more from losing data or from losing "
                           "connectivity?")
    assert choice.explains("Accuracy is more affected by a loss of connectivity than by a loss of data.")
    assert not choice.explains("We analyze the difference between losing data and losing connectivity.")


@pytest.mark.parametrize(("question", "metric"), [
    ("For slack prediction before routing, a GNN was pre-trained. What R2 did it reach on slack prediction?", "R2"),
    ("What's the best FID they report on conditional ImageNet 256x256?", "FID"),
])
def test_a_question_naming_a_measure_is_answered_by_its_number(question: str, metric: str) -> None:
    reading = read_question(question)
    assert reading.intent == "fact" and reading.metric == metric
    scored = [
        Candidate(1, 2, "SiT surpasses DiT across model sizes on the conditional ImageNet 256x256 benchmark.", False,
                  0.5, True, 0.5),
        Candidate(1, 3, f"By exploring diffusion coefficients, it achieves an {metric}-50K score of 2.06.", False,
                  0.3, True, 0.2),
    ]
    answer = compose(reading, [_hit("p1", "SiT")], scored, set())
    assert answer.startswith(f"By exploring diffusion coefficients, it achieves an {metric}-50K score"), answer


def test_a_sentence_naming_what_is_asked_answers_below_the_floor_for_a_paper_that_answers() -> None:
    reading = read_question("What simple fix do they propose for it?")
    scored = [
        Candidate(1, 6, "The tuning-free method, called TempScale, can be plugged into embedding models.", False, 0.29,
                  False, 0.37),
        Candidate(1, 5, "We propose to mitigate the length collapse by introducing a temperature in softmax().", False,
                  0.07, False, 0.0),
        Candidate(2, 1, "Other work mitigates forgetting with replay.", False, 0.05, False, 0.0),
    ]
    answer = compose(reading, [_hit("p1", "Length Collapse"), _hit("p2", "Replay")], scored, set())
    assert answer.startswith("One study [1] proposes to mitigate the length collapse by introducing a temperature"), answer
    assert "[2]" not in answer


def test_a_lead_in_saying_what_for_or_where_is_kept_one_linking_sentences_is_dropped() -> None:
    paper = Paper("p", "p", "Learning Delays in Spiking Neural Networks", "x")
    assert third_person("To simulate delays between consecutive layers, we use 1D convolutions across time.", paper, 1,
                        Names()) == "To simulate delays between consecutive layers, one study [1] uses 1D convolutions " \
                                   "across time."
    assert third_person("To this end, we analyze the difference.", paper, 1, Names()) == \
        "One study [1] analyzes the difference."
    assert third_person("To tackle this, we propose Y.", paper, 1, Names()) == "One study [1] proposes Y."
    assert Paper("d", "d", "What the DAAM: Interpreting Stable Diffusion", "x").short_name == "DAAM"
    assert Paper("m", "m", "Mind the Gap: Offline Learning", "x").short_name == "Mind the Gap"


def test_which_works_best_and_to_do_x_we_use_y() -> None:
    best = read_question("Which learning approach turned out to work best when clients merge what they know?")
    assert best.explains("We find that prototypical networks are a strong approach to this problem.")
    assert not best.explains("We describe federated reconnaissance, a class of learning problems.")
    how = read_question("How can synaptic delays be learned with backprop alongside the weights?")
    assert how.explains("To simulate delays between consecutive layers, we use 1D convolutions across time.")


def test_how_well_which_measure_and_what_it_was_evaluated_on() -> None:
    well = read_question("How well did it do on the Wilds datasets?")
    scored = [
        Candidate(1, 4, "We demonstrate the efficacy of Fish on 6 datasets from the Wilds benchmark.", False, 0.5, True, 0.5),
        Candidate(1, 5, "Our method produces competitive results and surpasses all baselines on 4 of them.", False, 0.3,
                  True, 0.1),
    ]
    answer = compose(well, [_hit("p1", "Fish")], scored, set())
    assert answer.index("surpasses all baselines") < answer.index("efficacy of Fish"), answer
    which = read_question("Which FID did the interpolant transformers reach on class-conditional ImageNet 256?")
    assert which.metric == "FID"
    scored = [
        Candidate(1, 2, "SiT surpasses DiT on the conditional ImageNet 256x256 benchmark.", False, 0.5, True, 0.5),
        Candidate(1, 3, "SiT achieves an FID-50K score of 2.06.", False, 0.3, True, 0.2),
    ]
    assert compose(which, [_hit("p1", "SiT")], scored, set()).startswith("SiT achieves an FID-50K score of 2.06")
    assert read_question("What did they evaluate Contrastive Diffuser on?").names_asked("Experiments on 14 D4RL "
                                                                                      "benchmarks show it works.")
    assert read_question("Which diffusion models and samplers did they demonstrate this on?").intent != "broad"
    assert read_question("Which diffusion models accelerate sampling?").intent == "broad"


def test_what_it_is_equivalent_to_what_was_proposed_what_drives_it_and_whether_it_can_be_learned() -> None:
    hopfield = [
        Candidate(1, 0, "We introduce a modern Hopfield network with continuous states and a corresponding update rule.",
                  False, 0.5, False, 0.5),
        Candidate(1, 3, "The new update rule is equivalent to the attention mechanism used in transformers.", False, 0.3,
                  False, 0.2),
    ]
    equivalent = read_question("What is the new update rule of the continuous Hopfield network equivalent to?")
    assert compose(equivalent, [_hit("p1", "Hopfield")], hopfield, set()).startswith("The new update rule is equivalent")
    collapse = [
        Candidate(1, 1, "In this paper, we find that the performance degradation is due to a phenomenon called Length "
                  "Collapse.", False, 0.46, False, 0.27),
        Candidate(1, 5, "Based on the above analysis, we propose to mitigate the length collapse limitation by "
                  "introducing a temperature in softmax().", False, 0.2, False, 0.0),
    ]
    proposed = read_question("Long-text embeddings squeeze into a narrow region. What tuning-free change to the "
                             "attention computation was proposed to counteract this?")
    assert "introducing a temperature" in compose(proposed, [_hit("p1", "Length")], collapse, set()).split(". ")[0]
    driver = read_question("What did they find is the main driver of image quality degradation there?")
    assert driver.explains("Our analysis reveals that activation outliers play a crucial role in image quality.")
    assert not driver.explains("We propose Distribution-aware Group Quantization to preserve image quality.")
    learned = read_question("Do they need to hand-specify that structure, or can it be learned?")
    assert learned.explains("On the practical side, we study how sheaves can be learned from data.")
    assert not learned.explains("Sheaves equip graphs with vector spaces and linear maps.")
    assert read_question("How many tests and attacks did the testbed run?").counts_asked(
        "Our analysis, which generated 13K tests over 14 distinct attacks, led to novel findings.")


def test_how_the_asker_came_to_ask_is_not_what_the_question_is_about(corpus: Surveyor) -> None:
    """'I remember a paper arguing that ...' frames the question; its rare words must not outweigh what it asks."""
    answer = corpus.ask("I remember a paper arguing that as inputs get more and more out-of-distribution, a network's "
                        "outputs drift toward a fixed value rather than becoming arbitrarily overconfident.")
    assert not answer.abstained
    assert answer.citations[0].paper.title == "Deep Neural Networks Tend To Extrapolate Predictably"


def test_what_a_method_is_derived_from_why_one_kind_holds_up_better_and_which_databases() -> None:
    derived = read_question("Which principle is the explainer for temporal graph neural networks derived from?")
    assert derived.explains("Derived from the information bottleneck principle, TempME extracts the motifs.")
    assert not derived.explains("TempME uncovers the most pivotal temporal motifs.")
    why = read_question("Why do token-based image generators hold up better than diffusion models under quantization?")
    assert why.explains("We find that the primary reason is the discrete representation space of language-style models.")
    databases = read_question("Which databases did they pull those molecules from?")
    assert databases.names_asked("It is trained on 1.1 billion molecules from the PubChem and ZINC datasets.")


def test_only_a_yes_no_question_asks_whether_it_can_be_done() -> None:
    assert read_question("Can it be parallelized across GPUs?").explains("The search can be parallelized across GPUs.")
    how = read_question("How can a video be compressed with a neural network?")
    assert how.explains("It compresses videos by fitting a network to each frame.")
