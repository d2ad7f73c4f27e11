"""One run, side by side: ember.ml vs scikit-learn on the sizes of issue 9.

Usage: python benchmarks/ml_vs_sklearn.py [--quick]. Needs scikit-learn (test extra). Prints a
markdown table of wall-clock seconds (single run each; scikit-learn with its default threading).
"""

from __future__ import annotations

import sys
import time

import numpy as np


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(quick: bool = False) -> None:
    import sklearn.cluster
    import sklearn.decomposition
    import sklearn.ensemble
    import sklearn.mixture
    import sklearn.neighbors

    from ember.ml.cluster import KMeans
    from ember.ml.decomposition import PCA
    from ember.ml.ensemble import RandomForestClassifier
    from ember.ml.mixture import GaussianMixture
    from ember.ml.neighbors import KNeighborsClassifier

    s = 10 if quick else 1
    rng = np.random.default_rng(0)
    X_km = rng.normal(size=(100_000 // s, 16)) + rng.integers(0, 8, (100_000 // s, 1)) * 3.0
    X_gm = rng.normal(size=(20_000 // s, 8)) + rng.integers(0, 5, (20_000 // s, 1)) * 3.0
    X_kn, Q_kn = rng.normal(size=(10_000 // s, 64)), rng.normal(size=(10_000 // s, 64))
    y_kn = rng.integers(0, 3, len(X_kn))
    X_rf = rng.normal(size=(20_000 // s, 20))
    y_rf = (X_rf[:, :5].sum(1) + 0.5 * rng.normal(size=len(X_rf)) > 0).astype(int)
    X_pc = rng.normal(size=(10_000 // s, 256)) @ rng.normal(size=(256, 256))
    n_trees = 10 if quick else 100
    rows = [
        (
            "KMeans 100k x 16, k=8",
            lambda: KMeans(8, random_state=0).fit(X_km),
            lambda: sklearn.cluster.KMeans(8, random_state=0).fit(X_km),
        ),
        (
            "GaussianMixture 20k x 8, K=5",
            lambda: GaussianMixture(5, random_state=0).fit(X_gm),
            lambda: sklearn.mixture.GaussianMixture(5, random_state=0).fit(X_gm),
        ),
        (
            "KNN 10k x 64, 10k queries",
            lambda: KNeighborsClassifier(5).fit(X_kn, y_kn).predict(Q_kn),
            lambda: sklearn.neighbors.KNeighborsClassifier(5).fit(X_kn, y_kn).predict(Q_kn),
        ),
        (
            f"RandomForest 20k x 20, {n_trees} trees",
            lambda: RandomForestClassifier(n_trees, random_state=0).fit(X_rf, y_rf),
            lambda: sklearn.ensemble.RandomForestClassifier(n_trees, random_state=0).fit(
                X_rf, y_rf
            ),
        ),
        (
            "PCA 10k x 256 (full SVD)",
            lambda: PCA(32, svd_solver="full").fit(X_pc),
            lambda: sklearn.decomposition.PCA(32, svd_solver="full").fit(X_pc),
        ),
    ]
    print("| task | ember (s) | scikit-learn (s) | ratio |\n|---|---|---|---|")
    for name, ours, ref in rows:
        a, b = _time(ours), _time(ref)
        print(f"| {name} | {a:.2f} | {b:.2f} | {a / b:.1f}x |", flush=True)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
