"""Noun phrases as written in titles and abstracts ('feature caching', 'post-training quantization'), to name
what a group of papers shares. No tagger: a phrase is a run of content words between function words,
verbs and punctuation that does not begin with a verb or a bare adjective and does not end in a modifier
('graph neural' wants its 'networks')."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from surveyor.text.tokens import STOPWORDS, tokenize

# Verbs academic abstracts use (every form is derived below); a phrase never spans one.
_VERB_STEMS = (
    "accelerate achieve adapt address aim allow alleviate apply argue assume attain avoid benefit boost bring "
    "build capture combine compare compute conduct consider consist construct contain contribute demonstrate "
    "depend derive describe design develop discuss emerge employ enable enhance ensure establish evaluate "
    "examine exhibit explain exploit explore extend facilitate find focus formulate generalize give help "
    "highlight identify illustrate improve include incorporate increase indicate integrate introduce investigate "
    "involve lack lead learn leverage limit maintain make mitigate motivate need observe obtain offer operate "
    "outperform overcome perform permit present preserve prevent produce propose prove provide reach reduce "
    "rely remain render replace report represent require reveal seek serve show simplify solve "
    "study suffer suggest support surpass take tackle train transform treat use utilize validate verify "
    "yield optimize generate implement determine regularize perturb showcase induce result assign encounter "
    "incur lose mandate exaggerate hinder push devise adopt align ignore exist promote bridge unlock unleash "
    "unify rethink breathe lift tend fail struggle open enjoy gain match pave inspire attempt manage ask "
    "predict recover select spend save close exceed approach hold"
).split()
_IRREGULAR = "done found given made shown taken built brought led sought held kept set run known seen became".split()
# Connectives and other words outside STOPWORDS that never belong to a name.
_NOISE = frozenset(
    "however therefore thus also hence moreover furthermore additionally finally meanwhile yet due either neither "
    "might may must across within without among upon via per towards toward another multiple https http www "
    "code github com whether although though since unlike like despite beyond along around instead rather well "
    "even still often much many thereby whereas namely respectively specifically especially particularly notably "
    "one two three four five six seven eight nine ten hundreds thousands millions billions here first second "
    "lastly overall ie eg etc al".split()
)
# Words that open a phrase without naming anything ('novel framework', 'several methods').
_OPENERS = frozenset(
    "novel new simple effective efficient various different existing previous prior recent several many other "
    "such both first second third key main significant extensive comprehensive general specific particular "
    "certain current further additional typical standard common popular important large-scale state-of-the-art "
    "promising remarkable superior strong better best great high low unified powerful".split()
)
# Modifiers that cannot end a name ('Graph Neural', 'Conditioned Diffusion-based').
_MODIFIERS = frozenset(
    "neural deep latent implicit distributed large small language vision visual generative federated "
    "decentralized graph convolutional contrastive adversarial global local efficient robust novel multi "
    "heterogeneous homogeneous non-iid linear nonlinear stochastic conditional causal discrete continuous "
    "parallel sparse dense private personalized high low pretrained pre-trained fine-grained".split()
)
_ADJECTIVE_ENDINGS = tuple(
    "al ive ous ic ible able ful less ary ed -based -aware -free -efficient -level -wise -like -specific -scale "
    "-agnostic -friendly -preserving -oriented -guided -driven -dependent -invariant -equivariant -step".split()
)
# Nouns ending like adjectives ('-al', '-ic', '-ive', '-ed').
_NOUNS = frozenset(
    "interval signal proposal approval removal retrieval rehearsal potential material manual survival arrival "
    "trial rival renewal denial dial portal journal terminal criterial neural-ode logic topic graphic music "
    "clinic dynamic dynamics heuristic metric metrics objective objectives derivative incentive initiative "
    "alternative perspective directive detective representative seed speed embed bed need red "
    "feed shed hundred ratio curriculum diary library boundary summary inventory memory glossary dictionary "
    "vocabulary".split()
)
_GENERIC_HEADS = frozenset(
    "model models method methods framework frameworks approach approaches task tasks data set sets training "
    "system systems problem problems result results study studies way ways step steps process paper work "
    "performance technique techniques strategy strategies algorithm algorithms network networks architecture "
    "architectures setting settings scenario scenarios application applications analysis module modules "
    "component components design designs solution solutions issue issues challenge challenges baseline baselines "
    "experiment experiments benchmark benchmarks property properties ability abilities number amount terms "
    "effectiveness efficiency accuracy quality cost costs learning improvement improvements gain gains "
    "computation computations resource resources datum field fields area areas domain domains type types "
    "variety range level levels form forms aspect aspects role roles use usage".split()
)
# Modifiers of the whole discipline: with only generic heads after them they name nothing ('Deep Learning').
_DISCIPLINE = frozenset(
    "machine deep neural artificial generative language large learned raw real-world model-based".split()
)
_BREAKS = re.compile(r"[.,;:!?()\[\]{}\"“”]|\s[-–—]\s|\s/\s")
_WORD = re.compile(r"^(?:[A-Za-z]|\d+[A-Za-z])[A-Za-z0-9]*(?:[-'’][A-Za-z0-9]+)*$")  # 'LoRA', '3D', 'non-IID'


def _verb_forms(stem: str) -> set[str]:
    base = stem.removesuffix("e")
    forms = {stem, stem + "s", base + "ed", base + "ing", stem + "d"}
    if stem.endswith("y"):
        forms |= {stem[:-1] + "ies", stem[:-1] + "ied"}
    if stem.endswith(("s", "sh", "ch", "x")):
        forms.add(stem + "es")
    return forms


# '-ing' forms that name a field or a technique ('federated learning', 'adversarial training').
_NAMING_GERUNDS = frozenset("learning training computing building".split())
_VERBS = frozenset(f for stem in _VERB_STEMS for f in _verb_forms(stem)) - _NAMING_GERUNDS | frozenset(_IRREGULAR)


def noun_phrases(text: str, max_words: int = 3) -> Iterator[str]:
    """Every candidate noun phrase of `text` up to `max_words` words, as written, in order (with repeats)."""
    for clause in _BREAKS.split(text):
        run: list[str] = []
        for raw in [*clause.split(), ""]:
            word = re.sub(r"['’]s$", "", raw.strip("'’*"))
            if word and _WORD.match(word) and not _breaks(word):
                run.append(word)
                continue
            yield from _ngrams(run, max_words)
            run = []


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The phrase as tokens (lowercased, stemmed): 'Feature Caching' and 'feature caches' share a key."""
    return tuple(tokenize(phrase))


