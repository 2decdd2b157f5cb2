"""Themes: agglomerative clustering of the pool's paper embeddings, each named for the noun phrase its
papers share; a paper that shares neither the name nor the neighbourhood moves to 'Other related work'."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from surveyor.draft.relevance import covers_topic, restates_topic
from surveyor.draft.ward import cut, ward_merges
from surveyor.records import Paper
from surveyor.text.phrases import is_generic, is_term, noun_phrases, phrase_key, title_case
from surveyor.text.roles import BACKGROUND
from surveyor.text.sentences import split_sentences

OTHER = "Other related work"


def cluster(vectors: np.ndarray, sections: int | None = None, max_themes: int = 8) -> tuple[list[list[int]], list[int]]:
    """(themes, strays): groups of row indices, and the papers that fit no theme ('Other related work').

    The number of themes maximises the silhouette unless `sections` forces it; a singleton joins the
    nearest theme when it is close enough, else it becomes a stray."""
    n = len(vectors)
    if n <= 2:
        return ([list(range(n))] if n else []), []
    distances = np.clip(1.0 - vectors @ vectors.T, 0.0, 2.0)
    # Ward on unit vectors (euclidean^2 = 2 - 2 cos) gives themes of comparable size, where average
    # linkage leaves one giant theme beside a few outliers.
    merges = ward_merges(vectors)
    if sections:
        labels = cut(merges, n, min(sections, n))
    else:
        # A theme is a paragraph: aim for roughly 4 to 10 papers each.
        low, high = max(2, -(-n // 10)), max(2, min(max_themes, n // 4))
        options = [cut(merges, n, k) for k in range(low, max(low, high) + 1)]
        readable = [lab for lab in options if np.bincount(lab).max() <= max(10, n // 3)] or options
        labels = max(readable, key=lambda lab: _silhouette(distances, lab))
    groups = [list(np.flatnonzero(labels == label)) for label in dict.fromkeys(labels.tolist())]
    return _absorb_singletons([[int(i) for i in g] for g in groups], vectors, forced=bool(sections))


def _silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette; clusterings into singletons score 0 so they never win."""
    scores = []
    for i in range(len(labels)):
        same = labels == labels[i]
        if same.sum() <= 1:
            scores.append(0.0)
            continue
        a = distances[i, same].sum() / (same.sum() - 1)
        b = min(distances[i, labels == other].mean() for other in set(labels.tolist()) - {labels[i]})
        scores.append((b - a) / max(a, b, 1e-9))
    return float(np.mean(scores))


def _absorb_singletons(groups: list[list[int]], vectors: np.ndarray, forced: bool) -> tuple[list[list[int]], list[int]]:
    """A theme of one paper is no theme: it joins the nearest real theme, or the strays."""
    big = [g for g in groups if len(g) > 1]
    if forced:
        return groups, []
    if not big:
        return [[i for g in groups for i in g]], []
    stray: list[int] = []
    for group in (g for g in groups if len(g) == 1):
        centroids = [vectors[g].mean(axis=0) for g in big]
        similarity = [float(vectors[group[0]] @ c / (np.linalg.norm(c) + 1e-9)) for c in centroids]
        best = int(np.argmax(similarity))
        if similarity[best] >= 0.3:
            big[best].append(group[0])
        else:
            stray.append(group[0])
    return big, stray


