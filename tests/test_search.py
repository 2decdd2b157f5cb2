"""Hybrid search on the fixture corpora: paraphrased questions find their paper, noise finds nothing."""

from __future__ import annotations

import pytest

from surveyor import Surveyor, SurveyorError

# (question, a paper title that must rank within the top `n`). Questions paraphrase the abstract
# rather than quote the title, so the lexical side alone cannot answer them.
PARAPHRASES = [
    ("how can a video be stored as a neural network?", "HNeRV: A Hybrid Neural Representation for Videos", 3),
    ("one embedding that adapts to different compute budgets by encoding information at several granularities",
     "Matryoshka Representation Learning", 3),
    ("editing the knowledge of a large language model quickly after training", "Fast Model Editing at Scale", 3),
    ("implanting a backdoor by poisoning only the layers that matter most in federated training",
     "Backdoor Federated Learning by Poisoning Backdoor-Critical Layers", 1),
    ("an overview of representing numbers with fewer bits so that neural network inference is efficient",
     "A Survey of Quantization Methods for Efficient Neural Network Inference", 3),
    ("generating a full 3D human head viewable from every angle", "PanoHead: Geometry-Aware 3D Full-Head Synthesis in 360$^{\\circ}$", 1),
    ("saving and resuming training state of huge models across different parallelism layouts",
     "Universal Checkpointing: Efficient and Flexible Checkpointing for Large Scale Distributed Training", 3),
    ("do two networks trained from different initialisations learn similar features?",
     "Convergent Learning: Do different neural networks learn the same representations?", 3),
    ("speeding up diffusion model sampling by reusing computation of network blocks across steps",
     "Cache Me if You Can: Accelerating Diffusion Models through Block Caching", 3),
    ("deploying billion-parameter diffusion models on mobile devices with GPU optimisations",
     "Speed Is All You Need: On-Device Acceleration of Large Diffusion Models via GPU-Aware Optimizations", 3),
    ("parallel inference of high resolution diffusion across several GPUs",
     "DistriFusion: Distributed Parallel Inference for High-Resolution Diffusion Models", 3),
    ("merging the weights of different neural networks by aligning neurons with optimal transport",
     "Model Fusion via Optimal Transport", 3),
    ("state space models applied to graph learning", "Graph Mamba: Towards Learning on Graphs with State Space Models", 3),
    ("federated learning where clients have different feature distributions, using augmentation of representations",
     "FRAug: Tackling Federated Learning with Non-IID Features via Representation Augmentation", 3),
    ("a benchmark of real-world distribution shifts across many datasets", "WILDS: A Benchmark of in-the-Wild Distribution Shifts", 3),
    ("the original idea of learning a generative model by reversing a gradual noising process from thermodynamics",
     "Deep Unsupervised Learning using Nonequilibrium Thermodynamics", 3),
    ("what PyTorch's data parallel module does to make distributed training fast",
     "PyTorch Distributed: Experiences on Accelerating Data Parallel Training", 3),
    ("can a model's uncertainty about out-of-distribution inputs come from a hierarchical variational autoencoder",
     "Hierarchical VAEs Know What They Don't Know", 3),
    ("scaling a diffusion transformer to sixteen billion parameters with mixture of experts",
     "Scaling Diffusion Transformers to 16 Billion Parameters", 3),
    ("scaling laws measured for CLIP style contrastive training with open data",
     "Reproducible scaling laws for contrastive language-image learning", 3),
    ("controlling the distributed quantum computers in a network with quantum walks",
     "A quantum walk control plane for distributed quantum computing in quantum networks", 1),
    ("word embeddings evaluated for the Turkish language", "A Comprehensive Analysis of Static Word Embeddings for Turkish", 1),
    ("estimating user satisfaction with simulated users to evaluate task-oriented dialogue systems",
     "Simulating User Satisfaction for the Evaluation of Task-oriented Dialogue Systems", 1),
    ("how do the dendrites of neurons recognise sparse patterns?",
     "How do neurons operate on sparse distributed representations? A mathematical theory of sparsity, neurons and active dendrites", 3),
]

UNRELATED = [
    "best chocolate cake recipe with buttercream frosting",
    "who won the football world cup in 1998",
    "tax deductions for self-employed plumbers",
    "symptoms of vitamin D deficiency in cats",
]


@pytest.mark.parametrize(("question", "title", "within"), PARAPHRASES, ids=[q[:40] for q, _, _ in PARAPHRASES])
def test_paraphrased_question_finds_its_paper(corpus: Surveyor, question: str, title: str, within: int) -> None:
    titles = [hit.paper.title for hit in corpus.search(question, k=within)]
    assert title in titles


@pytest.mark.parametrize("query", UNRELATED)
def test_unrelated_query_returns_nothing(corpus: Surveyor, query: str) -> None:
    assert corpus.search(query, k=5) == []


def test_results_are_grouped_per_paper_with_a_verbatim_snippet(corpus: Surveyor) -> None:
    hits = corpus.search("federated learning with non-IID clients", k=10)
    assert len(hits) == 10
    assert len({h.paper.paper_id for h in hits}) == len(hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for hit in hits:
        assert hit.snippet in hit.paper.abstract
        assert hit.chunk.paper_id == hit.paper.paper_id


def test_fact_snippet_is_the_sentence_holding_the_fact(corpus: Surveyor) -> None:
    (hit,) = corpus.search("HNeRV reconstruction quality PSNR gain and convergence speed", k=1)
    assert "+4.7 PSNR" in hit.snippet


def test_empty_query_is_a_clear_error(corpus: Surveyor) -> None:
    with pytest.raises(SurveyorError, match="empty"):
        corpus.search("   ")


def test_langchain_retriever_returns_documents(corpus: Surveyor) -> None:
    retriever = corpus.as_retriever(k=3)
    docs = retriever.invoke("how can a video be stored as a neural network?")
    assert docs and docs[0].metadata["title"] == "HNeRV: A Hybrid Neural Representation for Videos"
    assert docs[0].metadata["paper_id"] == corpus.paper("hnerv").paper_id
    assert retriever.invoke("best chocolate cake recipe with buttercream frosting") == []


def test_store_opens_as_a_langchain_chroma_vectorstore(corpus: Surveyor) -> None:
    from langchain_chroma import Chroma

    from surveyor.index.langchain import SurveyorEmbeddings

    store = corpus.store
    store.collection  # opens the client
    vectorstore = Chroma(
        client=store.client,
        collection_name=store.collection_name,
        embedding_function=SurveyorEmbeddings(corpus.embedder),
        create_collection_if_not_exists=False,
    )
    (doc,) = vectorstore.similarity_search("how can a video be stored as a neural network?", k=1)
    assert doc.metadata["paper_id"] == corpus.paper("hnerv").paper_id
