"""Linear SVM trained by stochastic sub-gradient descent on the hinge loss (Pegasos-style)."""

from __future__ import annotations

import numpy as np

from .._base import (
    BaseEstimator,
    ClassifierMixin,
    check_classification_targets,
    check_positive_int,
    check_random_state,
    check_X_y,
)
from ._linear_classifier import LinearClassifierMixin

__all__ = ["SGDClassifier"]


class SGDClassifier(LinearClassifierMixin, ClassifierMixin, BaseEstimator):
    """Linear classifier minimising mean hinge loss + (alpha/2)||w||^2 by mini-batch sub-gradients.

    Per epoch, for shuffled mini-batches B: margin m_i = y_i (w.x_i + b), y in {-1, +1};
    g_w = alpha w - mean_{i in B, m_i < 1} y_i x_i (sum over violators / |B|), g_b likewise;
    step eta_t = 1 / (alpha (t0 + t)) (``learning_rate="optimal"``-like) or constant ``eta0``.
    Multi-class = one-vs-rest. ``loss="log_loss"`` swaps in the logistic sub-gradient.

    Attributes: classes_, coef_ (1 or K, d), intercept_, n_iter_ (epochs run).

    Notes:
        Deviation from scikit-learn: mini-batches (``batch_size``, default 1 = scikit-learn's
        plain SGD) and a tolerance on the epoch objective; iterates therefore differ (stat only).
    """

    def __init__(
        self,
        loss="hinge",
        *,
        alpha=1e-4,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-3,
        shuffle=True,
        random_state=None,
        learning_rate="optimal",
        eta0=0.01,
        batch_size=1,
        n_iter_no_change=5,
    ):
        self.loss = loss
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.random_state = random_state
        self.learning_rate = learning_rate
        self.eta0 = eta0
        self.batch_size = batch_size
        self.n_iter_no_change = n_iter_no_change

    def _fit_binary(self, X, y, rng):
        n, d = X.shape
        w, b = np.zeros(d), 0.0
        t0 = 1.0 / (self.alpha * max(self.eta0, 1e-12)) if self.learning_rate == "optimal" else 0.0
        t, best, stall = 0, np.inf, 0
        bs = check_positive_int(self.batch_size, "batch_size")
        for epoch in range(1, self.max_iter + 1):
            order = rng.permutation(n) if self.shuffle else np.arange(n)
            for s in range(0, n, bs):
                idx = order[s : s + bs]
                z = X[idx] @ w + b
                if self.loss == "hinge":
                    coef = np.where(y[idx] * z < 1, -y[idx], 0.0)
                else:
                    coef = -y[idx] / (1 + np.exp(np.clip(y[idx] * z, -50, 50)))
                eta = (
                    1.0 / (self.alpha * (t0 + t)) if self.learning_rate == "optimal" else self.eta0
                )
                w = w * (1 - eta * self.alpha) - eta * (coef @ X[idx]) / len(idx)
                if self.fit_intercept:
                    b -= eta * coef.mean()
                t += 1
            m = y * (X @ w + b)
            obj = (
                np.maximum(0, 1 - m).mean() if self.loss == "hinge" else np.logaddexp(0, -m).mean()
            ) + 0.5 * self.alpha * w @ w
            if self.tol is not None and obj > best - self.tol:
                stall += 1
                if stall >= self.n_iter_no_change:
                    break
            else:
                stall = 0
            best = min(best, obj)
        return w, b, epoch

    def fit(self, X, y):
        X, y = check_X_y(X, y)
        if self.loss not in ("hinge", "log_loss"):
            raise ValueError(f"loss must be 'hinge' or 'log_loss', got {self.loss!r}")
        if self.learning_rate not in ("optimal", "constant"):
            raise ValueError(
                f"learning_rate must be 'optimal' or 'constant', got {self.learning_rate!r}"
            )
        if not self.alpha > 0:
            raise ValueError(f"alpha must be > 0, got {self.alpha}")
        check_positive_int(self.max_iter, "max_iter")
        self.classes_, enc = check_classification_targets(y)
        if len(self.classes_) < 2:
            raise ValueError("The number of classes has to be greater than one; got 1 class")
        rng = check_random_state(self.random_state)
        targets = (
            [enc == 1] if len(self.classes_) == 2 else [enc == k for k in range(len(self.classes_))]
        )
        fits = [self._fit_binary(X, np.where(t, 1.0, -1.0), rng) for t in targets]
        self.coef_ = np.stack([f[0] for f in fits])
        self.intercept_ = np.array([f[1] for f in fits])
        self.n_iter_ = max(f[2] for f in fits)
        self.n_features_in_ = X.shape[1]
        return self
