"""Verification that catches wrong claims in plausible words, not only wrong ids: a scripted model misstates
HNeRV in each way models do, and its citation is never shown as supported; faithful paraphrases are kept."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from conftest import CORPORA, llm_surveyor
from scripted_llm import Reply, ScriptedLLM, scripted_llm, source_id

from surveyor import Settings, Surveyor
from surveyor.answer.support import Support, SupportChecker
from surveyor.records import Paper
from surveyor.text.comparisons import (
    likeness_flipped,
    opposite_comparison,
    opposite_end,
    opposite_sign,
    overclaimed,
    reversed_comparison,
    reversed_ranking,
    reversed_transition,
    swapped_bearings,
    swapped_contrast,
    swapped_as,
    swapped_causes,
    swapped_clauses,
    swapped_pair,
    swapped_reference,
    swapped_relation,
    swapped_roles,
    worse_than_matched,
)
from surveyor.text.direction import contradicts_direction
from surveyor.text.numbers import misbound_quantity, missing_quantity, overcounted, quantities
from surveyor.text.polarity import flipped, only_where_also, passed_over, polarity
from surveyor.text.roles import ROLES_VERSION, own_names, roles_of, sentence_roles
from surveyor.text.sentences import split_sentences

QUESTION = "how can a video be stored as a neural network?"
WRONG = {
    "negation": "HNeRV does not outperform implicit methods in video regression for reconstruction quality",
    "negated verb": "HNeRV fails to improve reconstruction quality over implicit methods in video regression",
    "direction": "HNeRV underperforms implicit methods in video regression tasks for reconstruction quality",
    "reversed comparison": "Implicit methods outperform HNeRV in video regression tasks for reconstruction quality",
    "slower": "HNeRV converges slower than implicit methods in video regression tasks",
    "number": "HNeRV converges 9.1 times faster than implicit methods in video regression",
    "percentage": "HNeRV improves reconstruction quality by 4.7% over implicit methods",
    "background": "HNeRV reconstructs video from fixed and content-agnostic embeddings",
}
FAITHFUL = {
    "paraphrase": "HNeRV uses a learnable encoder to produce content-adaptive embeddings that feed the decoder",
    "numbers restated": "HNeRV converges sixteen-fold faster than implicit methods and gains 4.7 PSNR",
    "summary": "Compared with H.264 and H.265, HNeRV decodes faster and is easier to deploy",
    "background as background": "Implicit neural representations have been used for video compression and denoising",
    "attributed": "The authors distribute model parameters evenly across the network so that layers near the output "
    "can store high-resolution details",
}




def _verdict(corpus: Surveyor, claim: str, paper: Paper) -> Support:
    """The verifier's verdict on one claim citing one paper."""
    return corpus.checker.check([(claim, paper)])[0]


@pytest.fixture(scope="module")
def llm() -> Iterator[ScriptedLLM]:
    with scripted_llm() as server:
        yield server




@pytest.mark.parametrize("kind", sorted(WRONG))
def test_a_misstated_paper_is_never_shown_as_supporting(corpus: Surveyor, llm: ScriptedLLM, kind: str) -> None:
    """The misstatement sits beside a faithful sentence (so the answer does not abstain): its citation of
    HNeRV must come out unsupported, with the reason, in the text, the sentence and the JSON."""
    faithful = FAITHFUL["paraphrase"]
    llm.script(Reply(lambda p: f"{faithful} [{source_id(p, 'HNeRV')}]. {WRONG[kind]} [{source_id(p, 'HNeRV')}]."))
    answer = llm_surveyor(corpus.settings.store, llm).ask(QUESTION)
    first, second = answer.sentences
    assert first.citations[0].supported
    (verdict,) = second.citations
    assert not verdict.supported and verdict.reason
    (citation,) = answer.as_dict()["citations"]  # type: ignore[misc]
    assert citation["supported"] is False and citation["reason"] == verdict.reason
    assert any(w.startswith("citation [1] (hnerv) does not support") and verdict.reason in w for w in answer.warnings)


@pytest.mark.parametrize(
    ("kind", "reason"),
    [("negation", "negation"), ("negated verb", "negation"), ("direction", "direction"),
     ("reversed comparison", "direction"), ("slower", "direction"), ("number", "number 9.1 times not in the source"),
     ("percentage", "number 4.7% not in the source"), ("background", "background sentence")],
)
def test_each_kind_of_misstatement_says_why(corpus: Surveyor, kind: str, reason: str) -> None:
    verdict = corpus.check_claim(WRONG[kind], "hnerv")
    assert (verdict.supported, verdict.reason) == (False, reason)


@pytest.mark.parametrize("kind", sorted(FAITHFUL))
def test_faithful_paraphrases_stay_supported(corpus: Surveyor, kind: str) -> None:
    verdict = corpus.check_claim(FAITHFUL[kind], "hnerv")
    assert verdict.supported and verdict.reason is None and verdict.quote in corpus.paper("hnerv").abstract


def test_the_extractive_answerer_verifies_as_before(corpus: Surveyor) -> None:
    answer = corpus.ask("what PSNR gain does HNeRV get over implicit methods?")
    assert answer.citations and all(c.supported for c in answer.citations) and answer.warnings == []


def test_numbers_are_compared_by_value_and_kind() -> None:
    assert [(q.value, q.kind) for q in quantities("16times, sixteen-fold, 16x, +4.7 PSNR, 94.85%, 7B, 1,000")] == [
        (16, "x"), (16, "x"), (16, "x"), (4.7, ""), (94.85, "%"), (7e9, ""), (1000, "")]
    assert [(q.value, q.kind) for q in quantities("10-100x fewer rounds at 512x512")] == [
        (10, "x"), (100, "x"), (512, ""), (512, "")]
    assert quantities("H.264, GPT-4, F1, COCO2017, 3D, Llama-2") == []
    assert missing_quantity("about 16 times faster", "(16times faster)") is None
    assert missing_quantity("16% faster", "(16times faster)") is not None  # a multiplier is not a percentage
    assert missing_quantity("published in 2023", "no year here", allowed=(2023.0,)) is None


def test_negation_reaches_the_words_after_it() -> None:
    assert polarity("X does not need labels and achieves 90% accuracy").negated == {"need", "label"}
    assert polarity("not only fast but also accurate").negated == frozenset()
    assert polarity("without any fine-tuning or accuracy degradation").negated == {"fine-tun", "accuracy", "degradation"}
    assert polarity("a training-free method").negated == {"train"}
    # What a claim sets aside is not asserted of the paper at all.
    assert "handcraft" not in polarity("surpassing other layer pruning and handcrafted layer removal methods").terms


def test_direction_lexicon() -> None:
    assert contradicts_direction("X increases memory use", ["X reduces memory by 30% and increases throughput"])
    assert contradicts_direction("X increases throughput", ["X reduces memory by 30% and increases throughput"]) is None
    assert contradicts_direction("latency drops sharply", ["it increases latency"])
    assert contradicts_direction("the model is faster", ["the model reduces latency"]) is None  # other scales


def test_a_direction_is_judged_against_the_sentence_the_claim_rewords() -> None:
    source = ["While test error decreases as epochs increase, feature diversity drops.",
              "We propose a regularizer that increases feature diversity."]
    assert contradicts_direction("Feature diversity rises as training proceeds, as test error falls.", source)
    assert contradicts_direction("The regularizer increases feature diversity.", source) is None
    # 'towards 1 as depth grows': what moves is the probability, not depth.
    trend = ["The probability decreases towards 0 as depth increases, while increasing towards 1 as width increases."]
    assert contradicts_direction("The probability climbs towards 1 as depth increases.", trend)
    assert contradicts_direction("The probability climbs towards 1 as width increases.", trend) is None


COMPARED = "Surprisingly, language-style models consistently outperform diffusion-style models across quantization settings."


def test_comparisons_that_keep_every_word_but_say_the_opposite() -> None:
    assert reversed_comparison("Diffusion-style models consistently beat language-style ones when quantized.", COMPARED)
    assert not reversed_comparison("Language-style models beat diffusion-style models when quantized.", COMPARED)
    worse = "The sample complexity of learning from video can be exponentially worse than learning from labeled trajectories."
    assert opposite_comparison("Learning from video can be exponentially more sample-efficient than learning from "
                               "labeled trajectories.", worse)
    assert not opposite_comparison("Learning from labeled trajectories is more sample-efficient than learning from "
                                   "video.", worse)
    close = ["The networks achieve performance very close to highly engineered models such as ViT and BERT."]
    assert overclaimed("The networks clearly outperform highly engineered models such as ViT.", close)
    assert not overclaimed("The networks perform close to engineered models such as ViT.", close)
    assert not overclaimed("The networks outperform ViT.", [*close, "They also outperform ViT on small datasets."])
    unlike = ["Unlike fully homomorphic approaches that encrypt the whole graph, EE obfuscates a few representations."]
    assert likeness_flipped("Like fully homomorphic schemes, EE encrypts the whole graph.", unlike)
    assert not likeness_flipped("Unlike fully homomorphic schemes, EE obfuscates a few representations.", unlike)


def test_two_things_findings_exchanged_are_caught() -> None:
    source = [("Early layers use sparse combinations of neurons to represent many features in superposition, while "
               "middle layers have dedicated neurons for higher-level contextual features.")]
    swapped = ("Middle layers use sparse combinations of neurons to represent many features, whereas early layers "
               "have dedicated neurons for contextual features.")
    assert swapped_roles(swapped, source) == ("early", "middle")
    faithful = ("Dedicated neurons for contextual features appear in middle layers, while early layers use sparse "
                "combinations of neurons.")
    assert swapped_roles(faithful, source) is None
    # Two things the source never names in one sentence are not told apart by it; a clause after ', and' says
    # nothing of the thing named just before it.
    apart = ["An oft-cited open problem of federated learning is the existence of data heterogeneity at the clients.",
             "Also, inspired by ordered learning, we propose a novel client selection technique that benefits from the "
             "real-world disparity in the clients."]
    assert swapped_roles("Curriculum learning largely alleviates non-IIDness in federated learning, and clients benefit "
                         "more from ordered learning the more disparate their data distributions are.", apart) is None
    ocd = ["The diffusion model we employ focuses on modifying a single layer of the base model and is conditioned on "
           "the input, activations, and output of this layer.",
           "Since the diffusion model is stochastic in nature, multiple initializations generate different networks, "
           "forming an ensemble, which leads to further improvements."]
    assert swapped_roles("OCD approximates, with a denoising diffusion model, the mapping from an input sample to the "
                         "single-layer weights obtained by fine-tuning a base model on that sample, and ensembles "
                         "multiple stochastic samples for further gains.", ocd) is None


def test_a_measurement_belongs_where_the_source_says_it() -> None:
    source = ["DiMR-XL sets FID scores of 1.70 on ImageNet 256 x 256 and 2.89 on ImageNet 512 x 512."]
    assert misbound_quantity("DiMR-XL reaches 1.70 FID on ImageNet 512x512 and 2.89 on ImageNet 256x256.", source)
    assert misbound_quantity("DiMR-XL reaches 1.70 FID on ImageNet 256x256 and 2.89 on ImageNet 512x512.", source) is None
    # A count may sit in another stretch of the sentence than in the source ('in about one minute').
    counts = ["It takes one minute for a network with 1 million nodes and 5 million edges on one machine with 4 GPUs."]
    assert misbound_quantity("On 4 GPUs it embeds 1 million nodes and 5 million edges in one minute.", counts) is None


def test_negation_is_judged_clause_by_clause() -> None:
    source = ["We train diffusion models on distinct data sources and compose them at inference time.",
              "CDMs are the first method to enable selective forgetting and continual learning at scale."]
    assert flipped("Because composing models at inference mixes every source, CDMs cannot support selective "
                   "forgetting.", source)
    avoid = ["Our investigations reveal that static inference introduces redundant computation in spatial regions.",
             "We design a dynamic token strategy to avoid redundant computation at unnecessary spatial locations."]
    assert flipped("The method cuts redundant computation in spatial regions and by avoiding computation at "
                   "unnecessary spatial locations.", avoid) is None
    assert flipped("The paper argues against using a delayed-parameter embedding.",
                   ["The dynamic perspective highlights the advantage of using a delayed-parameter embedding."])
    # What follows 'rather than' or ', not' is set aside, prepositions and all.
    assert flipped("It learns the geometry differentiably rather than through a random search.",
                   ["This is achieved without requiring a random search for the geometry."]) is None
    assert flipped("The problem comes from a shift in the labels, not from a shift in the images.",
                   ["The issue is not due to a shift in the images but instead a shift in the labels."]) is None


def test_background_sentences_are_classified_once_at_ingest(corpus: Surveyor) -> None:
    paper = corpus.paper("hnerv")
    assert paper.roles == sentence_roles(paper) and paper.roles.startswith(f"{ROLES_VERSION}:")
    assert roles_of(paper).startswith("bbbc")  # the field, its limits, then "In this paper, we propose ..."


def test_a_second_opinion_can_only_make_verdicts_stricter(corpus: Surveyor, llm: ScriptedLLM) -> None:
    judged = llm_surveyor(corpus.settings.store, llm, verify="llm")
    llm.script(Reply(lambda p: "CONTRADICTED" if "Verdict:" in p else f"{FAITHFUL['paraphrase']} [{source_id(p, 'HNeRV')}]."))
    answer = judged.ask(QUESTION)
    assert answer.abstained and any("llm: contradicted" in w for w in answer.warnings)
    # A claim the offline checks reject never reaches the judge, whatever it would say.
    llm.script("SUPPORTED")
    verdict = judged.check_claim(WRONG["negation"], "hnerv")
    assert (verdict.supported, verdict.reason) == (False, "negation") and llm.requests == []
    verdict = judged.check_claim(FAITHFUL["paraphrase"], "hnerv")
    assert verdict.supported and len(llm.requests) == 1 and "<claim>" in llm.prompt()


def test_verify_llm_without_an_llm_is_one_clear_error(corpus: Surveyor) -> None:
    from surveyor import SurveyorError

    with pytest.raises(SurveyorError, match="--verify llm needs an LLM"):
        Surveyor(Settings(store=corpus.settings.store, verify="llm")).ask(QUESTION)


def test_json_of_an_answer_carries_the_reason_per_citation_and_per_sentence(corpus: Surveyor, llm: ScriptedLLM) -> None:
    llm.script(Reply(lambda p: f"{FAITHFUL['paraphrase']} [{source_id(p, 'HNeRV')}]. {WRONG['number']} "
                               f"[{source_id(p, 'HNeRV')}]."))
    data = json.loads(json.dumps(llm_surveyor(corpus.settings.store, llm).ask(QUESTION).as_dict()))
    assert [c["reason"] for s in data["sentences"] for c in s["citations"]] == [
        None, "number 9.1 times not in the source"]


def test_the_claims_file_measures_the_verifier(corpus: Surveyor) -> None:
    """corpora/claims.jsonl: 95 labelled claims over the fixture papers, every kind of misstatement and
    faithful paraphrases. The bar measured when it was written: precision 0.98, recall 0.91, kept 0.98."""

    from surveyor.claims_eval import evaluate_claims

    report = evaluate_claims(corpus, CORPORA / "claims.jsonl")
    assert len(report.claims) >= 60 and {"negation", "direction", "number", "background", "faithful"} <= set(report.by_kind)
    assert report.kept is not None and report.kept >= 0.95
    assert report.recall is not None and report.recall >= 0.9
    assert report.precision is not None and report.precision >= 0.95


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        ("Bounded Attention requires additional training of the diffusion model.",
         "We introduce Bounded Attention, a training-free method for bounding the information flow."),
        ("The scaling factor needs extra fine-tuning of the model to take effect.",
         "These improvements are achieved without additional training or fine-tuning techniques."),
        # A compound's last part says what it is: fine-tuning is tuning.
        ("TempScale requires fine-tuning to work on long inputs.",
         "The tuning-free method, called TempScale, can be plugged into multiple transformer-based embedding models."),
    ],
)
def test_requiring_what_the_source_does_without_is_a_negation(claim: str, source: str) -> None:
    assert flipped(claim, [source])
    assert not flipped(claim.replace("requires", "does not require").replace("needs", "does not need"), [source])


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        ("Decoder-only Transformers scale better than encoder-only Transformers.",
         "The encoder-only Transformers demonstrate better scalability than the decoder-only Transformers."),
        ("With CLIP guidance, GANs are shown to cover low-density sub-populations better than diffusion models.",
         "Using the CLIP model as guidance, we demonstrate that diffusion models have better coverage of "
         "low-density sub-populations than GANs."),
    ],
)
def test_a_comparison_with_its_sides_swapped_in_other_words_is_reversed(claim: str, source: str) -> None:
    assert reversed_comparison(claim, source)
    assert not reversed_comparison(source, source)


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        ("The clustered models converge more slowly than standard federated learning.",
         "We show that the models converge faster if applied in clusters than standard federated learning."),
        ("The clustered models fall short of centralized training.",
         "The clustered models outperform centralized training while using only a small subset of data."),
        ("Averaging received models speeds up convergence.",
         "This averaging approach inherently introduces a delay in model convergence."),
        # A passive comparison, a phrase, a compound and an adverb.
        ("The method is outperformed by recent latent-space optimization methods.",
         "Our method outperforms recent latent-space optimization methods."),
        ("The embeddings fall below the state-of-the-art performance on four datasets.",
         "The embeddings surpass the state-of-the-art performance on four datasets."),
        ("The model generates lower-quality heads than previous 3D GANs.",
         "The model outperforms previous 3D GANs, generating high-quality heads."),
        ("Simple features are represented more weakly than complex ones.",
         "Simple features are represented more strongly than complex ones."),
        ("TAPS introduces many more task-specific parameters.", "TAPS introduces few task-specific parameters."),
        # 'more expensive' is less efficient.
        ("Indexing on R3xS2 is computationally more expensive than indexing on the full group.",
         "R3xS2 significantly enhances computational efficiency compared to indexing on the full group."),
        # 'a large number of' is more, 'a tiny number of' fewer.
        ("Recognizing large patterns requires a neuron to use a large number of synapses.",
         "A neuron recognizes large patterns accurately even when using a tiny number of synapses."),
        # What a move does to a measure three words on, and what improving it does.
        ("Augmenting the data decreases the downstream classifier accuracy.",
         "Augmenting the data improves the downstream classifier accuracy."),
    ],
)
def test_direction_words_in_other_forms(claim: str, source: str) -> None:
    assert contradicts_direction(claim, [source])
    assert not contradicts_direction(source, [source])


