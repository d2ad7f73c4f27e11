"""Generative-model scores from a classifier's outputs: Inception Score and Frechet distance (FID).

IS = exp(E_x KL(p(y|x) || p(y))) = exp(H(y) - E_x H(y|x)), in [1, n_classes] (TOPICS.md 1.14).
FID = ||mu1 - mu2||^2 + Tr(S1 + S2 - 2 sqrtm(S1 @ S2)) between Gaussians fitted to features.

Both take the network outputs as arrays: no Inception-v3 weights exist offline, so scores from
another classifier are internally comparable but not comparable to published numbers.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from scipy import linalg

from ._validation import check_finite, to_numpy

__all__ = ["inception_score", "frechet_distance", "fid_from_features"]


def inception_score(probs: Any, splits: int = 10) -> tuple[float, float]:
    """Mean and std over ``splits`` chunks of exp(mean_x KL(p(y|x) || p_chunk(y))).

    Args:
        probs: (N, C) class probabilities p(y|x), rows summing to 1.
        splits: number of contiguous chunks, rows [i*N//splits, (i+1)*N//splits) (the reference
            ``openai/improved-gan`` split). Default: 10.

    Returns:
        (mean, std) of the per-chunk scores (population std, ddof = 0).

    Notes:
        0 * log 0 is taken as 0 (its limit) instead of adding an epsilon, so one-hot rows are exact:
        balanced one-hot predictions over C classes give IS = C, uniform rows give 1.
    """
    p = to_numpy(probs, "probs", np.float64)
    if p.ndim != 2:
        raise ValueError(f"probs: expected shape (N, C), got {p.shape}")
    check_finite(p, "probs")
    if p.size and (p.min() < 0 or not np.allclose(p.sum(axis=1), 1.0, atol=1e-6)):
        raise ValueError("probs: expected non-negative rows that sum to 1 (softmax outputs)")
    if not isinstance(splits, (int, np.integer)) or not 1 <= splits <= len(p):
        raise ValueError(f"splits: expected an integer in [1, N={len(p)}], got {splits!r}")
    scores = []
    for i in range(splits):
        part = p[i * len(p) // splits:(i + 1) * len(p) // splits]
        marginal = part.mean(axis=0, keepdims=True)  # (1, C)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(part > 0, part * (np.log(part) - np.log(marginal)), 0.0)
        scores.append(np.exp(terms.sum(axis=1).mean()))
    return float(np.mean(scores)), float(np.std(scores))


def frechet_distance(mu1: Any, sigma1: Any, mu2: Any, sigma2: Any, eps: float = 1e-6) -> float:
    """Frechet distance between N(mu1, sigma1) and N(mu2, sigma2), pytorch-fid's formula.

    Args:
        mu1, mu2: (D,) means. sigma1, sigma2: (D, D) covariances.
        eps: added to both diagonals when sqrtm(sigma1 @ sigma2) is not finite (singular product).

    Notes:
        An imaginary part of sqrtm with |diag| <= 1e-3 (round-off) is dropped; larger raises
        ValueError, as in pytorch-fid. Uses ``scipy.linalg.sqrtm`` without the removed ``disp``.
    """
    mu1, mu2 = to_numpy(mu1, "mu1", np.float64), to_numpy(mu2, "mu2", np.float64)
    s1, s2 = to_numpy(sigma1, "sigma1", np.float64), to_numpy(sigma2, "sigma2", np.float64)
    d = mu1.shape[0] if mu1.ndim == 1 else -1
    for name, arr, shape in (("mu2", mu2, (d,)), ("sigma1", s1, (d, d)), ("sigma2", s2, (d, d))):
        if d < 0 or arr.shape != shape:
            raise ValueError(f"{name}: expected shape {shape} to match mu1 {mu1.shape}, got "
                             f"{arr.shape}")
    diff = mu1 - mu2
    covmean = linalg.sqrtm(s1 @ s2)
    if not np.isfinite(covmean).all():
        offset = np.eye(d) * eps
        covmean = linalg.sqrtm((s1 + offset) @ (s2 + offset))
    if np.iscomplexobj(covmean):
        if not np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3):
            raise ValueError(f"sqrtm(sigma1 @ sigma2) has an imaginary component "
                             f"{np.max(np.abs(covmean.imag))}")
        covmean = covmean.real
    return float(diff @ diff + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def fid_from_features(features1: Any, features2: Any, eps: float = 1e-6) -> float:
    """FID from two feature sets (N1, D) and (N2, D): means and covariances (ddof = 1), then
    ``frechet_distance``."""
    f1, f2 = to_numpy(features1, "features1", np.float64), to_numpy(features2, "features2",
                                                                     np.float64)
    if f1.ndim != 2 or f2.ndim != 2 or f1.shape[1] != f2.shape[1] or min(len(f1), len(f2)) < 2:
        raise ValueError(f"features1, features2: expected (N, D) arrays with the same D and N >= 2, "
                         f"got {f1.shape} and {f2.shape}")
    return frechet_distance(f1.mean(0), np.cov(f1, rowvar=False), f2.mean(0),
                            np.cov(f2, rowvar=False), eps)
