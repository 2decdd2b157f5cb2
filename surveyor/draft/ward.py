"""Ward's agglomerative clustering in numpy (what scipy's `linkage(method="ward")` and `fcluster(...,
criterion="maxclust")` give), for the few hundred papers of a draft: scipy would add 140 MB to every
install for these two calls."""

from __future__ import annotations

import numpy as np


def ward_merges(vectors: np.ndarray) -> list[tuple[int, int]]:
    """The order in which clusters merge, closest first by Ward's criterion (the smallest increase in
    within-cluster variance). Rows are clusters 0..n-1; the k-th merge makes cluster n+k."""
    n = len(vectors)
    points = vectors.astype(np.float64)
    squares = (points**2).sum(axis=1)
    distance = np.sqrt(np.maximum(squares[:, None] + squares[None, :] - 2 * points @ points.T, 0.0))
    np.fill_diagonal(distance, np.inf)
    size = np.ones(n)
    ids = list(range(n))  # the cluster id held at each row of `distance`
    merges: list[tuple[int, int]] = []
    for step in range(n - 1):
        row, col = (int(k) for k in np.unravel_index(int(np.argmin(distance)), distance.shape))
        i, j = min(row, col), max(row, col)
        merges.append((ids[i], ids[j]))
        # Lance-Williams for Ward: the merged cluster's distance to every other cluster v.
        total = size + size[i] + size[j]
        joined = np.sqrt(np.maximum(
            ((size + size[i]) * distance[i] ** 2 + (size + size[j]) * distance[j] ** 2 - size * distance[i, j] ** 2)
            / total,
            0.0,
        ))
        joined[[i, j]] = np.inf
        distance[i], distance[:, i] = joined, joined
        distance[j], distance[:, j] = np.inf, np.inf
        size[i] += size[j]
        ids[i] = n + step
    return merges


def cut(merges: list[tuple[int, int]], n: int, clusters: int) -> np.ndarray:
    """Labels (1-based) of the n points once only `clusters` clusters are left: the first n - clusters merges."""
    parent = list(range(2 * n))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for step, (a, b) in enumerate(merges[: max(n - clusters, 0)]):
        parent[root(a)] = parent[root(b)] = n + step
    roots = [root(i) for i in range(n)]
    numbers = {r: k for k, r in enumerate(dict.fromkeys(roots), 1)}
    return np.array([numbers[r] for r in roots])