def holds(tokens: Sequence[str], key: tuple[str, ...]) -> bool:
    """Whether the token sequence holds the phrase key as consecutive tokens."""
    n = len(key)
    return n > 0 and any(tuple(tokens[i : i + n]) == key for i in range(len(tokens) - n + 1))


def is_dangling(phrase: str) -> bool:
    """Whether the phrase ends in a modifier or opens with one that names nothing ('Graph Neural', 'Novel')."""
    words = phrase.split()
    return not words or _modifier(words[-1]) or words[0].lower() in _OPENERS


def is_generic(phrase: str) -> bool:
    """Generic words only ('Models', 'Deep Neural Networks', 'Machine Learning') name no theme."""
    words = phrase.lower().split()
    return all(w in _GENERIC_HEADS or w in _DISCIPLINE or w in STOPWORDS for w in words)


def is_term(word: str) -> bool:
    """Whether one word can name a theme alone: a name ('MoE', 'LoRA') or a technical noun ('quantization')."""
    if _is_name(word):
        return True
    lower = word.lower()
    return lower.endswith(_TERM_ENDINGS) and lower not in _GENERIC_HEADS and not _breaks(word)


def title_case(phrase: str) -> str:
    """'post-training quantization' -> 'Post-Training Quantization'; 'LoRA', 'DiT', 'non-IID' kept as written."""

    def part(p: str, inner: bool) -> str:
        if not p or any(c.isupper() for c in p) or (inner and p in _MINOR):
            return p
        return p[0].upper() + p[1:]

    words = phrase.split()
    return " ".join(
        w if 0 < n and w in _MINOR else "-".join(part(p, i > 0) for i, p in enumerate(w.split("-")))
        for n, w in enumerate(words)
    )


_NOT_ADVERBS = frozenset("anomaly family assembly supply heterophily homophily monopoly reply".split())
# Endings of nouns that name a technique or a property ('quantization', 'parallelism', 'caching', 'sparsity').
_TERM_ENDINGS = ("tion", "sion", "ment", "ism", "ing", "ity", "ness", "ance", "ence", "phily", "ogy", "ics", "ure")
_MINOR = frozenset("of and the to in for on a an by with vs".split())


def _breaks(word: str) -> bool:
    lower = word.lower()
    if lower in STOPWORDS or lower in _VERBS or lower in _NOISE or lower.isdigit():
        return True
    return lower.endswith("ly") and len(lower) > 4 and lower not in _NOT_ADVERBS


def _is_name(word: str) -> bool:
    """'DDPM', 'LoRA', 'CacheQuant', 'DiT-MoE' (not 'Communication-Efficient', capitalised in a title)."""
    return word.isupper() or any(any(c.isupper() for c in part[1:]) for part in word.split("-"))


def _modifier(word: str) -> bool:
    lower = word.lower()
    if lower in _NOUNS or _is_name(word):
        return False
    first = lower.split("-")[0]
    compound = "-" in lower and (first in _DEGREES or first.isdigit())  # 'high-quality', 'large-scale'
    return compound or lower in _MODIFIERS or lower.endswith(_ADJECTIVE_ENDINGS)


# Words that open adjective compounds ('high-quality', 'fine-grained', 'state-of-the-art').
_DEGREES = frozenset("high low large small fine well multi cross long short full self state semi non".split())


def _ngrams(run: list[str], max_words: int) -> Iterator[str]:
    for size in range(1, max_words + 1):
        for start in range(len(run) - size + 1):
            phrase = " ".join(run[start : start + size])
            if not is_dangling(phrase) and not is_generic(phrase) and (len(phrase) > 2 or phrase.isupper()):
                yield phrase