def refine(
    groups: list[list[int]],
    strays: list[int],
    papers: list[Paper],
    vectors: np.ndarray,
    embed: Embed | None = None,
    topic: str = "",
    field: frozenset[str] = frozenset(),
) -> tuple[list[list[int]], list[str], list[int]]:
    """(themes, their names, strays) from the clusters. Each cluster is named for the phrase its papers share
    (`name_themes`, against the other clusters); a paper without the phrase stays when it is about as near
    the theme's centroid as the papers with it. A mixed cluster (its best phrase held by fewer than half)
    is split in two and each half named in turn, if either half can be; the rest of a theme is named in
    turn too. What no phrase names is a stray; strays that share a phrase become a theme, and a lone stray
    joins the nearest theme if it is near it."""
    themes: list[tuple[list[int], str]] = []
    strays = [*strays, *(i for g in groups if len(g) < 2 for i in g)]
    clusters = [g for g in groups if len(g) >= 2]

    def name(group: list[int], needed: int) -> Named | None:
        """Named by what sets it apart; when nothing does for half its papers, by the part of the topic they
        hold ('Inference'), or by the topic itself."""
        rivals = [[papers[i] for i in g] for g in [*clusters, *(t for t, _ in themes)] if not set(g) & set(group)]
        taken = {phrase_key(n) for _, n in themes}
        members = [[papers[i] for i in group]]
        named = name_themes(members, embed, [vectors[group]], taken, needed, rivals, topic, field)[0]
        core_named = any(covers_topic(k, topic, field) for k in taken)  # one theme may be the topic itself
        for level in (1,) if core_named else (1, 2):
            if topic and (named is None or 2 * len(named.holders) < len(group)):
                core = name_themes(members, None, None, taken, needed, rivals, topic, field, lenient=level)[0]
                if core is not None and (named is None or 2 * len(core.holders) >= len(group)):
                    named = core
        return named

    def place(group: list[int], depth: int) -> tuple[list[tuple[list[int], str]], list[int]]:
        named = name(group, 2 if depth == 0 else _MIN_SPLIT)
        # A small cluster is not mixed for want of a phrase all its papers share: a large one is.
        mixed = named is None or (2 * len(named.holders) < len(group) and len(group) >= _SPLIT_SIZE)
        if mixed and len(group) >= _SPLIT_SIZE and depth < _MAX_SPLITS:
            halves, lone = cluster(vectors[group], 2)
            found: list[tuple[list[int], str]] = []
            left = [group[i] for i in lone]
            for half in ([group[i] for i in h] for h in halves):
                named_half, rest = place(half, depth + 1) if len(half) >= 2 else ([], half)
                found, left = found + named_half, left + rest
                themes.extend(named_half)  # seen as rivals and taken names by the next half
            del themes[len(themes) - len(found) :]
            if found:
                return found, left
        if named is None:
            return [], group
        holders = [group[i] for i in named.holders]
        rest = [i for i in group if i not in holders]
        # In a mixed cluster no split could name, the name belongs to its holders alone.
        near = [] if mixed else [i for i in rest if _near(vectors, i, group, holders)]
        far = [i for i in rest if i not in near]
        theme = (holders + near, named.name)
        if len(far) < _MIN_SPLIT or depth >= _MAX_SPLITS:
            return [theme], far
        themes.append(theme)
        more, left = place(far, depth + 1)  # the rest of a mixed theme may share a phrase of its own
        themes.pop()
        return [theme, *more], left

    for group in clusters:
        found, left = place(group, 0)
        themes.extend(found)
        strays += left
    if len(strays) >= _MIN_SPLIT:
        named_strays = name(strays, _MIN_SPLIT)
        if named_strays is not None:
            holders = [strays[i] for i in named_strays.holders]
            themes.append((holders, named_strays.name))
            strays = [i for i in strays if i not in holders]
    if len(strays) == 1 and themes:
        nearest = max(range(len(themes)), key=lambda t: float(vectors[strays[0]] @ vectors[themes[t][0]].mean(axis=0)))
        if _near(vectors, strays[0], themes[nearest][0], themes[nearest][0]):
            themes[nearest][0].append(strays.pop())
    return [g for g, _ in themes], [n for _, n in themes], strays


# A theme split off a mixed one, or formed of strays, needs this many papers sharing its phrase.
_MIN_SPLIT = 3
# A theme this large that its best phrase does not cover half of is split in two.
_SPLIT_SIZE = 5
# A theme is split at most this many times over.
_MAX_SPLITS = 3
# How much less central than its theme's least central holder a paper without the phrase may be.
_MARGIN = 0.05


def _near(vectors: np.ndarray, i: int, group: list[int], holders: list[int]) -> bool:
    """Whether paper `i` lies about as near its theme's centroid as the least central paper holding the name."""
    centroid = _unit(vectors[group].mean(axis=0))
    least = min(float(vectors[h] @ centroid) for h in holders)
    return float(vectors[i] @ centroid) >= least - _MARGIN


@dataclass(frozen=True)
class Named:
    """A theme's name, and which of its papers hold the named phrase (positions in the theme)."""

    name: str
    holders: list[int]


