"""Gaussian naive Bayes: the generative half of the generative-vs-discriminative pair (TOPICS 1.23, C164).

A generative model estimates the joint p(x, y) = p(y) prod_j N(x_j; theta_yj, var_yj) and predicts
with Bayes' rule; logistic regression (the discriminative partner) models p(y | x) directly.
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from ._base import (
    BaseEstimator,
    ClassifierMixin,
    check_array,
    check_classification_targets,
    check_is_fitted,
    check_n_features,
    check_sample_weight,
    check_X_y,
)

__all__ = ["GaussianNB"]


class GaussianNB(ClassifierMixin, BaseEstimator):
    """Naive Bayes with per-class, per-feature Gaussians.

    Args:
        priors: fixed class priors (K,) or None (class frequencies).
        var_smoothing: epsilon = var_smoothing * max_j Var(x_j) added to every variance. Default 1e-9.

    Attributes:
        classes_ (K,), class_count_ (K,), class_prior_ (K,), theta_ (K, d) means,
        var_ (K, d) variances (biased, + epsilon), epsilon_.

    Notes:
        Weighted means/variances with ``sample_weight``, as scikit-learn (no ``partial_fit``).
    """

    def __init__(self, *, priors=None, var_smoothing=1e-9):
        self.priors = priors
        self.var_smoothing = var_smoothing

    def fit(self, X, y, sample_weight=None):
        X, y = check_X_y(X, y)
        self.classes_, enc = check_classification_targets(y)
        w = check_sample_weight(sample_weight, len(X))
        K, d = len(self.classes_), X.shape[1]
        self.epsilon_ = self.var_smoothing * np.var(X, axis=0).max()
        onehot = np.zeros((len(X), K))
        onehot[np.arange(len(X)), enc] = w
        self.class_count_ = onehot.sum(0)
        self.theta_ = onehot.T @ X / self.class_count_[:, None]
        self.var_ = np.empty((K, d))
        for k in range(K):  # two-pass variance (the one-pass E[x^2] - E[x]^2 cancels badly)
            diff = X[enc == k] - self.theta_[k]
            self.var_[k] = (w[enc == k] @ diff**2) / self.class_count_[k]
        self.var_ += self.epsilon_
        if self.priors is None:
            self.class_prior_ = self.class_count_ / self.class_count_.sum()
        else:
            pri = np.asarray(self.priors, dtype=np.float64)
            if pri.shape != (K,):
                raise ValueError(
                    f"Number of priors must match number of classes: {pri.shape} vs {K}"
                )
            if not np.isclose(pri.sum(), 1.0) or (pri < 0).any():
                raise ValueError(f"priors must be non-negative and sum to 1, got {pri}")
            self.class_prior_ = pri
        self.n_features_in_ = d
        return self

    def _joint_log_likelihood(self, X):
        """log p(y=k) + sum_j log N(x_j; theta_kj, var_kj), shape (n, K)."""
        check_is_fitted(self, "theta_")
        X = check_array(X)
        check_n_features(self, X)
        log_norm = -0.5 * np.sum(np.log(2.0 * np.pi * self.var_), axis=1)
        quad = ((X[:, None, :] - self.theta_[None]) ** 2 / self.var_[None]).sum(-1)  # (n, K)
        return np.log(self.class_prior_) + log_norm - 0.5 * quad

    def predict_log_proba(self, X):
        jll = self._joint_log_likelihood(X)
        return jll - logsumexp(jll, axis=1, keepdims=True)

    def predict_proba(self, X):
        """Posterior p(y=k | x), shape (n, K)."""
        return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        jll = self._joint_log_likelihood(X)  # validates (and checks fitted) before classes_ is read
        return self.classes_[np.argmax(jll, axis=1)]