def test_a_direction_word_moves_what_follows_it_up_to_the_next_one() -> None:
    source = ["The framework can boost classification performance up to 16.7%, especially for smaller datasets."]
    assert not contradicts_direction("FLEEG improves classification performance by up to 16.7%, with the largest "
                                     "benefits for smaller datasets.", source)
    assert contradicts_direction("FLEEG improves classification performance most for larger datasets.", source)
    slow = ["The sampler converges faster than gradient-based methods."]
    assert contradicts_direction("The sampler converges more slowly than gradient-based methods.", slow)


def test_a_thing_said_to_stand_alone_where_the_source_has_it_with_another() -> None:
    source = ["Previous works simply assign weights based on the dataset size.",
              "Our aggregation weights not only involve both the dataset size and the discrepancy value."]
    assert only_where_also("FedDisco assigns each client's weight based solely on its dataset size.", source[1:])
    assert not only_where_also("FedDisco weights clients by dataset size and discrepancy.", source[1:])
    assert not only_where_also("It keeps only 1x activated parameters.", ["It uses both 1x activated parameters."])
    possible = "Fine-tuning under such conditions is not only possible but also achieves better performance."
    assert not only_where_also(possible, [possible])


def test_a_count_followed_by_the_items_it_counts_is_in_the_source() -> None:
    source = "We categorize the existing studies into unveiling, understanding, and mitigating replication."
    assert missing_quantity("Studies fall into three groups: unveiling, understanding, and mitigating.", source) is None
    assert missing_quantity("Studies fall into three groups (unveiling, understanding and mitigating).", source) is None
    assert missing_quantity("Studies fall into four groups: unveiling, understanding, and mitigating.", source)
    assert missing_quantity("Studies fall into three groups.", source)


def test_a_count_before_a_list_with_asides_and_a_times_sign_glued_to_what_it_counts() -> None:
    claim = ("The survey groups work into three categories: unveiling (detecting it), understanding (its causes), "
             "and mitigating it, and also covers real-world impacts.")
    assert missing_quantity(claim, "It categorizes studies into unveiling, understanding, and mitigating.") is None
    assert missing_quantity(claim.replace("three", "four"), "unveiling, understanding, mitigating") is not None
    source = "It produces 1,025-frame videos with 1.48times lower memory cost on 8timesRTX 4090 GPUs."
    assert missing_quantity("It runs on 8 RTX 4090 GPUs with 1.48x lower memory cost.", source) is None
    assert missing_quantity("It runs on 4 RTX 4090 GPUs.", source) is not None


def test_numbers_written_with_latex_escapes_units_and_exponents() -> None:
    assert missing_quantity("It improves runtime by 16%.", "a 16\\% improvement in runtime") is None
    assert missing_quantity("A Llama 7B compressed down to 4Go.", "a Llama 7B can be compressed down to 2Go") is not None
    assert missing_quantity("It needs Omega(k^2 d) samples.", "compared to Omega(k^2d) samples") is None
    assert [q.written for q in quantities("16GB of memory, a 3D model, GPT-4")] == ["16"]


@pytest.mark.parametrize(
    ("abstract", "roles"),
    [
        ("Gradient Coding (GC), introduced by Tandon et al., uses error-correcting codes. We propose two schemes that "
         "improve on GC. Our second scheme applies GC to a subset of the tasks.", "bcc"),
        # A sentence about the method credited to others, where the authors do not speak, is about it.
        # 'To date, X has been considered only ...': others' work; 'etc. Existing works ...' opens a sentence.
        ("We study networks that respect symmetries. To date, however, equivariance has been considered only for "
         "static transformations. In this work, we extend equivariant network theory to flows.", "cbc"),
        ("This work presents a perspective on fairness with respect to attributes such as gender, race, etc. Existing "
         "works often focus on either global fairness or local fairness. We derive limits on their trade-off.", "cbc"),
        ("Gradient Coding (GC), introduced by Tandon et al., uses error-correcting codes. In this paper, we consider "
         "a sequence of gradients. For the GC scheme, coding is only across computing nodes. We propose two schemes "
         "that improve on GC.", "bcbc"),
        ("Combining distributions, which we term sub-posteriors, is a common challenge. Recently, a Fusion approach has "
         "been proposed which finds an exact approximation. In this paper, we generalise the theory of Fusion.", "bbc"),
    ],
)
def test_sentences_crediting_others_are_background(abstract: str, roles: str) -> None:
    assert roles_of(Paper("p", "p", "A Paper", abstract)) == roles


@pytest.mark.parametrize(
    ("abstract", "roles"),
    [
        # A verb that sounds like the authors' ('introduces') in a sentence about existing methods.
        ("Federated learning on graphs enables collaborative training. However, existing methods often overlook the "
         "mutable nature of graph data, which frequently introduces new nodes. In contrast, our proposed method, "
         "FedLoG, mitigates local overfitting.", "bbc"),
        # A sentence going on about what the authors just described is theirs, whatever it compares with.
        ("Most diffusion models are limited to single-generation modeling. In the reverse process, we share a "
         "backbone. Such a structure learns with a bound that generalizes the standard diffusion model.", "bcc"),
        # ... but not one that turns back to prior work ('These techniques, however, ...').
        ("Identifying out-of-distribution (OOD) data is critical. Other methods employ OOD samples. These techniques, "
         "however, are typically dependent on outlier samples. We introduce FlowCon, a new density-based OOD "
         "detection technique.", "bbbc"),
        # The authors observing what existing methods do speak of those methods.
        ("Generative models synthesize INRs. We observed that the existing methods generate the weights of networks "
         "with fixed positional embeddings. We propose DDMI that generates adaptive positional embeddings.", "bbc"),
        # A survey speaks of its own content as 'this ... survey'.
        ("Popular approaches use ensembling. This comprehensive and extensive survey familiarizes the reader with "
         "evidential models. Furthermore, they allow uncertainty estimation in a single forward pass. We also reflect "
         "on their strengths.", "bccc"),
        # 'In this framework, ...' right after a sentence on the message-passing framework is about that one.
        ("Graph neural networks are based on the message-passing framework. In this framework, information "
         "communication is realized only between neighboring nodes. We propose TIDE, a time-derivative diffusion "
         "that learns long-distance communication. In this framework, we also add a local message-passing step.",
         "bbcc"),
        # ... but 'In this work' after 'Recent work ...' is the paper speaking of itself.
        ("Recent work trains diffusion models at scale. In this work, a sparse diffusion transformer is presented.",
         "bc"),
        # A result measured against previous methods is the paper's own.
        ("Timing prediction is studied for chip design. We propose a two-stage approach. Experiments on 21 circuits "
         "achieve an R2 of 0.93, which surpasses 0.59 by previous SOTA method.", "bcc"),
        # 'This approach, however, ...' before the authors speak of their own: the limits of the one described.
        ("Knowledge Distillation has recently emerged to tackle this issue. This approach, however, depends on a "
         "proxy dataset. We propose a data-free knowledge distillation approach.", "bbc"),
        # Subspaces 'common to multiple networks' are shared by them, not a common practice.
        ("Recent success has prompted the study of learned features. In this paper we study convergent learning. The "
         "insights include that while these subspaces are common to multiple networks, the basis vectors are not.",
         "bcc"),
    ],
)
def test_sentences_about_prior_work_and_about_the_authors_own(abstract: str, roles: str) -> None:
    assert roles_of(Paper("p", "p", "A Paper", abstract)) == roles


def test_a_paper_is_known_by_the_name_it_spells_out_and_not_by_the_fields_acronyms() -> None:
    paper = Paper("p", "p", "Encrypted Inference", "Private inference on untrusted hardware is needed. In this work, "
                  "we introduce Equivariant Encryption (EE), a novel paradigm for blind inference.")
    assert "Equivariant Encryption" in own_names(paper)
    ood = Paper("q", "q", "A Detector", "Identifying out-of-distribution (OOD) data is critical. We also demonstrate "
                "the robustness of the proposed method under various OOD contexts.")
    assert "OOD" not in own_names(ood)
    spelled = Paper("r", "r", "A Method", "Training needs fast links. We propose DIstributed PAth COmposition (DiPaCo), "
                    "a co-designed modular architecture.")
    assert "DiPaCo" in own_names(spelled) and "DIstributed" not in own_names(spelled)
    measured = Paper("s", "s", "Skip-Tuning: A Study", "Diffusion models generate images. We propose Skip-Tuning, "
                     "which improves the FID of DDPM samplers.")
    assert own_names(measured)[0] == "Skip-Tuning" and not {"FID", "DDPM"} & set(own_names(measured))


def test_a_claim_naming_the_paper_is_held_to_its_own_sentences_and_a_survey_is_the_paper(corpus: Surveyor) -> None:
    fedloge = Paper("p", "p", "FedLoGe: Joint Local and Generic Federated Learning",
                    "In federated long-tailed learning, existing works have predominantly centered on addressing the data "
                    "imbalance issue to enhance the generic global model while neglecting the performance at the local "
                    "level. This paper introduces an approach termed FedLoGe, which enhances both local and generic "
                    "model performance.")
    verdict = _verdict(corpus, "FedLoGe concentrates on tackling data imbalance to boost the generic global "
                               "model, leaving local-level performance aside.", fedloge)
    assert verdict.reason == "negation", verdict
    survey = Paper("s", "s", "A Survey on Evidential Deep Learning",
                   "Popular approaches for quantifying uncertainty involve ensembling or Monte Carlo dropout. These "
                   "techniques incur overhead by training multiple model instances. This survey familiarizes the reader "
                   "with evidential models that estimate uncertainty in a single forward pass.")
    verdict = _verdict(corpus, "The survey introduces an uncertainty estimation technique that ensembles "
                               "multiple model instances trained with Monte Carlo dropout.", survey)
    assert verdict.reason == "background sentence", verdict


def test_what_the_paper_is_contrasted_with_or_prior_knowledge_is_not_its_own(corpus: Surveyor) -> None:
    ee = Paper("e", "e", "Encrypted Large Model Inference: The Equivariant Encryption Paradigm",
               "Traditional techniques like homomorphic encryption incur substantial computational overhead. In this "
               "work, we introduce Equivariant Encryption (EE), a paradigm for blind inference. Unlike fully "
               "homomorphic approaches that encrypt the entire computational graph, EE selectively obfuscates "
               "critical internal representations.")
    verdict = _verdict(corpus, "Equivariant Encryption secures inference by homomorphically encrypting the "
                               "entire computational graph of the network.", ee)
    assert verdict.reason == "background sentence", verdict
    kept = _verdict(corpus, "Unlike fully homomorphic approaches, EE selectively obfuscates critical internal "
                            "representations.", ee)
    assert kept.supported, kept
    fusion = Paper("f", "f", "Divide-and-Conquer Fusion",
                   "Many existing approaches approximate the individual sub-posteriors, then find an analytical "
                   "approximation of the product-pooled posterior. In this paper, we generalise the theory of Fusion "
                   "within a recursive divide-and-conquer sequential Monte Carlo paradigm.")
    verdict = _verdict(corpus, "Divide-and-Conquer Fusion approximates each sub-posterior individually and then "
                               "computes an analytical approximation of the product-pooled posterior.", fusion)
    assert verdict.reason == "background sentence", verdict
    adapt = Paper("a", "a", "AdaptDHM: Adaptive Distribution Hierarchical Model",
                  "To reduce computational complexity, manually grouping domains with particular business strategies "
                  "is common in industrial applications. This pre-defined partitioning relies on prior knowledge. We "
                  "propose AdaptDHM, which routes each sample to a cluster instead of introducing prior knowledge.")
    verdict = _verdict(corpus, "To reduce computational complexity, AdaptDHM manually groups domains that share "
                               "particular business strategies using prior knowledge.", adapt)
    assert verdict.reason == "background sentence", verdict
    # 'The approach ...' is the paper's; 'targets such as pixels' are things, not a problem the claim targets.
    sigma = Paper("s", "s", "SIGMA: Sinkhorn-Guided Masked Video Modeling",
                  "Recently, masked video modeling methods have shown promising scalability, yet fall short in capturing "
                  "higher-level semantics due to reconstructing predefined low-level targets such as pixels. To tackle "
                  "this, we present Sinkhorn-guided Masked Video Modelling (SIGMA), a novel video pretraining method "
                  "that jointly learns the video model in addition to a target feature space using a projection network.")
    for claim in ("SIGMA pretrains video models by reconstructing predefined low-level targets such as pixels.",
                  "The approach captures higher-level semantics by reconstructing predefined low-level targets."):
        verdict = _verdict(corpus, claim, sigma)
        assert verdict.reason == "background sentence", (claim, verdict)
    kept = _verdict(corpus, "The approach jointly learns the video model and a target feature space with a projection "
                            "network.", sigma)
    assert kept.supported, kept
    # What the authors say they introduce names the paper's own thing, in lower case too.
    wdm = Paper("w", "w", "Wasserstein Dependency Measure for Representation Learning",
                "Mutual information maximization has emerged as a powerful learning objective. However, such approaches "
                "are fundamentally limited since a tight lower bound of mutual information requires sample size "
                "exponential in the mutual information. To mitigate these problems we introduce the Wasserstein "
                "dependency measure, which learns more complete representations by using the Wasserstein distance.")
    verdict = _verdict(corpus, "The Wasserstein dependency measure requires a sample size exponential in the mutual "
                               "information to obtain a tight lower bound.", wdm)
    assert verdict.reason == "background sentence", verdict
    # What the claim sets aside as the paper's own sentence does is not taken from the background sentence.
    ib = Paper("i", "i", "Cauchy-Schwarz Divergence Information Bottleneck for Regression",
               "The mutual information is mostly expressed with the KL divergence, which in the regression case "
               "corresponds to prediction based on MSE loss and compression approximated by variational inference. "
               "We develop a new way to parameterize the IB with deep neural networks by exploiting properties of "
               "the Cauchy-Schwarz (CS) divergence. By doing so, we move away from MSE-based regression and ease "
               "estimation by avoiding variational approximations or distributional assumptions.")
    kept = _verdict(corpus, "CS-IB parameterizes the IB with the Cauchy-Schwarz divergence, moving away from MSE-based "
                            "regression and avoiding variational approximations or distributional assumptions.", ib)
    assert kept.reason is None or kept.reason.startswith("weak support"), kept  # (no vectors for a paper not stored)


def test_a_background_sentence_quoted_as_the_abstract_says_it_is_supported(corpus: Surveyor) -> None:
    paper = Paper("p", "p", "Every Parameter Matters", "Recent efforts extract reduced-size models from the global "
                  "model. Despite the empirical success, general theoretical guarantees of convergence on this method "
                  "remain an open question. This paper presents a unifying framework with a convergence analysis.")
    quoted = _verdict(corpus, "Despite the empirical success, general theoretical guarantees of convergence on "
                              "this method remain an open question.", paper)
    assert quoted.supported, quoted
    claimed = _verdict(corpus, "The authors show that general theoretical guarantees of convergence on this "
                               "method remain an open question.", paper)
    assert claimed.reason == "background sentence", claimed


@pytest.mark.parametrize(
    ("claim", "source", "negation"),
    [
        # The list a negation reaches ('without X, Y, or Z'), said with 'no' each time: faithful.
        ("It ranks with no central aggregation of data, no feature engineering and no model training.",
         "Results can be achieved without any centralized data aggregation, feature engineering, or model training.",
         False),
        ("It estimates the risks to avoid O(N^2) communication.",
         "To avoid massive (O(N^2)) communication overhead, each client's risk is estimated.", False),  # read through ()
        ("Without fine-tuning, the model reaches high accuracy.", "The model reaches high accuracy.", False),
        ("Integrating it comes at the cost of losing the memory efficiency.",
         "The integration brings benefits while preserving the memory efficiency.", True),
        ("The best competing method loses 8.2% in PickScore.", "The best competing method shows a 8.2% decline.", False),
        ("The protocol falls well short of matching the accuracy of central DP.",
         "A protocol with accuracy essentially matching central DP.", True),
    ],
)
def test_negations_in_lists_parentheses_and_verbs_of_losing(claim: str, source: str, negation: bool) -> None:
    assert bool(flipped(claim, [source])) is negation


@pytest.mark.parametrize(
    ("claim", "source", "contradicts"),
    [
        ("MTSL makes multi-task models less robust to out-of-distribution data.",
         "MTSL achieves competitive generalization and improves robustness to out-of-distribution data.", True),
        ("Substituting CT consistently lowers performance across benchmarks.",
         "Substituting CT is shown to consistently improve the performance across benchmarks.", True),
        ("The method yields higher error on long sequences.", "The method reduces error on long sequences.", True),
        ("It reduces the performance gap to the teacher.", "It improves the performance of the student.", False),
        ("It reduces accuracy loss under pruning.", "It keeps accuracy loss small under pruning.", False),
    ],
)
def test_a_move_for_the_worse_contradicts_one_for_the_better_in_other_words(
    claim: str, source: str, contradicts: bool
) -> None:
    assert bool(contradicts_direction(claim, [source])) is contradicts


def test_a_claim_about_the_proposed_anything_is_about_the_paper(corpus: Surveyor) -> None:
    paper = corpus.paper("featureshiftdetection")
    citation = corpus.check_claim("The proposed conditional distribution tests can flag that a shift has occurred but "
                                  "cannot pinpoint which specific features caused it.", paper.paper_id)
    assert not citation.supported and citation.reason == "background sentence", citation