def name_themes(
    groups: list[list[Paper]],
    embed: Embed | None = None,
    vectors: list[np.ndarray] | None = None,
    taken: set[tuple[str, ...]] | None = None,
    holders_needed: int = 2,
    rivals: list[list[Paper]] | None = None,
    topic: str = "",
    field: frozenset[str] = frozenset(),
    lenient: int = 0,
) -> list[Named | None]:
    """Each theme's name: the noun phrase its papers share that the other themes do not (None when none is
    shared by two of its papers). Phrases are scored by how many of the theme's papers hold them (in the
    title most, in a sentence on the paper's own work more than in one on prior work), less how much the
    other themes hold them; with `embed` and each paper's unit `vectors`, also by how much nearer the phrase
    lies to the theme's centroid than to the others'. A phrase the other themes hold as much (the field's
    own, 'Diffusion Models') names none, nor one in `taken` (names already given), nor one fewer than
    `holders_needed` of its papers hold, nor one that only restates the `topic` ('Graph Neural Networks' in
    a draft on them) or its `field` ('Diffusion Models' in a draft on faster diffusion; see
    `restates_topic`). Leniently, only a phrase restating the topic may name a theme: at level 1 one naming
    part of it ('Inference' in a draft on faster diffusion inference), at level 2 all of it (the core of a
    narrow draft); never the field alone. `rivals` are themes already named, which count as other themes."""
    sizes = [len(g) for g in groups] + [len(g) for g in rivals or []]
    support = [_support(papers) for papers in [*groups, *(rivals or [])]]
    scored = []
    for t, theme in enumerate(support[: len(groups)]):
        candidates = {}
        for key, (weight, holders) in theme.items():
            if _excluded(key, topic, field, lenient):
                continue
            if len(holders) < holders_needed or (len(key) == 1 and not _in_a_title(key, groups[t], holders)):
                continue  # one paper's phrase is no theme's; a lone word must be a title's to name one
            share = weight / len(groups[t])
            rival = max((o[key][0] / sizes[u] for u, o in enumerate(support) if u != t and key in o), default=0.0)
            candidates[key] = (share - _RIVALRY * rival) * _form(key)
        scored.append(candidates)
    if embed is not None and vectors is not None:
        scored = _centrality(scored, groups, vectors, embed)
    return _assign(scored, support, groups, set(taken or ()))


# Two- and three-word phrases name a theme more precisely than one word ...
_LENGTH_BONUS = {1: 0.7, 2: 1.15, 3: 1.1}
# ... unless their head is a generic word ('Optimization Techniques', 'Language Model').
_GENERIC_HEAD = 0.6
# A theme whose best phrase scores less has no name.
_MIN_SCORE = 0.15
# Where a phrase occurs in a paper, and what that says about the paper.
_IN_TITLE, _IN_OWN, _IN_BACKGROUND = 1.0, 0.6, 0.25
# Sentences on how a paper was evaluated name its benchmarks and base models, not what it is about.
_EXPERIMENTS = re.compile(
    r"\b(?:experiments?|experimental|evaluat\w*|benchmarks?|datasets?|results?|outperform\w*|achiev\w*|"
    r"speed-?ups?|state-of-the-art|baselines?|extensive)\b",
    re.IGNORECASE,
)
_LINKS = re.compile(r"https?://|www\.|github\.com|\bavailable at\b", re.IGNORECASE)
# A phrase as common in another theme as in this one names neither ('Diffusion Models' in every theme).
_RIVALRY = 0.5
# Embedding advantage of a phrase for its theme over the nearest other theme counts this much.
_CENTRALITY_WEIGHT = 0.5
_CANDIDATES_EMBEDDED = 10

Embed = Callable[[list[str]], np.ndarray]


def _excluded(key: tuple[str, ...], topic: str, field: frozenset[str], lenient: int) -> bool:
    restated = restates_topic(key, topic, field)
    if not lenient:
        return restated
    whole = covers_topic(key, topic, field)
    return not restated or set(key) <= field or (whole if lenient == 1 else not whole)


def _form(key: tuple[str, ...]) -> float:
    return _LENGTH_BONUS.get(len(key), 1.0) * (_GENERIC_HEAD if len(key) > 1 and is_generic(key[-1]) else 1.0)


def _in_a_title(key: tuple[str, ...], papers: list[Paper], holders: list[int]) -> bool:
    """Whether a holder's title has the word, written as a term that can name a theme alone."""
    return any(
        is_term(word) and phrase_key(word) == key
        for i in holders
        for word in re.findall(r"[A-Za-z0-9][A-Za-z0-9-]*", papers[i].title)
    )


def _support(papers: list[Paper]) -> dict[tuple[str, ...], tuple[float, list[int]]]:
    """For each phrase key: the summed weight of its best place in each paper, and the papers holding it
    (in the title or a sentence on their own work, not in a passing mention)."""
    weights: dict[tuple[str, ...], dict[int, float]] = {}
    for i, paper in enumerate(papers):
        for key, weight in _phrase_weights(paper.title, paper.abstract, paper.roles).items():
            weights.setdefault(key, {})[i] = weight
    return {k: (sum(w.values()), sorted(i for i, x in w.items() if x >= _IN_OWN)) for k, w in weights.items()}


