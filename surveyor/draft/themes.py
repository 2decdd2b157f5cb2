"""Themes: agglomerative clustering of the pool's paper embeddings, named by c-TF-IDF."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

from surveyor.records import Paper
from surveyor.text.tokens import tokenize

OTHER = "Other related work"
# Modifiers that leave a name hanging when they end it ('Graph Neural' wants its 'Networks').
_DANGLING = frozenset(
    tokenize(
        "neural deep latent implicit distributed large language vision generative federated decentralized graph "
        "convolutional contrastive adversarial"
    )
)
# Words that cannot end a theme's name: 'Diffusion and Models' names nothing.
_NOT_A_NAME = frozenset(
    tokenize(
        "model models network networks learning method methods task tasks data set training framework system systems "
        "problem problems result results study studies way ways step steps process"
    )
)
_GENERIC = frozenset(
    "paper work propose proposed results approach approaches method methods based using new existing state art "
    "performance achieve achieves demonstrate significant significantly various different".split()
)


def cluster(vectors: np.ndarray, sections: int | None = None, max_themes: int = 8) -> tuple[list[list[int]], list[int]]:
    """(themes, strays): groups of row indices, and the papers that fit no theme ('Other related work').

    The number of themes maximises the silhouette unless `sections` forces it; a singleton joins the
    nearest theme when it is close enough, else it becomes a stray."""
    n = len(vectors)
    if n <= 2:
        return ([list(range(n))] if n else []), []
    from scipy.cluster.hierarchy import fcluster, linkage

    distances = np.clip(1.0 - vectors @ vectors.T, 0.0, 2.0)
    # Ward on unit vectors (euclidean^2 = 2 - 2 cos) gives themes of comparable size, where average
    # linkage leaves one giant theme beside a few outliers.
    tree = linkage(vectors.astype(np.float64), method="ward")
    if sections:
        labels = fcluster(tree, t=min(sections, n), criterion="maxclust")
    else:
        # A theme is a paragraph: aim for roughly 3 to 10 papers each.
        low, high = max(2, -(-n // 10)), max(2, min(max_themes, n // 3))
        options = [fcluster(tree, t=k, criterion="maxclust") for k in range(low, max(low, high) + 1)]
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


def name_themes(groups: list[list[Paper]], topic: str) -> list[str]:
    """Each theme's two most distinctive phrases (c-TF-IDF over titles and abstracts)."""
    topic_terms = set(tokenize(topic))
    counts = [_phrases(papers) for papers in groups]
    spread = Counter(term for count in counts for term in count)
    names = []
    for papers, count in zip(groups, counts):
        total = sum(count.values()) or 1

        def weight(term: str) -> float:
            # The topic itself describes every theme and distinguishes none; phrases name better than words.
            words = tokenize(term)
            if not words or set(words) <= topic_terms or words[-1] in _NOT_A_NAME | _DANGLING:
                return 0.0
            return (count[term] / total) * math.log(1 + len(groups) / spread[term]) * (1.5 if " " in term else 0.5)

        chosen: list[str] = []
        for term in sorted((t for t in count if weight(t) > 0), key=lambda t: (-weight(t), t)):
            if chosen and weight(term) < 0.5 * weight(chosen[0]):
                break  # a weak second phrase only blurs the name
            if not any(set(term.split()) & set(c.split()) for c in chosen):
                chosen.append(term)
            if len(chosen) == 2:
                break
        names.append(" and ".join(_surface(t, papers) for t in chosen) or OTHER)
    return _unique(names)


def _phrases(papers: list[Paper]) -> Counter[str]:
    """Unigrams and bigrams of content words; titles count thrice (they say what a paper is about)."""
    count: Counter[str] = Counter()
    for paper in papers:
        for text, weight in ((paper.title, 3), (paper.abstract, 1)):
            words = re.findall(r"[a-z][a-z0-9-]+", text.lower())
            kept = [w if len(w) > 2 and w not in _GENERIC and tokenize(w) else "" for w in words]
            for word, following in zip(kept, [*kept[1:], ""]):
                if word:
                    count[word] += weight
                    if following:
                        count[f"{word} {following}"] += weight
    return count


def _surface(phrase: str, papers: list[Paper]) -> str:
    """The phrase as the papers spell it most often ('LLM', 'Diffusion Models'), words capitalised."""
    pattern = re.compile(r"\b" + r"\s+".join(map(re.escape, phrase.split())) + r"\b", re.IGNORECASE)
    spelled = Counter(m.group() for p in papers for m in pattern.finditer(f"{p.title} {p.abstract}"))
    best = spelled.most_common(1)[0][0] if spelled else phrase
    return " ".join(w[0].upper() + w[1:] for w in best.split())


def _unique(names: list[str]) -> list[str]:
    seen: Counter[str] = Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