def test_the_whole_claimed_for_a_part_is_a_wrong_number() -> None:
    source = "The proposed solution surpasses SOTA performance on four of the five TC datasets."
    assert overcounted("It outperformed the state of the art on all five traffic classification datasets.", source)
    assert not overcounted("It outperformed the state of the art on four of the five datasets.", source)
    assert not overcounted("It wins on all 5 datasets.", "It wins on 5 datasets.")


def test_a_paper_named_as_our_approach_is_known_by_that_name() -> None:
    paper = Paper("p", "p", "Graph Metanetworks for Processing Diverse Neural Architectures",
                  "Earlier works developed architectures tailored to MLPs. Our approach, Graph Metanetworks (GMNs), "
                  "generalizes to neural architectures where competing methods struggle.")
    assert {"GMNs", "Graph Metanetworks"} <= set(own_names(paper))


@pytest.mark.parametrize(
    ("claim", "source", "negation"),
    [
        # 'without labels on X' is missing the labels, not X; 'unlabeled' says the same.
        ("The encoder is pre-trained without labels on plentiful traffic logs.",
         "We pre-train the encoder on plentiful unlabeled traffic logs.", False),
        ("The encoder is pre-trained without plentiful traffic logs.",
         "We pre-train the encoder on plentiful unlabeled traffic logs.", True),
        # 'not the only way' hedges: the claim still says it is a way.
        ("Pruning is one way, though not the only one, to cut latency.",
         "We show that pruning is one way to cut latency, although not the only way.", False),
        # 'balancing' against 'balances' is the same word, whatever 'unbalanced' says elsewhere.
        ("It solves an alignment problem and balancing the layer counts before fusion.",
         "The alignment problem is an unbalanced assignment problem. The method balances the layer counts before "
         "fusion.", False),
        # What a denial is said of, said plainly in another sentence, is not denied ('challenges the belief
        # that decentralized learning generalizes poorly' denies the poor generalization).
        ("This work is about decentralized learning.",
         "We show that low communication in decentralized learning preserves mergeability. This work challenges "
         "the belief that decentralized learning generalizes poorly", False),
        ("Decentralized learning generalizes poorly.",
         "We show that low communication in decentralized learning preserves mergeability. This work challenges "
         "the belief that decentralized learning generalizes poorly", True),
        # 'no gains on X' denies the gains on X; a short clause after 'but' is held to the sentence it rewords,
        # unless the source sets its thing aside elsewhere.
        ("The channel configuration yields no gains on transfer learning tasks.",
         "The channel configuration achieves remarkable performance on transfer learning tasks", True),
        ("DTR improves the quality of diffusion models but does not accelerate convergence during training.",
         "We present DTR, an add-on strategy for diffusion model architectures. DTR enhances the performance of "
         "diffusion models. DTR contributes to accelerating convergence during training", True),
        ("Success comes from constructing the similarity matrix, not from the dimension reduction technique.",
         "Methods construct a similarity matrix and then apply dimension reduction techniques. Success comes from "
         "the construction of the similarity matrix, rather than the dimension reduction method", False),
        # 'to avoid X' says what 'addresses X' says; 'does not address X' does not.
        ("A tri-grid representation is used to avoid front-face and back-head entanglement.",
         "We introduce a tri-grid representation that addresses front-face and back-head feature entanglement", False),
        ("The tri-grid representation does not address front-face and back-head entanglement.",
         "We introduce a tri-grid representation that addresses front-face and back-head feature entanglement", True),
        # 'fall short in' denies as 'fail to' does.
        ("Traditional Transformers fail to exploit long-range dependencies.",
         "Traditional Transformer models fall short in taking advantage of long-range dependencies", False),
        # A claim denying what another sentence asserts in full, with more of its words.
        ("The proposed distributed private Bayesian regression methods offer no computational advantage over their "
         "competitors.",
         "We propose a novel Bayesian inference framework for distributed differentially private linear regression. "
         "We consider a distributed setting where multiple parties hold parts of the data. The proposed methods have "
         "computational advantages over their competitors", True),
        # Failures blamed on something are no failure to do it.
        ("The authors attribute multi-subject failures to semantic leakage in attention layers.",
         "The primary issue stems from semantic leakage between subjects. This leakage is attributed to the "
         "attention layers", False),
        # 'leaving X aside' neglects X.
        ("FedLoGe boosts the generic global model, leaving local-level performance aside.",
         "FedLoGe enhances both local-level and generic model performance", True),
        # Fine-tuning is training, and a requirement after a clause that denies something else is still one.
        ("The method is not training-free: it requires additional fine-tuning of the distilled model.",
         "The method restores diversity, all without requiring additional training or model modification", True),
        # 'only after X' requires X.
        ("The scaling factor only works after fine-tuning the model at each resolution.",
         "We propose a scaling factor for each resolution. These improvements are achieved without additional "
         "training or fine-tuning", True),
    ],
)
def test_what_a_negation_reaches_and_negative_prefixes(claim: str, source: str, negation: bool) -> None:
    sentences = source.split(". ")
    assert bool(flipped(claim, sentences)) is negation


def test_ranges_and_halves_are_numbers_and_acronyms_carry_their_words() -> None:
    assert missing_quantity("images at 0.3 to 1 meter resolution", "a resolution between 0.3-1 meters") is None
    assert missing_quantity("images at 0.3 to 2 meter resolution", "a resolution between 0.3-1 meters") is not None
    assert missing_quantity("up to two and a half times faster", "up to 2.5x faster") is None
    assert missing_quantity("up to two and a half times faster", "up to 2x faster") is not None
    assert [q.written for q in quantities("GPT-4 in 2019-2021")] == ["2019", "2021"]
    source = ["It reaches 2.20% equal error rate (EER) with 204M multiply-accumulate operations (MACs), "
              "1.41% EER with 571M MACs"]
    assert misbound_quantity("With 571M multiply-accumulate operations it reaches a 1.41% equal error rate.", source) is None


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        # The sides swapped behind shared context ('Experiments on X suggest that').
        ("Experiments on the benchmark suggest that handcrafted features outperform learned embeddings.",
         "Experiments conducted on the benchmark suggest that learned embeddings outperform handcrafted features."),
    ],
)
def test_a_comparison_swapped_behind_shared_context_is_reversed(claim: str, source: str) -> None:
    assert reversed_comparison(claim, source)
    assert not reversed_comparison(source, source)


def test_positions_and_bearings_exchanged_are_caught() -> None:
    source = ["The heads perform in the first layers mostly global averaging and in higher layers local averaging "
              "via sparse states."]
    assert swapped_roles("Early layers perform local averaging via sparse states while deeper layers perform "
                         "mostly global averaging.", source)
    assert not swapped_roles("Early layers perform global averaging while deeper layers perform local averaging "
                             "via sparse states.", source)
    moving = ["After the transition the regions migrate away from the training points and towards the boundary."]
    assert swapped_bearings("The regions move toward the training points and away from the boundary.", moving)
    assert not swapped_bearings("The regions move away from the training points, toward the boundary.", moving)
    # A bearing set aside ('rather than settling toward') heads the other way.
    tending = ["Predictions tend towards a constant value as inputs become increasingly OOD."]
    assert swapped_bearings("Predictions drift away from the constant solution rather than settling toward any "
                            "constant value.", tending)
    assert not swapped_bearings("Predictions settle toward a constant value rather than drifting away from it.",
                                tending)


def test_lengthening_contradicts_reducing_and_weaker_contradicts_greater() -> None:
    assert contradicts_direction("Adding layers lengthens training time.",
                                 ["Adding layers dramatically reduces the training time."])
    assert contradicts_direction("Sheaf models have weaker control over the dynamics than GNNs.",
                                 ["Sheaf models have greater control over the dynamics than GNNs."])


def test_what_prior_work_says_is_not_the_papers_finding(corpus: Surveyor) -> None:
    paper = Paper("p", "p", "Uncertainty Explains Adversarial Examples",
                  "Many classifiers are vulnerable to adversarial examples. In attempting to explain the origin of "
                  "adversarial examples, previous studies have focused on the fact that neural networks overfit, or "
                  "they are too linear. Here we argue that the origin of adversarial examples is primarily the "
                  "uncertainty neural networks have. This holds for linear models and deep networks alike.")
    verdict = _verdict(corpus, "This paper shows that adversarial examples arise because neural networks are too "
                               "linear.", paper)
    assert verdict.reason == "background sentence", verdict
    # An adverb the paper's own sentence lends the claim does not make the background's particulars the paper's.
    lent = _verdict(corpus, "The authors attribute the origin of adversarial examples primarily to neural networks "
                            "overfitting and being too linear.", paper)
    assert lent.reason == "background sentence", lent
    own = _verdict(corpus, "The authors argue that the origin of adversarial examples is the uncertainty neural "
                           "networks have.", paper)
    assert own.supported, own


def test_a_denial_said_of_the_same_thing_in_other_words_agrees() -> None:
    source = ["Network architecture search might choose where the downsampling layers go.",
              "However, we find that common one-shot NAS based on a single SuperNet does not work for this problem.",
              "A SuperNet trained to find the best downsampling configuration shares its weights among all of them."]
    claim = "A single one-shot SuperNet fails at choosing downsampling configurations."
    assert not flipped(claim, source)
    assert flipped("The SuperNet does not share its weights among all downsampling configurations.", source)
    # 'cannot X without Y' requires Y: against 'X without Y' it is still a flip.
    done = ["We are the first to achieve low-bit quantization of diffusion models without requiring fine-tuning."]
    assert flipped("It cannot achieve low-bit quantization of diffusion models without fine-tuning.", done)


@pytest.mark.parametrize(
    ("claim", "source", "negation"),
    [
        # 'drops X' removes X; 'drops by 2%' moves.
        ("The method drops normalization layers altogether.", "The method keeps normalization layers.", True),
        ("Accuracy drops by 2% on the held-out set.", "Accuracy on the held-out set is 2% lower.", False),
        # 'almost no overhead' is 'near-zero overhead', not a denial of it.
        ("It runs with almost no performance overhead.", "It runs with near-zero performance overhead.", False),
        # 'challenge this belief that X' says not X.
        ("The paper shows that spraying packets is necessary.",
         "We challenge this prevailing belief that spraying packets is necessary.", True),
    ],
)
def test_removal_verbs_near_denials_and_challenged_beliefs(claim: str, source: str, negation: bool) -> None:
    assert bool(flipped(claim, [source])) is negation


def test_an_approximate_number_meets_the_source_within_a_tenth() -> None:
    assert missing_quantity("It improves the score nearly six-fold.", "It improves the score by 5.9x.") is None
    assert missing_quantity("It improves the score six-fold.", "It improves the score by 5.9x.") is not None
    assert missing_quantity("It improves the score nearly eight-fold.", "It improves the score by 5.9x.") is not None


def test_what_the_authors_argue_is_a_claim_about_the_paper(corpus: Surveyor) -> None:
    paper = Paper("p", "p", "Rethinking Packet Spraying",
                  "Training is bottlenecked by the network. Industry players agreed that packet spraying is necessary "
                  "to improve the performance of distributed training. In this paper, we challenge this belief. We "
                  "show that singlepath transport performs nearly as well as packet spraying for distributed training.")
    verdict = _verdict(corpus, "The authors argue that packet spraying is necessary to improve the performance "
                               "of distributed training.", paper)
    assert not verdict.supported and verdict.reason in ("background sentence", "negation"), verdict


def test_what_a_claim_says_is_eliminated_passively_is_read_as_the_background_sentence(corpus: Surveyor) -> None:
    paper = Paper("p", "p", "Deep Kernel Machines",
                  "Modern deep learning builds good high-level representations. However, standard theoretical "
                  "approaches (formally NNGPs) involving infinite width limits eliminate representation learning. We "
                  "therefore develop a new infinite width limit, the Bayesian representation learning limit, that "
                  "exhibits representation learning, yet retains some of the simplicity of standard infinite-width "
                  "limits.")
    verdict = _verdict(corpus, "The paper adopts the standard NNGP infinite-width limit, under which representation "
                               "learning is eliminated.", paper)
    assert not verdict.supported and verdict.reason in ("background sentence", "negation"), verdict
    assert polarity("the noise is removed by the filter").negated == {"noise"}


@pytest.mark.parametrize(
    ("claim", "abstract", "background"),
    [
        # What the paper does rather than, or instead of: not what it does.
        ("Starbucks samples a random sub-layer and sub-dimension at each training step during fine-tuning.",
         "We propose Starbucks, a new training strategy for Matryoshka-like embedding models. For the fine-tuning "
         "phase, we discover that, rather than sampling a random sub-layer and sub-dimensions for each training steps, "
         "providing a fixed list of layer-dimension pairs and computing the loss across all pairs improves them.", True),
        ("The Wasserstein dependency measure replaces the KL divergence with the Wasserstein distance inside the "
         "mutual information estimator.",
         "Mutual information maximization is a powerful learning objective. We introduce the Wasserstein dependency "
         "measure, which learns more complete representations by using the Wasserstein distance instead of the KL "
         "divergence in the mutual information estimator.", False),
        # 'handcrafted layer removal methods to obtain smaller U-Nets': the removal denies nothing after it.
        ("LAPTOP-Diff obtains smaller U-Nets by handcrafting which layers to remove.",
         "In compressing Stable Diffusion models, several approaches have been proposed, and most of them leveraged "
         "the handcrafted layer removal methods to obtain smaller U-Nets. To this end, we proposed layer pruning and "
         "normalized distillation for compressing diffusion models (LAPTOP-Diff). We introduced a layer pruning "
         "method to compress the U-Net automatically.", True),
    ],
)
def test_what_the_paper_sets_aside_is_not_its_own(corpus: Surveyor, claim: str, abstract: str, background: bool) -> None:
    verdict = _verdict(corpus, claim, Paper("p", "p", claim.split()[0] + ": A Paper", abstract))
    assert (verdict.reason == "background sentence") is background, verdict


def test_denying_the_opposite_of_what_the_source_denies_is_a_flip() -> None:
    source = ["We find that medical imaging models do not differ in their filter distributions from models of "
              "other domains."]
    assert flipped("Medical imaging models do not share the filter distributions of models from other domains.", source)
    assert not flipped("Medical imaging models do not differ in their filter distributions from other domains.", source)


@pytest.mark.parametrize(
    ("claim", "source", "negation"),
    [
        # Two denials in a row affirm: 'without sacrificing quality' keeps the quality.
        ("Self-conditioning raises both the generation quality and the recognition accuracy.",
         "Self-conditioning integrates discriminative techniques into diffusion models without sacrificing "
         "generation quality.", False),
        ("Self-conditioning sacrifices generation quality.",
         "Self-conditioning integrates discriminative techniques without sacrificing generation quality.", True),
        # A denial the source makes in another of its sentences agrees ('without attributes').
        ("IRWE supports inductive inference without requiring node attributes.",
         "We explore joint inductive inference of embeddings without attributes. Random walk statistics characterize "
         "node identities while supporting the inductive embedding inference.", False),
    ],
)
def test_double_denials_and_denials_made_elsewhere(claim: str, source: str, negation: bool) -> None:
    assert bool(flipped(claim, source.split(". "))) is negation