@lru_cache(maxsize=8192)
def _phrase_weights(title: str, abstract: str, roles: str) -> dict[tuple[str, ...], float]:
    """Each phrase key of a paper and the weight of its best place: the title, a sentence on the paper's own
    work, or one on prior work or on its experiments. A name capitalised in the abstract but not in the title
    ('Stable Diffusion', 'MS-COCO') is what the paper was tested on, so it weighs as little as prior work.
    Cached: the same papers are weighed again as themes are split and named in turn (read, never change)."""
    sentences = split_sentences(abstract) or [abstract]
    roles = roles if len(roles) == len(sentences) else "c" * len(sentences)
    title_keys = {phrase_key(ph) for ph in noun_phrases(title)}
    best: dict[tuple[str, ...], float] = {k: _IN_TITLE for k in title_keys if k}
    for sentence, role in zip(sentences, roles):
        if _LINKS.search(sentence):
            continue  # 'Code and project page: https://...'
        weight = _IN_BACKGROUND if role == BACKGROUND or _EXPERIMENTS.search(sentence) else _IN_OWN
        for phrase in noun_phrases(sentence):
            key = phrase_key(phrase)
            if key:
                held = min(weight, _IN_BACKGROUND) if key not in title_keys and _named_entity(phrase) else weight
                best[key] = max(best.get(key, 0.0), held)
    return best


def _named_entity(phrase: str) -> bool:
    """Capitalised words throughout ('Stable Diffusion', 'Fashion MNIST')."""
    words = phrase.split()
    return len(words) > 1 and all(w[0].isupper() for w in words)


def _centrality(
    scored: list[dict[tuple[str, ...], float]], groups: list[list[Paper]], vectors: list[np.ndarray], embed: Embed
) -> list[dict[tuple[str, ...], float]]:
    """Add to each theme's best few phrases how much nearer they lie to its centroid than to the others'."""
    centroids = [_unit(v.mean(axis=0)) for v in vectors]
    if len(centroids) < 2:
        return scored
    best = [sorted(c, key=lambda k: -c[k])[:_CANDIDATES_EMBEDDED] for c in scored]
    texts = sorted({" ".join(k) for keys in best for k in keys})
    if not texts:
        return scored
    embedded = dict(zip(texts, (_unit(v) for v in embed(texts))))
    out = []
    for t, keys in enumerate(best):
        adjusted = {}
        for key in keys:
            similarity = [float(embedded[" ".join(key)] @ c) for c in centroids]
            nearest_other = max(s for u, s in enumerate(similarity) if u != t)
            adjusted[key] = scored[t][key] + _CENTRALITY_WEIGHT * (similarity[t] - nearest_other)
        out.append(adjusted)
    return out


def _assign(
    scored: list[dict[tuple[str, ...], float]],
    support: list[dict[tuple[str, ...], tuple[float, list[int]]]],
    groups: list[list[Paper]],
    taken: set[tuple[str, ...]],
) -> list[Named | None]:
    """Each theme its best phrase that no other theme took (the most confident theme chooses first)."""
    names: list[Named | None] = [None] * len(groups)
    order = sorted(range(len(groups)), key=lambda t: -max(scored[t].values(), default=0.0))
    for t in order:
        ranked = sorted(scored[t], key=lambda k: (-scored[t][k], k))
        key = next((k for k in ranked if scored[t][k] >= _MIN_SCORE and not _overlaps(k, taken)), None)
        if key is None:
            continue
        taken.add(key)
        names[t] = Named(_surface(key, groups[t]), support[t][key][1])
    return names


def _overlaps(key: tuple[str, ...], taken: set[tuple[str, ...]]) -> bool:
    """Whether the phrase is a name already given, or part of one ('Scaling' beside 'Scaling Behavior')."""
    return any(set(key) <= set(other) or set(other) <= set(key) for other in taken)


def _surface(key: tuple[str, ...], papers: list[Paper]) -> str:
    """The phrase as the papers write it most often (titles first), in title case."""
    spelled: Counter[str] = Counter()
    for paper in papers:
        for weight, text in ((3, paper.title), (1, paper.abstract)):
            for phrase in noun_phrases(text):
                if phrase_key(phrase) == key:
                    spelled[phrase] += weight
    # an acronym written in capitals anywhere is written so ('non-IID', not 'non-iid'); else the most frequent
    best = max(spelled, key=lambda p: (_has_acronym(p), spelled[p]), default=" ".join(key))
    return title_case(best)


def _has_acronym(phrase: str) -> bool:
    return any(len(part) > 1 and part.isupper() for part in re.split(r"[\s-]", phrase))


def _unit(vector: np.ndarray) -> np.ndarray:
    unit: np.ndarray = vector / max(float(np.linalg.norm(vector)), 1e-12)
    return unit


def unique_names(names: list[str]) -> list[str]:
    """Names kept apart: a second 'Memory Footprint' is 'Memory Footprint (2)'."""
    seen: Counter[str] = Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
