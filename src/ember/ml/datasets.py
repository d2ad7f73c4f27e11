"""Synthetic data sets of TOPICS.md 2.0 generated in code (no downloads): blobs, moons, circles,
anisotropic blobs and the LOGREG two-Gaussian problem."""

from __future__ import annotations

import numpy as np

from ._base import check_positive_int, check_random_state

__all__ = ["make_blobs", "make_moons", "make_circles", "make_anisotropic", "make_two_gaussians"]


def make_blobs(
    n_samples=100,
    n_features=2,
    centers=3,
    cluster_std=1.0,
    center_box=(-10.0, 10.0),
    random_state=None,
):
    """Isotropic Gaussian blobs; ``centers`` is a count or an array (k, d). Returns (X (n, d), y (n,))."""
    rng = check_random_state(random_state)
    n = check_positive_int(n_samples, "n_samples")
    if np.ndim(centers) == 0:
        centers = rng.uniform(
            *center_box, size=(check_positive_int(centers, "centers"), n_features)
        )
    centers = np.asarray(centers, dtype=np.float64)
    k = len(centers)
    y = np.repeat(np.arange(k), [n // k + (i < n % k) for i in range(k)])
    std = np.broadcast_to(np.asarray(cluster_std, dtype=np.float64), (k,))
    X = centers[y] + rng.standard_normal((n, centers.shape[1])) * std[y, None]
    perm = rng.permutation(n)
    return X[perm], y[perm]


def make_moons(n_samples=100, noise=None, random_state=None):
    """Two interleaving half circles (MOONS), Gaussian noise of std ``noise``."""
    rng = check_random_state(random_state)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    X = np.vstack(
        [np.c_[np.cos(t_out), np.sin(t_out)], np.c_[1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5]]
    )
    y = np.r_[np.zeros(n_out, int), np.ones(n_in, int)]
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    perm = rng.permutation(n_samples)
    return X[perm], y[perm]


def make_circles(n_samples=100, noise=None, factor=0.5, random_state=None):
    """A small circle (label 1, radius ``factor``) inside a large one (label 0, radius 1)."""
    rng = check_random_state(random_state)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([np.c_[np.cos(t_out), np.sin(t_out)], factor * np.c_[np.cos(t_in), np.sin(t_in)]])
    y = np.r_[np.zeros(n_out, int), np.ones(n_in, int)]
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    perm = rng.permutation(n_samples)
    return X[perm], y[perm]


def make_anisotropic(n_samples=600, random_state=None):
    """Three elongated, partly overlapping Gaussian clusters (blobs sheared by a fixed matrix)."""
    X, y = make_blobs(
        n_samples,
        2,
        centers=[[-4, 0], [0, 0], [4, 0]],
        cluster_std=[1.0, 1.0, 1.0],
        random_state=random_state,
    )
    X[:, 1] *= 4.0  # stretch vertically: clusters much taller than the gaps between them
    return X @ np.array([[0.9, 0.3], [-0.3, 0.9]]), y


def make_two_gaussians(n_samples=2000, n_features=10, separation=1.28, skew=0.0, random_state=None):
    """LOGREG: two classes N(+-mu, I) with ||2 mu|| = 2 * ``separation`` (Bayes accuracy
    Phi(separation), ~90% by default); ``skew`` > 0 makes features mildly non-Gaussian (x + skew x^2)."""
    rng = check_random_state(random_state)
    y = rng.integers(0, 2, n_samples)
    mu = np.full(n_features, separation / np.sqrt(n_features))
    X = rng.standard_normal((n_samples, n_features)) + np.where(y[:, None] == 1, mu, -mu)
    if skew:
        X = X + skew * (X**2 - 1)
    return X, y