@pytest.mark.parametrize(
    ("claim", "source", "negation"),
    [
        # How much is lost is no denial: 'losing only 0.02'.
        ("CacheQuant reaches a 5.18x speedup while losing only 0.02 in CLIP score.",
         "CacheQuant achieves a 5.18 speedup for Stable Diffusion on MS-COCO, with only a 0.02 loss in CLIP score.",
         False),
        ("CacheQuant reaches a 5.18x speedup while losing the CLIP score.",
         "CacheQuant achieves a 5.18 speedup for Stable Diffusion with no loss in CLIP score.", True),
        # What a study asks 'if' or 'whether' of it does not deny.
        ("DUMB studies whether evasion attacks still transfer when surrogate and victim models differ.",
         "This framework allows analyzing if evasion attacks fail to transfer when the training conditions of "
         "surrogate and victim models differ.", False),
        ("DUMB shows that evasion attacks fail to transfer when surrogate and victim models differ.",
         "DUMB shows that evasion attacks transfer when the training conditions of surrogate and victim models "
         "differ.", True),
        # What a verb of doing away does it by is not done away with.
        ("SIGMA avoids collapse by distributing space-time tube features evenly over learnable clusters.",
         "As a solution, we distribute features of space-time tubes evenly across a limited number of learnable "
         "clusters.", False),
        ("SIGMA avoids distributing space-time tube features over learnable clusters.",
         "As a solution, we distribute features of space-time tubes evenly across a limited number of learnable "
         "clusters.", True),
        # A claim making the source's own denial asserts none of its words ('do not differ significantly').
        ("The study finds that the spiky filter distributions seen in medical imaging models stem from specific "
         "processing in some architectures, and that with standardized architectures medical models do not differ "
         "significantly from models trained on other domains.",
         "We show that instead of fundamental differences, the outliers are due to specific processing in some "
         "architectures. Quite the contrary, for standardized architectures, we find that models trained on medical "
         "data do not significantly differ in their filter distributions from similar architectures trained on data "
         "from other domains.", False),
        # What is traded away or abstracted is not kept.
        ("Flag Aggregator trades away some robustness of Byzantine resilient aggregators for communication efficiency.",
         "Our approach significantly enhances the robustness of state-of-the-art Byzantine resilient aggregators.",
         True),
        ("The protocol is designed around a specific hardware implementation.",
         "The protocol logically captures distributed quantum computing, abstracting hardware implementation and "
         "the transmission of quantum information through channels.", True),
        # What 'without relying on' reaches is what the source does without.
        ("The framework scales to 1024x1024 image generation without relying on a latent hierarchy or multi-stage "
         "refinement.", "The framework can be scaled to 1024 times 1024 image generation without resorting to latent "
         "hierarchy or multi-stage refinements.", False),
        # ', and fall back onto a prior' after a denial's first item: a clause of its own.
        ("Evidential models estimate uncertainty in a single forward pass, falling back on a prior for unfamiliar "
         "data.", "For unfamiliar data, they aim to admit \"what they don't know\", and fall back onto a prior "
         "belief. They allow uncertainty estimation in a single model and forward pass.", False),
        # One of two opposites where the source says the other of the same things.
        ("The networks produced by the diffusion model behave identically to the trained networks.",
         "Our diffusion process generates models of comparable performance over trained networks. Notably, we "
         "empirically find that the generated models perform differently with the trained networks.", True),
        ("The generated models behave differently from the trained networks.",
         "Our diffusion process generates models of comparable performance over trained networks. Notably, we "
         "empirically find that the generated models perform differently with the trained networks.", False),
        # 'regardless of how many samples' where the source has it depend on the amount of data.
        ("Under imbalanced data, the features converge to vectors of equal length regardless of how many samples each "
         "class has.", "Our results demonstrate the convergence of the features to orthogonal vectors, whose lengths "
         "depend on the amount of data in their corresponding classes.", True),
        ("The method works regardless of how many samples each class has.",
         "The method works irrespective of how many samples each class has.", False),
        # ', they control ...' after a denial: a clause with a subject of its own.
        ("Rather than adding expressive power, normalization curbs local overfitting on heavily skewed client datasets.",
         "Although LN and FN do not improve expressive power, they control feature collapse and local overfitting to "
         "heavily skewed datasets.", False),
        # 'rather than on architecture, dataset or training protocol': the whole list is set aside.
        ("The uncertainty depends only on the statistics of the logit differences rather than on architecture, dataset "
         "or training protocol.", "We show that the functional form of this uncertainty is independent of "
         "architecture, dataset, and training protocol; and depends only on the statistics of the logit differences.",
         False),
        # What the claim avoids, the source calls a cost.
        ("To avoid computing per-task losses or gradients for many denoising tasks, the authors group timesteps into "
         "clusters.", "A huge number of denoising tasks makes it computationally expensive to calculate the necessary "
         "per-task loss or gradient. We propose clustering the denoising tasks into small task clusters.", False),
        # 'without the need for any model compression' denies the compression.
        ("At inference, DiPaCo only needs to run a single path for each input, with no model compression required.",
         "At inference time, only a single path needs to be executed for each input, without the need for any model "
         "compression.", False),
        # 'when peers fail or join' is an event, not a denial of joining.
        ("PCCL cannot tolerate peers joining or failing during an ongoing collective operation.",
         "The library provides robust fault tolerance mechanisms that allow the system to continue operating even "
         "when peers fail or join during ongoing operations.", True),
        # 'jointly' where the source has them 'independent, standalone'.
        ("The pipeline relies on jointly training the 2D diffusion model and the 3D neural radiance field.",
         "We explore pretrained 2D diffusion models and standard 3D neural radiance fields as independent, standalone "
         "tools and demonstrate their ability to work together in a non-learned fashion.", True),
        ("The pipeline uses the 2D diffusion model and the 3D neural radiance field as independent tools.",
         "We explore pretrained 2D diffusion models and standard 3D neural radiance fields as independent, standalone "
         "tools and demonstrate their ability to work together in a non-learned fashion.", False),
        # What the source says does not hold of every one of a kind, the claim says of any.
        ("The authors show that any distribution for sampling the hidden weights suffices for a universal approximator.",
         "Two messages are offered: (i) Not any distribution for selecting random weights is feasible to build a "
         "universal approximator; (ii) A suitable assignment of random weights exists.", True),
        ("The method quantizes all layers to 4 bits.",
         "Not all layers are equally sensitive. The method quantizes all layers to 4 bits.", False),
        ("The authors show that not every distribution for sampling the hidden weights suffices.",
         "Two messages are offered: (i) Not any distribution for selecting random weights is feasible to build a "
         "universal approximator; (ii) A suitable assignment of random weights exists.", False),
        # A negating prefix agrees wherever the source has it ('non-Byzantine').
        ("Without Byzantine attackers, Bristle reaches 90% accuracy using 83% fewer iterations than other methods.",
         "Their combined effect results in high resilience to Byzantine attackers. In non-Byzantine environments, "
         "Bristle requires 83% fewer iterations to achieve 90% accuracy compared to state-of-the-art methods.", False),
    ],
)
def test_amounts_lost_questions_asked_and_means_of_doing_away(claim: str, source: str, negation: bool) -> None:
    assert bool(flipped(claim, source.split(". "))) is negation


@pytest.mark.parametrize(
    ("claim", "source", "contradicts"),
    [
        # How much: substantial against almost none, near-zero against none said of the paper's own.
        ("TFMQ comes with substantial extra computational cost compared with previous PTQ methods.",
         "Our method incurs almost no extra computational cost and accelerates quantization time by 2.0 times.", True),
        # 'less accurately than X' trails X.
        ("Heat geodesic embeddings preserve manifold distances less accurately than existing state-of-the-art methods.",
         "Results show that our method outperforms existing state of the art in preserving ground truth manifold "
         "distances.", True),
        ("Heat geodesic embeddings preserve manifold distances more accurately than existing state-of-the-art methods.",
         "Results show that our method outperforms existing state of the art in preserving ground truth manifold "
         "distances.", False),
        ("TAPS requires substantial changes to the standard training scheme.",
         "TAPS is agnostic to the model architecture and requires only minor changes to the training scheme.", True),
        ("TFMQ incurs negligible extra computational cost.",
         "Our method incurs almost no extra computational cost and accelerates quantization time by 2.0 times.", False),
        ("EE enables blind inference with near-zero performance overhead.",
         "Traditional techniques often incur substantial computational overhead. We introduce Equivariant Encryption "
         "(EE) to enable blind inference with near zero performance overhead.", False),
        # Improvements in a good thing, and a compound that is what its last part is.
        ("FedPCA matches nonlinear baselines in detection but is considerably less efficient in communication and "
         "memory.",
         "Our methods offer performance comparable to nonlinear baselines, while providing significant improvements "
         "in communication and memory efficiency.", True),
        ("The standard DiT is less parameter-efficient than specialized models, especially when scaled up.",
         "The performance of standard DiT is comparable with those specialized models, while demonstrating superior "
         "parameter-efficiency, especially when scaled up.", True),
        ("The standard DiT is more parameter-efficient than specialized models, especially when scaled up.",
         "The performance of standard DiT is comparable with those specialized models, while demonstrating superior "
         "parameter-efficiency, especially when scaled up.", False),
    ],
)
def test_how_much_and_for_the_better(claim: str, source: str, contradicts: bool) -> None:
    assert (contradicts_direction(claim, source.split(". ")) is not None) is contradicts


def test_what_a_move_reaches_ends_with_its_sentence() -> None:
    source = ["To achieve this, we propose leveraging existing MTL methods, but the presence of a huge number of denoising "
              "tasks makes this computationally expensive to calculate the necessary per-task loss or gradient.",
              "We show that interval clustering can be solved using dynamic programming, utilizing signal-to-noise ratio, "
              "timestep, and task affinity for clustering objectives."]
    assert not contradicts_direction("To avoid computing per-task losses or gradients for a huge number of denoising "
                                     "tasks, the authors group timesteps into a few clusters via interval clustering.",
                                     source)



def test_numbers_paired_with_things_keep_their_pairs() -> None:
    source = ["Without utilizing any knowledge distillation technique, our approach accelerates both the Stable "
              "Diffusion (SD) and the DeepFloyd-IF models sampling by 41% and 24% respectively, while maintaining "
              "high-quality generation performance."]
    assert misbound_quantity("The approach speeds up Stable Diffusion sampling by 24% and DeepFloyd-IF by 41%.", source)
    assert not misbound_quantity("The approach speeds up Stable Diffusion sampling by 41% and DeepFloyd-IF by 24%.",
                                 source)
    # The claim's own 'respectively', and a source pairing them without the word ('\\%' as LaTeX writes it).
    assert not misbound_quantity("It improves accuracy over GNNs and stand-alone MLPs by 3.90% and 28.05% on average, "
                                 "respectively.", ["It achieves accuracy improvement over GNNs and stand-alone MLPs by "
                                                   "3.90% and 28.05% on average, respectively."])
    source = ["Plugging in local augmentation to GCN and GAT improves by an average of 3.4\\% and 1.6\\% in terms of test "
              "accuracy on Cora, Citeseer, and Pubmed."]
    assert not misbound_quantity("Plugging local augmentation into GCN and GAT raises test accuracy on Cora, Citeseer "
                                 "and Pubmed by an average of 3.4% and 1.6%, respectively.", source)
    assert misbound_quantity("Local augmentation raises the accuracy of GAT by 3.4% and of GCN by 1.6%.", source)


def test_a_change_over_time_said_the_other_way_round() -> None:
    source = ["Expert specialization tends to be more concentrated at the early time step and then gradually uniform "
              "after half."]
    assert reversed_transition("Expert specialization is nearly uniform at early time steps and becomes increasingly "
                               "concentrated after the halfway point of denoising.", source)
    assert not reversed_transition("Expert specialization is concentrated at early time steps and becomes uniform "
                                   "after the halfway point of denoising.", source)


def test_coordinated_directions_and_roles_said_before_the_things() -> None:
    # 'faster and more efficient training': the training is faster.
    source = ["Interval arithmetic works with a lower-dimensional embedding space.",
              "Our model allows faster and more efficient training."]
    assert contradicts_direction("HyperInterval makes training slower but more accurate.", source)
    assert not contradicts_direction("HyperInterval makes training faster.", source)
    # What is said of each just before it: 'the importance of | early layers', 'under-utilizing | deeper layers'.
    source = ["Improved training regimes and self-supervised training increase the importance of early layers while "
              "significantly under-utilizing deeper layers."]
    assert swapped_roles("Improved training regimes increase the importance of deeper layers while leaving early layers "
                         "under-utilized.", source)
    assert not swapped_roles("Improved training regimes increase the importance of early layers while leaving deeper "
                             "layers under-utilized.", source)


def test_two_contrasted_clauses_each_given_the_other_s_words() -> None:
    source = ["The forward process collapses samples by losing attributes, e.g., fine-grained attributes such as "
              "texture are lost with less noise added (i.e., early time-steps), while coarse-grained ones such as shape "
              "are lost by adding more noise (i.e., late time-steps)."]
    assert swapped_clauses("Coarse-grained attributes such as shape are lost at early time-steps when little noise has "
                           "been added, while fine-grained attributes like texture only vanish at late time-steps.", source)
    assert not swapped_clauses("Fine-grained attributes such as texture are lost at early time-steps when little noise "
                               "has been added, while coarse-grained attributes like shape vanish at late time-steps.",
                               source)


def test_a_thing_alone_in_the_source_with_another_in_the_claim() -> None:
    source = ["We investigate positional attention, where attention weights depend exclusively on positional encodings."]
    assert only_where_also("Attention weights are computed from the token contents together with the positional "
                           "encodings.", source)
    assert not only_where_also("Attention weights are computed from the positional encodings alone.", source)


def test_a_compound_compares_as_its_parts_and_versions_are_no_quantities() -> None:
    source = ("We find that orbit adjacencies, which include those unseen by random walks, outperform random walk-based "
              "adjacencies.")
    assert reversed_comparison("Random-walk-based adjacencies outperform orbit adjacencies.", source)
    assert missing_quantity("As of version 1.5, PyTorch speeds up data parallel training.",
                            "As of v1.5, PyTorch natively provides several techniques.") is None
    assert split_sentences("Weight entanglement emerged. %However, the macro structure poses challenges. We adapt it.") \
        == ["Weight entanglement emerged.", "%However, the macro structure poses challenges.", "We adapt it."]


def test_what_one_side_denies_the_other_asserts() -> None:
    source = ["We present evidence that the issue of generalization is not due to a shift in the images but instead "
              "a shift in the labels."]
    assert swapped_contrast("The generalization problem is not caused by label shift but by shift in the images.",
                            source)
    assert not swapped_contrast("The generalization problem is not caused by image shift but by shift in the labels.",
                                source)


def test_what_is_used_instead_of_another_exchanged() -> None:
    source = ["Instead of huge instance-adaptive models, we resort to a parameter-efficient fine-tuning method, i.e., "
              "scale and shift deep features (SSF), upon a pre-trained model."]
    assert swapped_contrast("Rather than using parameter-efficient fine-tuning, FedIns trains huge instance-adaptive "
                            "models on each client.", source)
    assert swapped_contrast("FedIns trains huge instance-adaptive models instead of parameter-efficient fine-tuning.",
                            source)
    assert not swapped_contrast("Rather than huge instance-adaptive models, FedIns relies on parameter-efficient "
                                "fine-tuning of a pre-trained model.", source)


def test_a_comparison_in_a_relative_clause_is_said_of_what_it_follows() -> None:
    source = "This leads to an adaptation method, named Rapid Network Adaptation (RNA), that is notably more flexible " \
             "and orders of magnitude faster than the baselines."
    assert opposite_comparison("RNA is considerably slower than baseline adaptation methods.", source)
    assert not opposite_comparison("RNA is considerably faster than baseline adaptation methods.", source)


def test_improving_on_a_method_beats_it_and_regardless_ends_a_denial() -> None:
    source = ["Going beyond it, we note that intra-client heterogeneity can seriously deteriorate FL performance.",
              "Our FedIns outperforms state-of-the-art FL algorithms, e.g., a 6.64% improvement against the "
              "top-performing method."]
    assert not contradicts_direction("FedIns improves on the best competing FL method by 6.64%.", source)
    assert contradicts_direction("FedIns falls short of the best competing FL method.", source)
    said = ["We observe that one model extracts significant data context unavailable in the other -- independent of "
            "overall performance."]
    assert not flipped("One model often captures data context the other lacks, regardless of overall accuracy.", said)
    assert flipped("One model extracts no significant data context unavailable in the other.", said)


def test_what_the_source_denies_of_a_thing_asserted_of_it_in_other_words() -> None:
    source = ["To get a better understanding of the effect of layer-wise averaging, we analyse the models that result "
              "from averaging single layers.",
              "We introduce a notion of layer-wise linear connectivity, and show that deep networks do not have "
              "layer-wise barriers between them."]
    claim = ("The analysis finds that deep networks exhibit pronounced layer-wise barriers, so averaging even a single "
             "layer sharply increases the loss.")
    assert flipped(claim, source)
    assert not flipped(claim.replace("deep", "shallow"), source)  # what the source denies it of is another thing
    assert not flipped("The analysis finds that deep networks have no layer-wise barriers.", source)
    # Said of the paper's work where the claim says most of the rest of the sentence.
    own = ["We present FastComposer which enables efficient, personalized, multi-subject text-to-image generation "
           "without fine-tuning.",
           "FastComposer uses subject embeddings extracted by an image encoder to augment the generic text conditioning "
           "in diffusion models, enabling personalized image generation based on subject images with only forward "
           "passes.",
           "It achieves 300times-2500times speedup compared to fine-tuning-based methods and requires zero extra "
           "storage for new subjects."]
    assert flipped("FastComposer personalizes image generation by performing subject-specific fine-tuning of the "
                   "diffusion model for each new subject.", own)
    assert not flipped("FastComposer personalizes multi-subject image generation without any fine-tuning, using "
                       "subject embeddings.", own)
    # 'near-zero overhead' is minimal overhead, as 'near zero performance overhead' is.
    near = ["We introduce EE, a paradigm to enable secure inference on encrypted data with near zero performance "
            "overhead."]
    assert not flipped("EE enables secure inference on encrypted data with near-zero performance overhead.", near)


def test_positions_words_apart_alternatives_denied_and_objects_joined() -> None:
    steps = ["Through DT-Visualization, we demonstrate that initial diffusion timesteps disproportionately determine "
             "output diversity, while later steps primarily refine details."]
    assert swapped_roles("The authors find that later diffusion timesteps disproportionately determine output "
                         "diversity, while the initial steps mainly refine details.", steps)
    assert not swapped_roles(steps[0], steps)
    both = ["These descriptors can be extracted for both synthetic and real images using the generation and "
            "inversion processes."]
    assert only_where_also("The descriptors can be extracted for synthetic images, not for real images.", both)
    assert not only_where_also("The descriptors can be extracted for synthetic and real images, not only for "
                               "synthetic ones.", both)
    tower = ["Tower Module (TM) is a dense component attached to each tower to reduce model complexity and "
             "communication volumes through hierarchical feature interaction."]
    assert contradicts_direction("The Tower Module increases communication volume.", tower)
    assert not contradicts_direction("The Tower Module cuts communication volume.", tower)
    restored = ["Distilled diffusion models suffer from reduced sample diversity.",
                "This simple modification not only restores the diversity of base models but exceeds it."]
    assert not contradicts_direction("It restores and even exceeds base-model diversity.", restored)


def test_a_measurement_is_not_misplaced_onto_a_size_and_joined_numbers_go_together() -> None:
    sit = ["SiT surpasses DiT uniformly across model sizes on the conditional ImageNet 256x256 benchmark.",
           "By exploring various diffusion coefficients, SiT achieves an FID-50K score of 2.06."]
    assert misbound_quantity("SiT achieves an FID-50K of 2.06 on the conditional ImageNet 256x256 benchmark.", sit) is None
    layers = ["We prove that in two canonical classification tasks for multi-class high-dimensional mixtures and either "
              "1 or 2-layer neural networks, the SGD trajectory aligns with outlier eigenspaces."]
    assert misbound_quantity("For multi-class high-dimensional mixture classification with 1- or 2-layer networks, the "
                             "SGD trajectory aligns with outlier eigenspaces.", layers) is None


def test_a_gap_that_remains_is_not_closed() -> None:
    source = ["This gap remains even with models trained by existing methods for tackling distribution shifts, "
              "underscoring the need for new methods for training models."]
    assert flipped("On WILDS, models trained with existing methods for distribution shifts close the gap.", source)
    assert not flipped("The gap is not closed by models trained with existing methods for distribution shifts.", source)


def test_a_denial_that_leaves_out_what_it_denies() -> None:
    source = ["We show that, under certain conditions on the training data, unsupervised pretraining can find this "
              "special class of initial conditions, while scaled random Gaussian initializations cannot."]
    assert flipped("Scaled random Gaussian initializations, just like unsupervised pretraining, can find the special "
                   "class of initial conditions.", source)
    assert not flipped("Unsupervised pretraining, but not scaled random Gaussian initializations, can find the "
                       "special class of initial conditions.", source)
    assert not flipped("Unsupervised pretraining can find the special class of initial conditions.", source)
    subspaces = ["The insights include that units learn to span low-dimensional subspaces and, while these subspaces "
                 "are common to multiple networks, the specific basis vectors learned are not."]
    assert flipped("Units in different networks learn the same specific basis vectors, common to multiple networks.",
                   subspaces)
    assert not flipped("Units span low-dimensional subspaces shared across multiple networks even though the specific "
                       "basis vectors differ.", subspaces)


def test_confined_to_one_where_the_source_goes_beyond_it() -> None:
    source = ["The effectiveness of our approach extends beyond class-conditional generation to more challenging tasks "
              "such as text-to-image generation."]
    assert only_where_also("DiffMoE's gains are confined to class-conditional ImageNet generation.", source)
    assert not only_where_also("DiffMoE's gains carry over from class-conditional generation to text-to-image "
                               "generation.", source)


def test_a_failure_of_a_thing_and_sidestepping_what_is_overcome() -> None:
    failure = ["Neural networks can learn uncorrelated features together with predictive features, resulting in "
               "generalization failure under distribution shifts."]
    assert not flipped("Networks learn uncorrelated features alongside predictive ones, which causes them to fail to "
                       "generalize under distribution shift.", failure)
    overcome = ["The framework overcomes the scalability issues associated with global permutation equivariance by "
                "operating more locally on sub-graphs."]
    assert not flipped("It operates on sub-graphs, sidestepping the scalability issues of global permutation "
                       "equivariance.", overcome)


def test_the_other_end_and_a_better_measure_in_other_words() -> None:
    source = ["We observe that LoRA layers with higher ranks added close to the output help to save resources."]
    assert opposite_end("Placing higher-rank LoRA layers close to the input of the model saves resources.", source)
    assert not opposite_end("Higher-rank LoRA layers close to the output of the model save resources.", source)
    memory = ["We demonstrate that local update functions offer a significant improvement in GPU memory over global "
              "methods."]
    assert contradicts_direction("Local update functions consume considerably more GPU memory than global methods.",
                                 memory)
    assert not contradicts_direction("Local update functions use less GPU memory than global methods.", memory)
    speed = ["These models significantly outperform their non-equivariant counterparts in terms of training speed."]
    assert contradicts_direction("Flow equivariant RNNs train more slowly than their counterparts.", speed)
    assert not contradicts_direction("Flow equivariant RNNs train faster than their counterparts.", speed)


def test_a_name_the_abstract_gives_to_earlier_work_is_not_the_papers(corpus: Surveyor) -> None:
    paper = Paper("p", "p", "Task-Aware Variational Adversarial Active Learning",
                  "Active learning queries the most informative samples. Here, we propose task-aware variational "
                  "adversarial AL (TA-VAAL) that modifies task-agnostic VAAL, that considered data distribution of both "
                  "label and unlabeled pools, by relaxing task learning loss prediction to ranking loss prediction.")
    verdict = _verdict(corpus, "The work presents VAAL, a task-agnostic active learning approach that considers the "
                               "data distribution of both labeled and unlabeled pools.", paper)
    assert verdict.reason == "background sentence", verdict
    own = _verdict(corpus, "The work presents TA-VAAL, which modifies VAAL by relaxing task learning loss prediction "
                           "to ranking loss prediction.", paper)
    assert own.supported, own


def test_a_name_set_beside_what_the_authors_made_is_theirs(corpus: Surveyor) -> None:
    paper = Paper("p", "p", "Superposed Episodic and Semantic Memory",
                  "Episodic memory has had little focus. Only recently has episodic memory been added to deep learning "
                  "models, e.g., Neural Turing Machines, Memory Networks, as separate modules. We describe Sparsey, an "
                  "unsupervised associative memory model that stores inputs in superposition.")
    assert own_names(paper) == ("Sparsey",)
    verdict = _verdict(corpus, "Sparsey's authors equip deep learning models with episodic memory by adding "
                               "separate modules such as Neural Turing Machines and Memory Networks.", paper)
    assert verdict.reason == "background sentence", verdict


def test_what_the_source_keeps_from_getting_worse_cannot_drop() -> None:
    source = ["Our method applies to Stable Diffusion XL with no quality degradation and a 6.1x speedup."]
    assert contradicts_direction("Running it comes with a noticeable drop in image quality.", source)
    assert not contradicts_direction("It keeps image quality while giving a 6.1x speedup.", source)
    assert contradicts_direction("It hurts accuracy.", ["It converges faster without sacrificing accuracy."])


def test_denials_that_require_and_denials_of_another_thing() -> None:
    src = ["It uses a local dispersive force that does not require knowledge of other particle coordinates."]
    assert flipped("The loss cannot operate without knowing the coordinates of the other particles.", src)
    assert not flipped("The loss operates without knowing the coordinates of the other particles.", src)
    # Denied elsewhere only counts for what the denial is of: 'behavior' here, not 'scaling'.
    scaling = ["Our experiments reveal that the loss exhibits similar scaling behavior in both OOD and ID settings.",
               "The lack of a comprehensive understanding of scaling laws has hindered progress."]
    assert flipped("The loss does not follow a similar scaling behavior on OOD data as on ID data.", scaling)


def test_latex_relations_and_one_problem_reduced_to_another() -> None:
    assert missing_quantity("For 1 <= p < 2 the bound is tight.", "For 1leq p<2, we show that this bound is tight.") is None
    source = ["These distances allow us to reduce the comparison problem to a more familiar mean testing problem."]
    assert not contradicts_direction("Comparing two collections reduces to a mean testing problem.", source)


def test_background_particulars_on_a_tie_and_the_setting_a_claim_describes(corpus: Surveyor) -> None:
    paper = Paper("p", "p", "Explore and Exploit the Diverse Knowledge in Model Zoo",
                  "Pretrained models abound. Previous research has primarily focused on identifying the most powerful "
                  "models within the model zoo. This paper argues that the knowledge in weaker models is valuable. "
                  "Specifically, we investigate the behaviors of various pretrained models in the model zoo. We propose "
                  "a new algorithm for integrating diverse pretrained models.")
    verdict = _verdict(corpus, "The proposed method works by identifying the single most powerful pretrained "
                               "model in the model zoo.", paper)
    assert verdict.reason == "background sentence", verdict
    hybrid = Paper("h", "h", "Effective and Efficient Federated Tree Learning on Hybrid Data",
                   "Most federated learning studies focus on horizontal or vertical data. In practice, a common scenario "
                   "is the hybrid data setting, where data from different parties may differ both in the features and "
                   "samples. To address this, we propose HybridTree, which enables federated tree learning on hybrid "
                   "data. Our experiments demonstrate that HybridTree can achieve comparable accuracy to the centralized "
                   "setting.")
    kept = _verdict(corpus, "HybridTree trains federated trees on hybrid data, where parties differ in both "
                            "features and samples, and reaches accuracy comparable to the centralized setting.", hybrid)
    assert kept.reason != "background sentence", kept  # (its support is weak here: no stored passages to embed)


def test_a_name_only_the_papers_own_sentences_use_is_the_papers(corpus: Surveyor) -> None:
    paper = Paper("p", "p", "Delayed Shrinking for Once-for-All Training",
                  "Once-for-all training co-trains many models. However, existing once-for-all training approaches incur "
                  "huge training costs reaching 1200 GPU hours. Hence, we propose Delayed epsilon-Shrinking that starts "
                  "shrinking later. As a result, DEpS outperforms state-of-the-art once-for-all training techniques.")
    verdict = _verdict(corpus, "Training with DEpS costs around 1200 GPU hours to co-train all the subnets.", paper)
    assert verdict.reason == "background sentence", verdict


def test_more_of_the_lack_of_a_thing_is_less_of_it() -> None:
    source = ["Label sharpness leads to models for medical images having a substantially higher vulnerability to "
              "adversarial attack."]
    assert contradicts_direction("Models trained on medical images are considerably more robust to adversarial "
                                 "attacks.", source)
    assert not contradicts_direction("Models trained on medical images are more vulnerable to adversarial attacks.",
                                     source)


def test_needing_more_of_a_resource_contradicts_preserving_its_efficiency() -> None:
    source = ["The integration brings enhanced performance while preserving the memory efficiency of weight-entangled "
              "spaces."]
    assert contradicts_direction("It improves performance, but it needs substantially more memory.", source)
    assert not contradicts_direction("It improves performance and uses less memory.", source)


def test_a_comparison_without_than_and_one_against_the_papers_own_thing() -> None:
    source = ("We discover (1) a positive correlation between client performance and layer similarities, (2) higher "
              "similarities in the shallow layers in contrast to the deep layers, and (3) smoother gradients.")
    assert reversed_comparison("The authors observe that deep layers exhibit higher similarities than shallow layers.",
                               source)
    assert reversed_comparison("Deep layers show higher similarities compared to shallow layers.", source)
    assert not reversed_comparison("Shallow layers exhibit higher similarities than deep layers.", source)
    assert not reversed_comparison("Shallow layers show higher similarities compared to deep layers.", source)
    ours = "We show that in all cases, our model outperforms other approaches and improves over the default pooling."
    assert opposite_comparison("The balanced mixture of SuperNets performs worse than the default pooling.", ours)
    assert not opposite_comparison("The balanced mixture of SuperNets performs better than the default pooling.", ours)
    assert not opposite_comparison("The default pooling performs worse than other approaches.", ours)


def test_an_adjective_before_a_noun_says_what_kind_it_is_not_that_it_is_missing() -> None:
    source = ["To reduce the communication burden, we devise two criteria to exclude unnecessary samples from "
              "uploading to the cloud, i.e., unreliable and low-informative sample exclusion."]
    assert flipped("Unreliable sample exclusion reduces which samples are uploaded to the cloud.", source) is None
    assert polarity("we exclude unnecessary samples").negated == frozenset()
    assert polarity("the update is unnecessary for samples").negated == {"sample"}


def test_numbers_whose_signs_the_text_lost_and_thousands_in_a_clause() -> None:
    assert [q.kind for q in quantities("CacheQuant achieves a 5.18 speedup and 4 compression")] == ["x", "x"]
    source = "Experimental results show that CacheQuant achieves a 5.18 speedup and 4 compression for Stable Diffusion."
    assert missing_quantity("CacheQuant achieves a 5.18x speedup and 4x compression.", source) is None
    assert missing_quantity("CacheQuant achieves a 5.81x speedup.", source) is not None
    cost = ["We train a 1.16 billion parameter sparse transformer with only \\1,890 economical cost and achieve a 12.7 "
            "FID in zero-shot generation on the COCO dataset."]
    assert misbound_quantity("A 1.16-billion-parameter transformer was trained for only $1,890 and reached a zero-shot "
                             "FID of 12.7 on COCO.", cost) is None


def test_a_short_verb_and_its_ing_form_and_what_cannot_be_done_where_it_is() -> None:
    source = ["Albeit simple, RankMe allows one to assess the performance of JE-SSL representations without requiring "
              "any labels.", "A further benefit of RankMe is that it does not have any training or hyper-parameters to "
              "tune.", "RankMe is used over hundreds of training episodes."]
    assert flipped("RankMe is a label-free indicator of downstream performance that requires no training or "
                   "hyperparameter tuning.", source) is None
    # what the claim says cannot be done, the sentence it rewords does (a denial elsewhere does not excuse it)
    assert flipped("RankMe is unable to assess JE-SSL representations without access to labels.",
                   [*source, "Domains do not have the opportunity to rely on labels for representations' quality."])


def test_a_model_that_remains_efficient_is_not_degraded() -> None:
    source = ["We selectively prune weights and demonstrate that the model remains efficient even under significantly "
              "reduced workloads."]
    assert contradicts_direction("Selectively pruning weights sharply degrades the model's efficiency.", source)
    assert not contradicts_direction("The model keeps its efficiency when weights are pruned.", source)


def test_the_only_way_where_the_source_says_not_the_only_way() -> None:
    source = ["Our theory proves that controlling information bottleneck is one way to control generalization errors, "
              "although it is not the only or necessary way."]
    assert only_where_also("Controlling the information bottleneck is the only way to control generalization error.",
                           source)
    assert not only_where_also("Controlling the information bottleneck is one way to control generalization error.",
                               source)


def test_a_title_opening_on_a_name_and_the_named_paper_are_the_paper(corpus: Surveyor) -> None:
    paper = Paper("p", "p", "Streaming DiLoCo with overlapping communication: Towards a Distributed Free Lunch",
                  "Training is distributed across many accelerators. Recently, distributed algorithms like DiLoCo have "
                  "relaxed such co-location constraint: accelerators can be grouped into workers, where "
                  "synchronizations between workers only occur infrequently. In this paper, we improve DiLoCo in three "
                  "ways. First, we synchronize only subsets of parameters in sequence, which reduces peak bandwidth.")
    verdict = _verdict(corpus, "Streaming DiLoCo introduces grouping accelerators into workers that synchronize only "
                               "infrequently.", paper)
    assert verdict.reason == "background sentence", verdict
    caching = Paper("q", "q", "Cache Me if You Can: Accelerating Diffusion Models through Block Caching",
                    "Diffusion models are costly. While many recent works propose techniques to reduce the number of "
                    "required steps, they generally treat the underlying denoising network as a black box. We introduce "
                    "block caching, in which we reuse outputs from layer blocks of previous steps to speed up inference.")
    verdict = _verdict(corpus, "The block caching paper proposes reducing the number of denoising steps while treating "
                               "the denoising network as a black box.", caching)
    assert verdict.reason == "background sentence", verdict
    assert _verdict(corpus, "The block caching paper reuses outputs from layer blocks of previous steps to speed up "
                            "inference.", caching).supported


def test_word_forms_of_compounds_and_of_verbs_in_e() -> None:
    from surveyor.text.tokens import same_term

    assert same_term("back-propagate", "back-propagation") and same_term("generate", "generation")
    assert same_term("self-supervis", "self-supervision") and not same_term("pre-train", "post-train")
    assert not same_term("produce", "product") and not same_term("multi-task", "task")


def test_a_claim_opening_on_the_papers_name_is_about_the_paper(corpus: Surveyor) -> None:
    """'DiMR relies on a conventional U-Net' gives DiMR the conventional design (a prior word after the paper's
    name does not make the claim one about prior work); so does 'The gradient matching method ...' and a
    title's head ('Concept-Centric Transformers: ...')."""
    dimr = Paper("p", "p", "Alleviating Distortion in Image Generation via Multi-Resolution Diffusion Models",
                 "Diffusion models have gained prominence. While conventional approaches rely on convolutional U-Net "
                 "architectures, recent Transformer-based designs have demonstrated superior performance. To address "
                 "this, we propose the Multi-Resolution network (DiMR), a framework that refines features across "
                 "resolutions.")
    verdict = _verdict(corpus, "DiMR relies on a conventional convolutional U-Net backbone for denoising.", dimr)
    assert verdict.reason == "background sentence", verdict
    contrasted = _verdict(corpus, "Unlike conventional approaches relying on convolutional U-Net architectures, DiMR "
                                  "refines features across resolutions.", dimr)
    assert contrasted.reason != "background sentence", contrasted
    nas = Paper("q", "q", "Generalizing Few-Shot NAS with Gradient Matching",
                "One-Shot methods train one supernet. To address this issue, Few-Shot NAS reduces weight-sharing by "
                "splitting the One-Shot supernet via edge-wise exhaustive partitioning. In this work, we propose a "
                "gradient matching score (GM) that leverages gradient information for making splitting decisions.")
    verdict = _verdict(corpus, "The gradient matching method splits the One-Shot supernet via edge-wise exhaustive "
                               "partitioning.", nas)
    assert verdict.reason == "background sentence", verdict
    workspace = Paper("r", "r", "Concept-Centric Transformers: Enhancing Model Interpretability",
                      "Many interpretable approaches exist. A recently proposed shared global workspace theory showed "
                      "that networks of distributed modules can benefit from sharing information with a bottlenecked "
                      "memory. Inspired by this, we propose a configuration of the shared global workspace for "
                      "interpretability, with an object-centric memory module.")
    verdict = _verdict(corpus, "Concept-Centric Transformers show that networks of distributed modules benefit from "
                               "sharing information through a bottlenecked memory.", workspace)
    assert verdict.reason == "background sentence", verdict


def test_a_thing_the_source_sentence_also_asserts_and_the_two_just_named() -> None:
    source = ["We find that encoder features change gently, whereas decoder features vary across time-steps.",
              "This inspired us to omit the encoder at certain adjacent time-steps and reuse cyclically the encoder "
              "features in the previous time-steps for the decoder."]
    assert flipped("The authors reuse encoder features from previous time-steps so the decoder can run at adjacent "
                   "steps.", source) is None
    once = ["This inspired us to omit the encoder at certain adjacent time-steps and reuse cached features."]
    assert flipped("The authors run the encoder at adjacent time-steps.", once) is not None
    assert quantities("An integration branch fuses the two.") == []
    assert [q.value for q in quantities("It fuses the two encoders.")] == [2]


def test_a_transition_told_the_other_way_round() -> None:
    source = ["We propose that grokking can arise due to a neural network transitioning from lazy training dynamics "
              "to a rich, feature learning regime."]
    assert reversed_transition("Grokking occurs when a network begins in a rich feature-learning regime and later "
                               "settles into lazy, kernel-like dynamics.", source)
    assert reversed_transition("The network moves from a rich feature learning regime to lazy training.", source)
    assert not reversed_transition("The network moves from lazy training dynamics to a rich regime.", source)
    assert not reversed_transition("It first trains lazily and then learns rich features.", source)


def test_only_for_one_where_the_source_has_both() -> None:
    source = ["We prove that for both IID and non-IID data, these algorithms converge to a stationary point."]
    assert only_where_also("The guarantees hold only for IID client data.", source)
    assert not only_where_also("The guarantees hold for IID client data.", source)


def test_an_adverb_closing_its_clause_moves_the_verb_before_it() -> None:
    source = ["We prove that the SGD trajectory rapidly aligns with emerging low-rank outlier eigenspaces of the "
              "Hessian."]
    assert contradicts_direction("The SGD trajectory aligns with the Hessian's outlier eigenspaces only slowly.", source)
    assert not contradicts_direction("The SGD trajectory aligns with the Hessian's outlier eigenspaces quickly.", source)


def test_what_a_text_sets_aside_moves_nothing_and_a_number_said_of_an_alternative() -> None:
    source = ["This paper argues that the knowledge contained in weaker models is valuable.",
              "We integrate diverse pretrained models, not limited to the strongest models."]
    assert not contradicts_direction("Rather than only selecting the strongest pretrained models, this work argues "
                                     "that weaker models carry valuable knowledge.", source)
    assert contradicts_direction("This work argues that the strongest models carry the most valuable knowledge.",
                                 source[:1])
    gains = ["It achieves 1.83% higher top1 accuracy or the same accuracy with 1.3x reduction in FLOPs and 2.5x drop "
             "in training cost."]
    assert misbound_quantity("It achieves 1.83% higher top-1 accuracy or the same accuracy with a 2.5x drop in "
                             "training cost.", gains) is None
    assert misbound_quantity("It achieves the same accuracy with a 2.5x reduction in FLOPs.", gains) is not None


def test_worse_than_what_the_source_matches() -> None:
    source = ["MRL learns coarse-to-fine representations that are at least as accurate and rich as independently "
              "trained low-dimensional representations."]
    assert worse_than_matched("MRL produces representations that are less accurate than independently trained "
                              "low-dimensional ones.", source)
    assert not worse_than_matched("MRL representations are as accurate as independently trained low-dimensional "
                                  "ones.", source)
    assert not worse_than_matched("MRL is less accurate than full-precision teacher networks.", source)


def test_two_opposite_degrees_given_the_other_way_round() -> None:
    source = ["Recent out-of-distribution (OOD) detection methods separate in-distribution (ID) and OOD inputs.",
              "AdaSCALE enables stronger scaling for likely ID samples and weaker scaling for likely OOD samples."]
    assert swapped_pair("AdaSCALE applies stronger scaling to samples that are likely out-of-distribution and weaker "
                        "scaling to likely in-distribution samples.", source)
    assert not swapped_pair("AdaSCALE applies stronger scaling to likely in-distribution samples and weaker scaling "
                            "to likely out-of-distribution samples.", source)


def test_what_one_measures_against_the_other_measures() -> None:
    source = ["Compared to the most efficient existing method, REPA, GMem still offers a 16times speedup, attaining an "
              "FID score of 5.75 within 250K steps, whereas REPA requires over 4M steps."]
    assert swapped_reference("Compared with GMem, REPA offers a 16x training speedup.", source)
    assert not swapped_reference("Compared with REPA, GMem offers a 16x training speedup.", source)


def test_sides_swapped_between_a_long_form_and_its_acronym_or_the_paper_named_second() -> None:
    abstract = ("We propose a computational implementation of this idea -- a ``Model Synthesis Architecture'' (MSA) "
                "-- using language models. Our MSA approach captures human judgments better than language model-only "
                "baselines.")
    source = abstract.split(". ")[1]
    claim = ("Language model-only baselines captured human judgments on the Model Olympics dataset better than the "
             "Model Synthesis Architecture did.")
    assert reversed_comparison(claim, source, abstract=abstract)
    assert not reversed_comparison("The Model Synthesis Architecture captured human judgments on the Model Olympics "
                                   "dataset better than language model-only baselines.", source, abstract=abstract)
    ours = "This demonstrates the proposed method is considerably more robust than conventional deep ensembles."
    title_only = frozenset({"cross-domain"})  # a word only the paper's title has names the paper
    assert reversed_comparison("Conventional deep ensembles are more robust to distribution shift than the "
                               "cross-domain ensemble approach.", ours, title_only)
    assert not reversed_comparison("Conventional deep ensembles are more robust than standard learning.", ours,
                                   title_only)


def test_falling_behind_and_decaying_are_directions() -> None:
    assert contradicts_direction("Binary Paragraph Vector models fall behind the seminal method on retrieval.",
                                 ["We demonstrate that they outperform the seminal method on retrieval."])
    source = ["It trains the model such that the prediction confidence linearly decays as the input moves to OOD."]
    assert contradicts_direction("Its prediction confidence rises linearly as the input moves to OOD.", source)
    assert not contradicts_direction("Its prediction confidence falls linearly as the input moves to OOD.", source)


def test_denials_in_other_words_and_compounds_read_in_parts() -> None:
    source = ["To avoid massive (O(N^2)) communication overhead, each client's risk is estimated through a "
              "first-order approximation."]
    assert not flipped("It uses a first-order approximation to sidestep O(N^2) communication.", source)
    assert flipped("Its first-order approximation needs O(N^2) communication overhead.", source)
    shda = ["Our observations indicate that the category and feature information of source samples do not "
            "significantly impact the performance of the target domain."]
    assert flipped("The category information of source samples strongly drives target-domain performance.", shda)
    assert not flipped("The category information of source samples does not significantly impact target-domain "
                       "performance.", shda)
    server = ["We estimate the distance between two samples stored on different clients whilst a server orchestrates "
              "the computations (again, without having access to the samples)."]
    assert flipped("The server needs to access the samples stored on each client.", server)
    moved = ["By doing so, we move away from MSE-based regression."]
    assert polarity(moved[0]).negated


def test_simply_one_thing_where_the_source_has_two() -> None:
    source = ["FedDisco's aggregation weights not only involve both the dataset size and the discrepancy value."]
    assert only_where_also("FedDisco assigns each client's aggregation weight simply according to its dataset size.",
                           source)
    assert not only_where_also("FedDisco weighs clients by both their dataset size and their discrepancy.", source)


def test_two_things_given_each_other_s_role_or_weight() -> None:
    insights = ["Our key insights are twofold: (1) pixels as inputs are crucial for recognition tasks; (2) VQ tokens as "
                "reconstruction targets are beneficial for generation tasks."]
    assert swapped_as("VQ tokens as inputs are crucial for recognition, while pixels as reconstruction targets benefit "
                      "generation.", insights)
    assert not swapped_as("Pixels as inputs help recognition, and VQ tokens as reconstruction targets help generation.",
                          insights)
    found = ["The accuracy of the learning process is more affected by a loss of connectivity than by a loss of data."]
    assert swapped_causes("Accuracy was hurt more by losing data-holding devices than by losing connectivity.", found)
    assert not swapped_causes("Accuracy was hurt more by losing connectivity than by losing data-holding devices.", found)


def test_a_comparison_in_time_with_its_sides_swapped() -> None:
    source = "Grokking is where the train loss of a network decreases much earlier than its test loss."
    assert reversed_comparison("Grokking is where a network's test loss falls much earlier than its train loss.",
                               source)
    assert not reversed_comparison("Grokking is where a network's train loss falls much earlier than its test loss.",
                                   source)
    # 'lower than' says of its sides what 'higher than' says the other way round: no swap.
    assert not reversed_comparison("The test loss is higher than the train loss.", "The train loss is lower than the "
                                   "test loss.")


def test_what_reads_as_no_denial_and_what_does() -> None:
    assert not polarity("a model of when LMC does or does not arise").scopes
    assert not polarity("whether or not the barrier arises").scopes
    assert polarity("one cannot utilize that power efficiently").negated >= {"power", "efficiently"}
    assert polarity("we do not find that pruning helps").negated == {"find"}
    assert "connectivity" in polarity("more affected by a loss of connectivity").negated
    assert not flipped("Losing connectivity hurt accuracy more than losing data.",
                       ["Accuracy is more affected by a loss of connectivity than by a loss of data."])
    assert not flipped("The models generalize in distribution but fail out of distribution.",
                       ["They show failure in out-of-distribution scenarios."])
    shared = ["Agents learn from each other without having to share their data, weights or weight updates."]
    assert flipped("Agents keep their data private but exchange weight updates with each other.", shared)
    assert not contradicts_direction("FedIns outperforms the best competing FL method by 6.64%.",
                                     ["Heterogeneity can seriously deteriorate FL performance."])


def test_a_long_form_denied_where_the_abstract_abbreviates_it(corpus: Surveyor) -> None:
    abstract = ("Layer normalization (LN) is widely adopted. In this work, we identify the key mechanism, called feature "
                "normalization (FN). Although LN and FN do not improve expressive power, they control feature collapse.")
    paper = Paper("ln", "ln", "Normalization in Federated Learning", abstract)
    assert _verdict(corpus, "Layer normalization and feature normalization help by increasing the expressive power of "
                            "the model.", paper).reason == "negation"
    assert _verdict(corpus, "LN and FN do not improve expressive power but control feature collapse.", paper).supported
    argued = Paper("lh", "lh", "Learning@home", "Volunteers could crowdsource training. The power of desktops dwarfs a "
                   "server pod, but one cannot utilize that power efficiently with conventional distributed training "
                   "methods. In this work, we propose Learning@home, a paradigm for poorly connected participants.")
    assert _verdict(corpus, "The Learning@home authors argue that the desktops' power can be exploited efficiently with "
                            "conventional distributed training methods.", argued).reason == "negation"


def test_counts_with_a_scale_word_zero_as_none_and_what_a_claim_passes_over() -> None:
    source = ["It takes about one minute for a network with 1 million nodes and 5 million edges, and around 20 hours "
              "for a network with 66 million nodes and 1.8 billion edges."]
    assert misbound_quantity("It trains on a 66-million-node, 1.8-billion-edge network in roughly 20 hours.", source) \
        is None
    assert misbound_quantity("It trains on a 1.8-billion-node network in roughly 20 hours.", source) is not None
    storage = ["It achieves a 300x speedup and requires zero extra storage for new subjects."]
    assert not flipped("It needs no extra storage for new subjects.", storage)
    assert flipped("It needs extra storage for each new subject.", ["It requires no extra storage for new subjects."])
    assert only_where_also("Controlling the information bottleneck is the only and necessary way to control "
                           "generalization error.", ["Controlling information bottleneck is one way to control "
                                                     "generalization errors, although it is not the only or necessary way."])
    delayed = ["FastComposer proposes delayed subject conditioning in the denoising step to maintain both identity and "
               "editability."]
    assert passed_over("FastComposer injects subject embeddings from the first denoising steps rather than delaying "
                       "them, to keep identity and editability.", delayed)
    assert not passed_over("FastComposer delays subject conditioning in the denoising step rather than conditioning "
                           "from the start, to keep identity and editability.", delayed)
    assert contradicts_direction("The knowledge of the parties is incorporated into the upper layers of a tree.",
                                 ["We show that the knowledge of parties can be incorporated into the lower layers of a "
                                  "tree."])


def test_a_list_of_gerunds_stays_denied_and_a_denial_of_another_thing_excuses_nothing() -> None:
    assert polarity("they cannot be realized with simple pooling, broadcasting and fully connected operations").negated \
        >= {"broadcast", "connect"}
    assert not polarity("It runs on one GPU, making it cheap and fast.").negated & {"cheap", "fast"}
    source = ["Changing the order of neurons in intermediate layers of the MLP does not affect the function it "
              "represents.",
              "We characterize all equivariant layers and show how these layers can be implemented using pooling, "
              "broadcasting, and fully connected layers."]
    assert flipped("The equivariant layers for MLP weight spaces cannot be realized with pooling, broadcasting and fully "
                   "connected operations.", source)


def test_sides_swapped_behind_a_verb_and_the_two_ends_of_a_relation_exchanged() -> None:
    source = "The encoder-only Transformers demonstrate better scalability than the decoder-only Transformers."
    assert reversed_comparison("The study finds that decoder-only Transformers demonstrate better scalability than "
                               "encoder-only Transformers.", source)
    assert not reversed_comparison("The study finds that encoder-only Transformers demonstrate better scalability than "
                                   "decoder-only Transformers.", source)
    bound = ["Finally, we derive a scaling law with respect to d_{repr}, and show that d_{data} serves as an upper bound "
             "for d_{repr}."]
    assert swapped_relation("They show that d_repr serves as an upper bound for d_data.", bound)
    assert not swapped_relation("They show that d_data is an upper bound for d_repr.", bound)
    assert not swapped_relation("They show that d_repr is a lower bound for d_data.", bound)  # the same, put the other way


def test_a_quality_meets_its_noun_and_what_cannot_be_done_without_a_thing_needs_it() -> None:
    source = ["R^3 x S^2 is an optimal choice, and it significantly enhances computational efficiency compared to "
              "indexing features on the full SE(3) group."]
    assert contradicts_direction("R^3 x S^2 is computationally less efficient than indexing features on the full SE(3) "
                                 "group.", source)
    assert not contradicts_direction("R^3 x S^2 is computationally more efficient than indexing features on the full "
                                     "SE(3) group.", source)
    free = ["Our experiments demonstrate that DTR consistently enhances the performance of diffusion models, all without "
            "introducing additional parameters."]
    assert flipped("DTR improves diffusion models, though it cannot do so without introducing additional parameters.",
                   free)
    assert not flipped("DTR improves diffusion models without introducing additional parameters.", free)
    assert polarity("it cannot do so without introducing additional parameters").plain >= {"introduc", "parameter"}
    assert "assess" in polarity("RankMe is unable to assess representations without access to labels").negated


def test_the_papers_a_model_may_cite_are_read_while_it_writes(corpus: Surveyor, llm: ScriptedLLM,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    writer = llm_surveyor(corpus.settings.store, llm)
    read: list[list[str]] = []
    read_ahead = writer.checker.read_ahead
    monkeypatch.setattr(writer.checker, "read_ahead", lambda papers: read.append([p.key for p in papers]) or
                        read_ahead(papers))
    llm.script(Reply(lambda p: f"{FAITHFUL['paraphrase']} [{source_id(p, 'HNeRV')}]."))
    answer = writer.ask(QUESTION)
    assert read == [[h.paper.key for h in answer.sources]] and "hnerv" in read[0]
    # Read ahead, a paper's vectors are at hand: checking a claim on it asks the store for nothing more.
    checker = SupportChecker(writer.store, writer.embedder)
    checker.read_ahead([writer.paper("hnerv")]).join()
    monkeypatch.setattr(writer.store, "chunk_vectors", lambda ids: pytest.fail(f"fetched {ids} again"))
    assert checker.check([(FAITHFUL["paraphrase"], writer.paper("hnerv"))])[0].supported
    # The extractive answerer writes at once: nothing to read ahead of it.
    corpus_read: list[object] = []
    monkeypatch.setattr(corpus.checker, "read_ahead", corpus_read.append)
    corpus.ask(QUESTION)
    assert corpus_read == []


def test_bit_widths_and_bandwidths_are_numbers_and_respectively_binds_across_the_sentence() -> None:
    assert missing_quantity("It trains over a network of less than 500Mb/s.", "It trains with less than 200Mb/s network.")
    assert missing_quantity("It trains over a network of less than 200Mb/s.", "It trains with less than 200Mb/s network.") \
        is None
    source = "It is evaluated on three tasks, and it is the first to generate readable images on full 4-bit (W4A4) models."
    assert missing_quantity("It generates readable images with fully 3-bit (W3A3) models.", source) is not None
    assert missing_quantity("It generates readable images with fully 4-bit models.", source) is None
    assert missing_quantity("It quantizes weights to 4 bits.", "Weights are quantized to 4 and activations to 8.") is None
    said = ["We show that VQGraph infers faster than GNNs by 828x, and also achieves accuracy improvement over GNNs and "
            "stand-alone MLPs by 3.90% and 28.05% on average, respectively."]
    assert misbound_quantity("VQGraph improves accuracy by 28.05% over stand-alone MLPs.", said) is None
    apart = ["It raises the compression ratio by 50% and practical throughput by 66%."]
    assert misbound_quantity("It raises compression by 66% and throughput by 50%.", apart) is not None


def test_a_summary_in_the_papers_own_words_is_not_taken_for_its_background(corpus: Surveyor) -> None:
    paper = Paper("p1", "tsfm", "Scaling Laws of Time Series Foundation Models",
                  "Previous research has largely focused on the scaling laws of TSFMs for in-distribution (ID) data, "
                  "leaving their out-of-distribution (OOD) scaling behavior less explored. In this work, we examine "
                  "two common TSFM architectures, encoder-only and decoder-only Transformers. Our experiments reveal "
                  "that the log-likelihood loss of TSFMs exhibits similar scaling behavior in both OOD and ID settings.",
                  roles="")
    # 'OOD' in the paper's own sentence says 'out-of-distribution', which only the background sentence spells out.
    claim = ("The study finds that the log-likelihood loss of time series foundation models shows similar scaling "
             "behavior on in-distribution and out-of-distribution data.")
    assert _verdict(corpus, claim, paper).reason != "background sentence"
    assert _verdict(corpus, "The study shows that the scaling laws of TSFMs were largely studied for in-distribution "
                    "data.", paper).reason == "background sentence"


def test_the_means_a_claim_gives_the_paper_is_held_to_its_own_sentences(corpus: Surveyor) -> None:
    paper = Paper("p2", "ggeur", "Geometric Knowledge-Guided Localized Global Distribution Alignment for Federated "
                  "Learning",
                  "Data heterogeneity in federated learning leads to divergent local optimization directions. Existing "
                  "studies mainly focus on optimizing local updates or global aggregation, but these indirect "
                  "approaches demonstrate instability. To address this, we propose GGEUR, which leverages global "
                  "geometric shapes to guide the generation of new samples.", roles="")
    assert _verdict(corpus, "GGEUR addresses data heterogeneity in federated learning by jointly optimizing the local "
                    "updates and the global aggregation step.", paper).reason == "background sentence"
    # (Not in the store, these papers have no vectors to support anything: only the reason is judged.)
    assert _verdict(corpus, "GGEUR addresses data heterogeneity in federated learning by leveraging global geometric "
                    "shapes to guide the generation of new samples.", paper).reason != "background sentence"
    cache = Paper("p3", "cache", "Cache Me if You Can: Accelerating Diffusion Models through Block Caching",
                  "While many recent works propose techniques to reduce the number of required steps, they treat the "
                  "denoising network as a black box. We introduce block caching, in which we reuse outputs from layer "
                  "blocks of previous steps to speed up inference.", roles="")
    # The method the title ends on names the paper, however the claim capitalises it.
    assert _verdict(corpus, "Block caching speeds up diffusion models by reducing the number of denoising steps "
                    "required.", cache).reason == "background sentence"
    assert _verdict(corpus, "Block caching speeds up diffusion model inference by reusing outputs from layer blocks of "
                    "previous steps.", cache).reason != "background sentence"


def test_how_each_of_two_things_changes_is_part_of_what_is_said_of_it() -> None:
    found = ["In particular, we find that encoder features change gently, whereas the decoder features exhibit "
             "substantial variations across different time-steps.",
             "This finding inspired us to omit the encoder at certain adjacent time-steps and reuse cyclically the "
             "encoder features in the previous time-steps for the decoder."]
    assert swapped_roles("The authors find that decoder features change only gently across time-steps, whereas encoder "
                         "features vary substantially.", found)
    assert not swapped_roles("The authors find that encoder features change only gently across time-steps, whereas "
                             "decoder features vary substantially.", found)


def test_a_denied_move_a_hyphenated_spelling_a_number_in_parentheses_and_words_run_together() -> None:
    nearly_none = ["We show that RankMe can be used for hyperparameter selection with nearly no reduction in final "
                   "performance compared to the current selection method."]
    assert not contradicts_direction("Selecting hyperparameters with RankMe led to nearly no loss in final performance.",
                                     nearly_none)
    assert contradicts_direction("Selecting hyperparameters with RankMe degrades final performance.", nearly_none)
    assert not flipped("RankMe needs no labels and has no training or hyperparameters of its own.",
                       ["A further benefit of RankMe is that it does not have any training or hyper-parameters to tune.",
                        "We show how RankMe can be used for hyperparameter selection."])
    skip = ["Our method can achieve 100% FID improvement for pretrained EDM on ImageNet 64 with only 19 NFEs (1.75), "
            "breaking the limit of ODE samplers."]
    assert misbound_quantity("It brings a pretrained EDM on ImageNet 64 to an FID of 1.75 with only 19 NFEs.", skip) is None
    glued = "In large networks, GRADCOcomputesthe28matricesinminutes. Onsixrealnetworksfromvarious domains, we compare."
    assert missing_quantity("GRADCO computes all 28 matrices and is compared on six real networks.", glued) is None
    assert missing_quantity("GRADCO is compared on seven real networks.", glued) is not None


def test_a_comparison_read_past_a_relative_clause_of_its_subject() -> None:
    source = ("We find that orbit adjacencies, which include those unseen by random walks, outperform random walk-based "
              "adjacencies.")
    assert reversed_comparison("Predictors built on random walk-based adjacencies outperformed those built on orbit "
                               "adjacencies.", source)
    assert not reversed_comparison("Predictors built on orbit adjacencies outperformed those built on random walk-based "
                                   "adjacencies.", source)


def test_requiring_what_the_source_does_not_have_or_need() -> None:
    rank = ["Albeit simple, RankMe allows one to assess JE-SSL representations without requiring any labels.",
            "A further benefit of RankMe is that it does not have any training or hyper-parameters to tune.",
            "We show how RankMe can be used for hyperparameter selection over hundreds of training episodes."]
    assert flipped("Although simple, RankMe requires training and a few hyperparameters to be tuned.", rank)
    assert not flipped("RankMe needs no training and has no hyperparameters to tune.", rank)
    tree = ["Based on our theoretical analysis, we propose a layer-level solution that does not need frequent "
            "communication traffic to train a tree."]
    assert flipped("The layer-level solution requires frequent communication between parties to train each tree.", tree)


def test_names_of_things_are_no_moves_and_improving_convergence_is_converging_faster() -> None:
    source = ["We propose to mitigate the collapse by introducing a temperature in softmax(), which achieves a higher "
              "low-filter attenuation rate.",
              "We prove that long sequences increase the attenuation rate of the low-pass filter effect."]
    assert contradicts_direction("TempScale lowers the low-pass filter attenuation rate of self-attention.", source)
    assert not contradicts_direction("TempScale raises the low-pass filter attenuation rate of self-attention.", source)
    switch = ["Extensive experiments validate our approach in improving both image quality and convergence rate."]
    assert contradicts_direction("Its mixture-of-experts design slows down the convergence rate of training.", switch)
    assert not contradicts_direction("Its mixture-of-experts design speeds up the convergence of training.", switch)


def test_two_things_serving_as_each_others_parts_and_a_method_named_as_its_title(corpus: Surveyor) -> None:
    source = ["Specifically, DiST uses a dual-encoder structure, where a pre-trained foundation model acts as the spatial "
              "encoder, and a lightweight network is introduced as the temporal encoder."]
    assert swapped_as("DiST uses a lightweight network as the spatial encoder and the pre-trained foundation model acts "
                      "as the temporal encoder.", source)
    assert swapped_as("In DiST a lightweight network serves as the spatial encoder and the pre-trained foundation model "
                      "acts as the temporal encoder.", source)
    assert not swapped_as("In DiST the pre-trained foundation model serves as the spatial encoder and a lightweight "
                          "network acts as the temporal encoder.", source)
    branch = Paper("p4", "branch", "Learning to Branch for Multi-Task Learning",
                   "Prior works rely on human intuition or pre-computed task relatedness scores for ad hoc branching "
                   "structures. In this work, we present an automated multi-task learning algorithm that learns where to "
                   "share or branch within a network.", roles="")
    assert _verdict(corpus, "The learning-to-branch method relies on pre-computed task relatedness scores for ad hoc "
                    "branching structures.", branch).reason == "background sentence"


def test_background_told_apart_where_a_claim_names_the_paper_in_other_ways(corpus: Surveyor) -> None:
    """A paper named as 'the X work', 'this X analysis', 'the X benchmark', 'the X method' in its own words, its
    title's capitalised head, or its name as LaTeX wrote it ('KD^{3}'), is held to its own sentences."""
    chain = Paper("c1", "chain", "Directed Chain Generative Adversarial Networks",
                  "Generating multimodal data has become a challenge to existing generative adversarial networks (GANs). "
                  "For example, neural SDEs, treated as infinite-dimensional GANs, have demonstrated successful performance "
                  "mainly in generating unimodal time series data. In this paper, we propose a novel time series "
                  "generator, named directed chain GANs (DC-GANs), which generates multimodal time series.", roles="")
    claim = ("The directed chain GAN work demonstrates that neural SDEs, treated as infinite-dimensional GANs, perform "
             "successfully mainly when generating unimodal time series data.")
    assert _verdict(corpus, claim, chain).reason == "background sentence"
    coding = Paper("c2", "coding", "Sequential Gradient Coding For Straggler Mitigation",
                   "In distributed computing, slower nodes (stragglers) usually become a bottleneck. Gradient Coding (GC), "
                   "introduced by Tandon et al., is an efficient technique that uses principles of error-correcting codes "
                   "to distribute gradient computation in the presence of stragglers. In this paper, we consider the "
                   "distributed computation of a sequence of gradients. In this work, we propose two schemes that "
                   "demonstrate improved performance compared to GC.", roles="")
    claim = ("Sequential Gradient Coding introduced Gradient Coding, which borrows principles of error-correcting codes "
             "to distribute gradient computation in the presence of stragglers.")
    assert _verdict(corpus, claim, coding).reason == "background sentence"
    # Said of the earlier technique itself, it is what the abstract says.
    assert _verdict(corpus, claim.replace("Sequential Gradient Coding introduced Gradient Coding, which borrows",
                                          "Gradient Coding borrows"), coding).supported
    webly = Paper("c3", "webly", "Distribution Shift Matters for Knowledge Distillation with Webly Collected Images",
                  "Data-free knowledge distillation approaches proposed to collect training instances from the Internet. "
                  "However, most of them have ignored the common distribution shift between the instances from original "
                  "training data and webly collected data. To solve this problem, we propose a novel method dubbed "
                  "Knowledge Distillation between Different Distributions (KD^{3}). Specifically, we first dynamically "
                  "select useful training instances from the webly collected data.", roles="")
    assert "KD3" in own_names(webly)
    claim = ("KD3 collects training instances from the Internet for data-free distillation while ignoring the "
             "distribution shift between the original training data and the webly collected images.")
    assert not _verdict(corpus, claim, webly).supported
    quantized = Paper("c4", "gm", "Finding the Task-Optimal Low-Bit Sub-Distribution in Deep Neural Networks",
                      "Quantization inevitably leads to a distribution divergence. To tackle this issue, massive efforts "
                      "have been made, but most existing approaches lack statistical considerations and depend on "
                      "several manual configurations. In this paper, we present an adaptive-mapping quantization method "
                      "to learn an optimal latent sub-distribution that is smoothly approximated with a concrete Gaussian "
                      "Mixture (GM).", roles="")
    claim = ("The Gaussian-mixture adaptive-mapping quantization method lacks statistical considerations and depends "
             "on several manual configurations.")
    assert _verdict(corpus, claim, quantized).reason == "background sentence"


def test_what_a_paper_differs_from_and_what_a_claim_concedes_after_a_denial() -> None:
    source = ["Notably, this mechanism essentially differs from the prevailing narrative in the literature that "
              "attributes the generalization failure to spurious correlations."]
    from surveyor.answer.support import _set_aside_for_it

    assert _set_aside_for_it("The feature contamination paper attributes the generalization failure of neural "
                             "networks to their reliance on spurious correlations.", source)
    shared = ["We propose a technique that allows agents with private data to learn from each other, without having "
              "to share their data, weights or weight updates."]
    assert flipped("The technique lets agents with private data learn from each other without sharing raw data, "
                   "although it still requires exchanging weight updates among clients.", shared)
    assert not flipped("The technique lets agents with private data learn from each other without sharing raw data "
                       "or weight updates.", shared)
    # A claim about 'this X analysis' or 'the X benchmark' is about the paper itself.
    from surveyor.answer.support import _attributed

    bench = Paper("e1", "bench", "Experimental Analysis of Large-scale Learnable Vector Storage Compression",
                  "Existing experimental comparisons only cover a subset of these methods and focus on limited metrics. "
                  "In this paper, we perform a comprehensive comparative analysis and experimental evaluation of "
                  "embedding compression.", roles="bc")
    assert _attributed("The embedding compression benchmark covers only a subset of existing compression methods.",
                       bench)
    assert _attributed("The bounds derived in this information bottleneck analysis scale with the parameter count.",
                       bench)
    assert not _attributed("Existing experimental comparisons cover only a subset of compression methods.", bench)
    # 'struggles to preserve' denies preserving, as 'fails to' does.
    assert polarity("DGQ struggles to preserve image quality").negated >= {"preserve", "image", "quality"}


def test_named_changes_contrasted_clauses_after_a_lead_and_denials_that_agree() -> None:
    source = ["We prove that SGD solutions are connected via a piecewise linear path, and the increase in loss along "
              "this path vanishes as the number of neurons grows large."]
    assert contradicts_direction("SGD solutions are connected by a piecewise linear path along which the increase "
                                 "in loss grows as the number of neurons becomes large.", source)
    assert not contradicts_direction("SGD solutions are connected by a piecewise linear path along which the "
                                     "increase in loss vanishes as the number of neurons becomes large.", source)
    noise = ["Specifically, the forward process adds Gaussian noise at each time-step, which collapses samples by "
             "losing attributes, e.g., fine-grained attributes such as texture are lost with less noise added (i.e., "
             "early time-steps), while coarse-grained ones such as shape are lost by adding more noise (i.e., late "
             "time-steps)."]
    assert swapped_clauses("The forward process first erases coarse-grained attributes such as shape at early "
                           "time-steps, while fine-grained attributes like texture are only lost at late time-steps.",
                           noise)
    assert not swapped_clauses("The forward process first erases fine-grained attributes such as texture at early "
                               "time-steps, while coarse-grained attributes like shape are only lost at late "
                               "time-steps.", noise)
    insufficient = ["Fitting the representations of a teacher is insufficient for the generalization of the student."]
    assert not flipped("Fitting the representations of a teacher is not sufficient for the student to generalize.",
                       insufficient)
    assert flipped("Fitting the representations of a teacher is sufficient for the student to generalize.",
                   insufficient)
    # A failure of something under a condition: the condition is not denied.
    assert polarity("resulting in generalization failure under distribution shifts").negated == {"generaliz"}
    # What a doing-away verb is done for is not done away with.
    assert "speed" not in polarity("perpGrad removes this component to speed up generalization").negated
    assert "store" in polarity("it eliminates the need to store activations").negated


def test_a_denial_beside_the_sources_own_a_requirement_of_what_is_tuning_free_and_a_finding_held_to_the_paper(
    corpus: Surveyor,
) -> None:
    guarantee = ["Our model allows faster and more efficient training.",
                 "Furthermore, HyperInterval maintains the guarantee of not forgetting."]
    assert flipped("HyperInterval speeds up continual learning by moving intervals into an embedding space, but it no "
                   "longer maintains the guarantee of not forgetting.", guarantee)
    assert not flipped("HyperInterval speeds up continual learning by moving intervals into an embedding space and "
                       "maintains the guarantee of not forgetting.", guarantee)
    free = ["The tuning-free method, called TempScale, can be plugged into multiple transformer-based embedding models."]
    assert flipped("TempScale mitigates length collapse, but it must be tuned through fine-tuning of each model it "
                   "is plugged into.", free)
    assert not flipped("TempScale must be plugged into each transformer-based embedding model.", free)
    filters = Paper("f1", "filters", "Does Medical Imaging Learn Different Convolution Filters?",
                    "Among the studied image domains, medical imaging models appeared to show significant outliers "
                    "through spikey distributions, and learn clusters of highly specific filters different from other "
                    "domains. Following this observation, we study the collected medical imaging models in more detail. "
                    "Quite the contrary, for standardized architectures, we find that models trained on medical data do "
                    "not significantly differ in their filter distributions from similar architectures trained on data "
                    "from other domains.", roles="bcc")
    claim = ("Even for standardized architectures, models trained on medical data were found to learn filter "
             "distributions that differ significantly from those trained on other image domains.")
    assert not _verdict(corpus, claim, filters).supported


def test_a_count_of_what_the_source_counts_otherwise_a_relations_sign_and_numbers_stated_together() -> None:
    source = ["We derive scaling laws defined on these two variables and describe a wide range of routing "
              "architectures trained via three different techniques.", "We provide two applications of these laws."]
    assert misbound_quantity("The laws describe routing architectures trained via two different techniques.", source)
    assert not misbound_quantity("The laws describe routing architectures trained via three different techniques.",
                                 source)
    steps = ["We present four required and one optional steps to design GMNs, where we choose (1) Neighborhood "
             "Tokenization, (2) Token Ordering, (3) Encoder, (4) Local Encoding, and dispensable (5) PE and SE."]
    assert misbound_quantity("GMNs are designed through five required steps and one optional step.", steps)
    assert not misbound_quantity("GMNs are designed through four required steps and one optional step.", steps)
    positive = ["A positive correlation between NAC and model generalization ability consistently holds."]
    assert opposite_sign("NAC shows a consistent negative correlation with generalization ability.", positive)
    assert not opposite_sign("NAC correlates positively with generalization ability.", positive)
    budget = ["Finally, using only 37M real and synthetic images, we train a 1.16 billion parameter sparse transformer "
              "with only 1,890 economical cost and achieve a 12.7 FID in zero-shot generation on the COCO dataset.",
              "Our model incurs 14 times lower cost than the current state-of-the-art approach that costs 28,400."]
    assert not misbound_quantity("A 1.16 billion parameter sparse transformer trained on 37M real and synthetic images "
                                 "for about 1,890 reached a zero-shot FID of 12.7 on COCO.", budget)


def test_background_words_inside_a_compound_count(corpus: Surveyor) -> None:
    routed = Paper("r1", "routed", "Unified Scaling Laws for Routed Language Models",
                   "The performance of a language model has been shown to be effectively modeled as a power-law in its "
                   "parameter count. Here we study the scaling behaviors of Routing Networks. In this work we derive "
                   "scaling laws which generalize those known for standard language models and describe the "
                   "performance of a wide range of routing architectures.", roles="bcc")
    claim = ("The study on routed language models establishes that the performance of standard language models is "
             "effectively modeled as a power law in their parameter count.")
    assert _verdict(corpus, claim, routed).reason == "background sentence"


def test_a_long_form_written_lowercase_a_longer_subject_and_what_a_claim_passes_over(corpus: Surveyor) -> None:
    chain = Paper("c1", "chain", "Directed Chain Generative Adversarial Networks",
                  "Generating multimodal data is a challenge to existing GANs. For example, neural SDEs, treated as "
                  "infinite-dimensional GANs, have demonstrated successful performance mainly in generating unimodal "
                  "time series data. In this paper, we propose a novel time series generator, named directed chain GANs "
                  "(DC-GANs), which inserts a time series dataset into the coefficients of directed chain SDEs.", roles="")
    assert "directed chain GANs" in own_names(chain)
    claim = ("Directed chain GANs, treated as infinite-dimensional GANs built on neural SDEs, have shown successful "
             "performance mainly in generating unimodal time series data.")
    assert _verdict(corpus, claim, chain).reason == "background sentence"
    layers = Paper("l1", "layers", "Layer-wise Linear Mode Connectivity",
                   "Averaging neural network parameters is an intuitive method for fusing two models. For averaging models "
                   "trained on vastly different datasets, it was proposed to average only the parameters of particular "
                   "layers or combinations of layers, resulting in better performing models. To get a better "
                   "understanding of layer-wise averaging, we analyse the models that result from averaging single "
                   "layers, and show that deep networks do not have layer-wise barriers between them.", roles="bbc")
    claim = ("For models trained on vastly different datasets, the layer-wise linear mode connectivity work proposes "
             "averaging only particular layers or combinations of layers to obtain better-performing models.")
    assert _verdict(corpus, claim, layers).reason == "background sentence"
    hyper = Paper("h1", "hyper", "HyperDiffusion: Generating Implicit Neural Fields with Weight-Space Diffusion",
                  "However, the lack of a regular and explicit grid structure makes it challenging to apply generative "
                  "modeling directly on implicit neural fields. To this end, we propose HyperDiffusion, a novel approach "
                  "for generative modeling of implicit neural fields. HyperDiffusion operates directly on MLP weights "
                  "and generates new neural implicit fields encoded by synthesized MLP parameters.", roles="bcc")
    assert not _verdict(corpus, "Rather than operating on MLP weights, HyperDiffusion converts implicit neural fields "
                        "into a regular explicit grid before training its diffusion model.", hyper).supported
    from surveyor.answer.support import _passed_over_own

    sentences = split_sentences(hyper.abstract)
    assert not _passed_over_own("Rather than converting implicit neural fields into a regular explicit grid, "
                                "HyperDiffusion operates directly on MLP weights.", sentences, "bcc", frozenset())


def test_contrasted_clauses_after_a_reporting_verb_and_a_compound_first_part() -> None:
    noise = ["Specifically, the forward process collapses samples by losing attributes, e.g., fine-grained attributes "
             "such as texture are lost with less noise added (i.e., early time-steps), while coarse-grained ones such "
             "as shape are lost by adding more noise (i.e., late time-steps)."]
    assert swapped_clauses("The time-step framework for representation learning notes that coarse attributes such as "
                           "shape vanish at early, low-noise time-steps, while fine-grained texture is lost only at "
                           "late time-steps.", noise)
    assert not swapped_clauses("The time-step framework for representation learning notes that fine attributes such as "
                               "texture vanish at early, low-noise time-steps, while coarse-grained shape is lost only "
                               "at late time-steps.", noise)


def test_causing_failure_training_words_for_joint_and_apart_and_a_denial_the_claim_shares() -> None:
    # 'causing failure under distribution shift' is no failure of causing, and the shift is not denied.
    assert polarity("features learned together with predictive ones, causing failure under distribution "
                    "shift").negated == frozenset()
    # 'defined jointly over two variables' against 'two independent axes': nothing is made jointly or apart.
    axes = ["For these models, parameter count and computational requirement form two independent axes along which "
            "an increase leads to better performance."]
    assert not flipped("Scaling laws for routing networks are defined jointly over parameter count and compute.", axes)
    tools = ["The pipeline uses pretrained 2D diffusion models and standard 3D neural radiance fields as independent, "
             "standalone tools that work together in a non-learned fashion."]
    assert flipped("The pipeline relies on jointly training the 2D diffusion models and the 3D neural radiance "
                   "fields end to end.", tools)
    # The claim denying what the source's denial reaches agrees, though it names the student besides.
    student = ["We first show that even allowing a network to fit the representations of a teacher network that can "
               "generalize out-of-distribution is insufficient for the generalization of the student network."]
    assert not flipped("Even when a student network fits the representations of a teacher that generalizes "
                       "out-of-distribution, the student still fails to generalize out-of-distribution.", student)
    speeding = ["Bristle leverages transfer learning to freeze the non-output layers of a neural network, "
                "significantly speeding up model training and lowering communication costs."]
    assert contradicts_direction("Bristle freezes a network's non-output layers, which slows model training "
                                 "somewhat but lowers communication costs.", speeding)
    assert not contradicts_direction("Bristle freezes a network's non-output layers, which speeds up model "
                                     "training and lowers communication costs.", speeding)


def test_a_ranking_restated_the_other_way_round() -> None:
    source = ["(2) when generalizing to new cases, models are observed to prioritize different factors when "
              "referencing training data: color > size > velocity > shape."]
    assert reversed_ranking("Models prioritize shape over velocity, velocity over size, and size over color.", source)
    assert reversed_ranking("Models reference training data by prioritizing shape first, followed by velocity, size, "
                            "and finally color.", source)
    assert not reversed_ranking("Models prioritize color over size, size over velocity, and velocity over shape.",
                                source)
    assert not reversed_ranking("Models prioritize color, then size, then velocity, then shape.", source)
    # Naming the things with no word of order ranks nothing.
    assert not reversed_ranking("Models are tested on shape, velocity, size and color.", source)


def test_skipping_work_and_a_denial_closed_by_its_parenthesis() -> None:
    dydit = ["In addition, we design a Spatial-wise Dynamic Token (SDT) strategy to avoid redundant computation at "
             "unnecessary spatial locations."]
    # Skipping computation is doing without it, as avoiding it is.
    assert flipped("DyDiT skips computation at unnecessary spatial locations through a Spatial-wise Dynamic Token "
                   "strategy.", dydit) is None
    assert flipped("DyDiT performs redundant computation at unnecessary spatial locations through a Spatial-wise "
                   "Dynamic Token strategy.", dydit)
    # A denial inside a parenthesis ends with it: the SiT-XL model is not denied.
    repa = polarity("our method can speed up SiT training by over 17.5times, matching the performance (without "
                    "classifier-free guidance) of a SiT-XL model trained for 7M steps in less than 400K steps.")
    assert "guidance" in repa.negated and "sit-xl" not in repa.negated


def test_what_a_method_sets_out_to_avoid_may_be_what_the_source_says_something_leads_to() -> None:
    sigma = ["However, this simple modification means that the regular L2 reconstruction loss will lead to trivial "
             "solutions as both networks are jointly optimized.",
             "As a solution, we distribute features of space-time tubes evenly across a limited number of learnable "
             "clusters."]
    assert flipped("To avoid trivial solutions, SIGMA distributes features of space-time tubes evenly across "
                   "learnable clusters.", sigma) is None
    # Said to be avoided outright, what the source says the loss leads to is denied.
    assert flipped("With jointly optimized networks, the regular L2 reconstruction loss avoids trivial solutions.",
                   sigma)


def test_what_a_claim_says_besides_its_contrast_is_not_set_aside() -> None:
    starbucks = ["For the fine-tuning phase, we discover that, rather than sampling a random sub-layer and "
                 "sub-dimensions for each training steps, providing a fixed list of layer-dimension pairs, from small "
                 "size to large sizes, and computing the loss across all pairs significantly improves the "
                 "effectiveness of 2D Matryoshka embedding models, bringing them on par with their separately trained "
                 "counterparts."]
    assert not swapped_contrast("Starbucks finds that using a fixed list of layer-dimension pairs and computing the "
                                "loss across all pairs, instead of sampling a random pair each step, brings 2D "
                                "Matryoshka models on par with separately trained ones.", starbucks)
    assert swapped_contrast("Rather than providing a fixed list of layer-dimension pairs, Starbucks samples a random "
                            "sub-layer and sub-dimensions for each training step.", starbucks)


def test_earlier_methods_in_the_papers_own_sentence_and_a_field_acronym(corpus: Surveyor) -> None:
    fedld = Paper("p1", "fedld", "Global Loss Decomposition for Federated Learning",
                  "Federated Learning (FL) is a rising approach towards collaborative machine learning. To mitigate "
                  "the impact of data heterogeneity, we decompose the global loss into three terms: local loss, "
                  "distribution shift loss and aggregation loss. Our loss decomposition reveals that existing local "
                  "training-based FL methods attempt to reduce the distribution shift loss, while the global "
                  "aggregation-based FL methods propose better aggregation strategies to reduce the aggregation loss. "
                  "We propose a novel FL method based on global loss decomposition, called FedLD, to jointly reduce "
                  "these three loss terms.", roles="bcccc")
    assert _verdict(corpus, "FedLD is a local training-based FL method that only attempts to reduce the distribution "
                    "shift loss.", fedld).reason == "background sentence"
    assert _verdict(corpus, "FedLD jointly reduces the local loss, the distribution shift loss and the aggregation "
                    "loss.", fedld).reason != "background sentence"
    # Earlier methods the paper's own sentence acts on are its own words: 'we analyze existing algorithms'.
    swarm = Paper("p4", "swarm", "SWARM Parallelism: Training Large Models Can Be Surprisingly Communication-Efficient",
                  "Many deep learning applications benefit from using large models. In this work, we consider "
                  "alternative setups for training large models. We analyze the performance of existing model-parallel "
                  "algorithms in these conditions and find configurations where training larger models becomes less "
                  "communication-intensive.", roles="bcc")
    assert _verdict(corpus, "SWARM Parallelism analyzes the performance of existing model-parallel algorithms in these "
                    "conditions and finds configurations where training larger models becomes less "
                    "communication-intensive.", swarm).reason is None
    # 'FL' is the field's acronym, not an earlier method the claim would give the paper.
    backdoor = Paper("p2", "bc", "Backdoor Federated Learning by Poisoning Backdoor-Critical Layers",
                     "Federated learning (FL) has been widely deployed. Existing FL attack and defense methodologies "
                     "typically focus on the whole model. None of them recognizes the existence of backdoor-critical "
                     "(BC) layers. This paper proposes a general in-situ approach that identifies and verifies BC "
                     "layers. Extensive experiments show that our BC layer-aware backdoor attacks can successfully "
                     "backdoor FL under seven SOTA defenses with only 10% malicious clients.", roles="bbbcc")
    assert _verdict(corpus, "The proposed attack backdoors FL under seven SOTA defenses with only 10% malicious "
                    "clients.", backdoor).reason != "background sentence"


def test_a_title_head_with_a_small_word_names_the_paper(corpus: Surveyor) -> None:
    branch = Paper("p3", "branch", "Learning to Branch for Multi-Task Learning",
                   "Training multiple tasks jointly in one deep network yields reduced latency. Prior works rely on "
                   "human intuition or pre-computed task relatedness scores for ad hoc branching structures. In this "
                   "work, we present an automated multi-task learning algorithm that learns where to share or branch "
                   "within a network.", roles="bbc")
    assert _verdict(corpus, "Learning to Branch relies on human intuition or pre-computed task relatedness scores to "
                    "build its branching structures.", branch).reason == "background sentence"


def test_taking_longer_a_loss_in_accuracy_and_a_comparison_sharing_its_object() -> None:
    faster = ["For some situations, the computation time is more than ten times faster, for a comparable performance."]
    assert contradicts_direction("The distributed reduction estimator takes more than ten times longer to compute, for "
                                 "comparable performance.", faster)
    assert not contradicts_direction("The distributed reduction estimator takes ten times less time to compute, for "
                                     "comparable performance.", faster)
    # (Only a time taken is slower: 'requires longer sequences' moves no speed.)
    from surveyor.text.direction import moves

    assert {m.group for m in moves("The method requires longer sequences.")} == {"length"}
    kept = ["We show that DMT can achieve up to 1.9x speedup compared to the state-of-the-art baselines without losing "
            "accuracy."]
    assert contradicts_direction("DMT achieves up to 1.9x speedup, though at the cost of some loss in accuracy.", kept)
    assert not contradicts_direction("DMT achieves up to 1.9x speedup with no loss in accuracy.", kept)
    abstract = ("We propose a ``Model Synthesis Architecture'' (MSA) using language models. Our MSA approach captures "
                "human judgments better than language model-only baselines.")
    msa = "Our MSA approach captures human judgments better than language model-only baselines."
    assert reversed_comparison("Language model-only baselines captured human judgments better than the Model "
                               "Synthesis Architecture.", msa, frozenset(), abstract)
    assert not reversed_comparison("The Model Synthesis Architecture captured human judgments better than language "
                                   "model-only baselines.", msa, frozenset(), abstract)
    from surveyor.text.tokens import same_term

    assert same_term("modify", "modification") and same_term("verification", "verify")


def test_rarely_what_is_needed_for_a_move_under_a_condition_and_a_joined_count() -> None:
    widely = ["We empirically demonstrate that the functionally equivalence widely exists among different features "
              "learned by the same neural network."]
    assert flipped("The authors show that functional equivalence rarely exists among different features learned by "
                   "the same neural network.", widely)
    # 'not necessary for good performance' denies the need, not the performance.
    assert polarity("SE/PE are sufficient but not necessary for good performance").negated == {"necessary"}
    gmn = ["In this paper, we show that while Transformers, complex message-passing, and SE/PE are sufficient for good "
           "performance in practice, neither is necessary.",
           "Experiments demonstrate that despite much less computational cost, GMNs attain an outstanding performance."]
    assert flipped("Transformers, complex message passing and SE/PE are sufficient but not necessary for good "
                   "performance, and GMNs perform outstandingly at much less computational cost.", gmn) is None
    # What a move is said under ('when adding more hidden layers') is its condition, not what it moves.
    layers = ["(iv) The training time is dramatically reduced when adding more hidden layers."]
    assert not contradicts_direction("Training time is dramatically reduced when more hidden layers are added.", layers)
    assert contradicts_direction("Training time increases dramatically when more hidden layers are added.", layers)
    stable = ["The parameters found by SGD are increasingly dropout stable as the network becomes wider."]
    assert contradicts_direction("The parameters found by SGD become less dropout stable as the network becomes "
                                 "wider.", stable)
    # A number joined to what it counts: '3-level' where the source's scale has 5 levels.
    scale = ["All user utterances have been labeled based on a 5-level satisfaction scale.",
             "We also share three baseline methods for user satisfaction prediction."]
    assert misbound_quantity("All user utterances are labeled on a 3-level satisfaction scale.", scale)
    assert misbound_quantity("All user utterances are labeled on a 5-level satisfaction scale.", scale) is None


def test_a_claim_asserting_the_whole_of_what_a_denial_reaches() -> None:
    gallery = ["Such a representation enables seamless delivery of retrieval service (i.e., no reprocessing of gallery "
               "images) and offers improved performance without operational disruptions during model replacement."]
    gallery = ["This is particularly relevant in search and retrieval systems where it is crucial to avoid reprocessing "
               "of the gallery images with the updated model.",
               "Specifically, we show the strengths and critical issues of stationary representations in the case in "
               "which a model undergoing sequential fine-tuning is asynchronously replaced by downloading a "
               "better-performing model pre-trained elsewhere.", *gallery]
    claim = ("With stationary representations, replacing a sequentially fine-tuned model by a downloaded better "
             "pre-trained model still requires reprocessing the gallery images.")
    assert flipped(claim, gallery)
    assert flipped(claim.replace("still requires", "needs no"), gallery) is None


def test_what_a_claim_passes_over_does_what_it_says_and_a_prefix_of_error() -> None:
    visdiff = ["Our method first estimates the signed distance function (SDF) of P from G.",
               "Our main insight is that going through the SDF significantly improves learning for reconstruction."]
    assert passed_over("VisDiff predicts vertex locations directly from the visibility graph, rather than going "
                       "through the SDF, which significantly improves learning for reconstruction.", visdiff)
    assert not passed_over("VisDiff goes through the SDF, rather than predicting vertex locations directly, which "
                           "significantly improves learning for reconstruction.", visdiff)
    grokking = ["We argue this delayed generalization arises when the top eigenvectors of the initial neural tangent "
                "kernel and the task labels are misaligned."]
    assert flipped("Delayed generalization arises when the top eigenvectors of the initial neural tangent kernel are "
                   "well aligned with the task labels.", grokking)
    released = ["These contributions aim to advance the field.", "All source code and the dataset are now available."]
    assert flipped("The dataset and source code are not publicly released.", released)
    assert flipped("The dataset and source code are publicly released.", released) is None


def test_a_name_the_authors_call_their_work_and_a_compound_only_prior_work_has(corpus: Surveyor) -> None:
    fish = Paper("p1", "fish", "Gradient Matching for Domain Generalization",
                 "Machine learning systems typically assume that the distributions of training and test sets match "
                 "closely. Here, we propose an inter-domain gradient matching objective that targets domain "
                 "generalization. We derive a simpler first-order algorithm named Fish that approximates its "
                 "optimization.", roles="bcc")
    assert own_names(fish) == ("Fish",)
    assert _verdict(corpus, "Fish assumes that the distributions of training and test sets match closely.",
                    fish).reason == "background sentence"
    couple = Paper("p2", "couple", "Stochastic Interpolants with Data-Dependent Couplings",
                   "Generative models construct a continuous-time map between two probability densities. "
                   "Conventionally, one of these is the target density, only accessible through samples, while the "
                   "other is taken as a simple base density that is data-agnostic. In this work, using the framework "
                   "of stochastic interpolants, we formalize how to couple the base and the target densities.",
                   roles="bbc")
    assert _verdict(corpus, "In this work, the stochastic interpolant maps from a simple base density that is "
                    "data-agnostic to the target density.", couple).reason == "background sentence"
    assert _verdict(corpus, "Using stochastic interpolants, the authors couple the base and the target densities.",
                    couple).reason != "background sentence"
