"""Logistic regression (binary sigmoid / multinomial softmax) with L2, L1 or no penalty.

p(y=1|x) = sigma(w.x + b), sigma(z) = 1 / (1 + exp(-z)); the input z ranges over (-inf, inf) and
the output over (0, 1) (TOPICS E22). Objective (scikit-learn's):
    C * sum_i s_i * logloss_i + 0.5 * ||W||_F^2     (l1_ratio = 0)
    C * sum_i s_i * logloss_i + ||W||_1             (l1_ratio = 1)
The intercept is not penalised. L1 is solved exactly by L-BFGS-B on the split W = P - N, P, N >= 0.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, log_softmax

from .._base import (
    BaseEstimator,
    ClassifierMixin,
    check_classification_targets,
    check_positive_int,
    check_sample_weight,
    check_X_y,
)
from ._linear_classifier import LinearClassifierMixin

__all__ = ["LogisticRegression"]


def _loss_grad(params, X, Y, sw, C, K, fit_intercept, l1):
    """Objective / (C * sum s) and its gradient; params = W (K', d) [+ b (K',)] (L1: P, N split)."""
    n, d = X.shape
    kp = 1 if K == 2 else K
    nw = kp * d
    if l1:
        W = (params[:nw] - params[nw : 2 * nw]).reshape(kp, d)
        b = params[2 * nw :] if fit_intercept else np.zeros(kp)
    else:
        W = params[:nw].reshape(kp, d)
        b = params[nw:] if fit_intercept else np.zeros(kp)
    Z = X @ W.T + b  # (n, K')
    total = sw.sum()
    if K == 2:
        z = Z[:, 0]
        y = Y[:, 1]
        loss = np.sum(sw * (np.logaddexp(0, z) - y * z))
        G = (sw * (expit(z) - y))[:, None]
    else:
        logp = log_softmax(Z, axis=1)
        loss = -np.sum(sw * np.sum(Y * logp, axis=1))
        G = sw[:, None] * (np.exp(logp) - Y)
    gW = G.T @ X / total
    gb = G.sum(0) / total
    loss /= total
    scale = 1.0 / (C * total)
    if l1:
        P, N = params[:nw], params[nw : 2 * nw]
        loss += scale * np.sum(P + N)
        gflat = gW.ravel()
        grad = [gflat + scale, -gflat + scale]
    else:
        loss += 0.5 * scale * np.sum(W * W)
        grad = [(gW + scale * W).ravel()]
    if fit_intercept:
        grad.append(gb)
    return loss, np.concatenate(grad)


class LogisticRegression(LinearClassifierMixin, ClassifierMixin, BaseEstimator):
    """Linear classifier with a logistic (K=2) or softmax (K>2) link, fitted by L-BFGS.

    Args:
        C: inverse regularisation strength (np.inf = no penalty). Default: 1.0.
        l1_ratio: 0 for L2, 1 for L1 (elastic-net values in between are not supported). Default: 0.
        tol: gradient tolerance of L-BFGS(-B) on the normalised objective. Default: 1e-4.
        fit_intercept: learn b (unpenalised). Default: True.   max_iter: Default: 100.
        solver: "lbfgs" (only choice; L1 uses its bound-constrained form).

    Attributes:
        classes_ (K,), coef_ (1, d) for K = 2 else (K, d), intercept_ (1,) or (K,), n_iter_ (1,).

    Notes:
        K > 2 uses the full multinomial (K rows of weights), as scikit-learn >= 1.5 does.
        scikit-learn's deprecated ``penalty=`` is not mirrored; use ``l1_ratio`` / ``C=np.inf``.
    """

    def __init__(
        self,
        *,
        C=1.0,
        l1_ratio=0.0,
        tol=1e-4,
        fit_intercept=True,
        max_iter=100,
        solver="lbfgs",
        random_state=None,
    ):
        self.C = C
        self.l1_ratio = l1_ratio
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.solver = solver
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        X, y = check_X_y(X, y)
        self.classes_, enc = check_classification_targets(y)
        K = len(self.classes_)
        if K < 2:
            raise ValueError(
                "This solver needs samples of at least 2 classes in the data, but the data "
                f"contains only one class: {self.classes_[0]!r}"
            )
        if not self.C > 0:
            raise ValueError(f"C must be > 0, got {self.C}")
        if self.l1_ratio not in (0, 0.0, 1, 1.0):
            raise ValueError(f"l1_ratio must be 0 (L2) or 1 (L1), got {self.l1_ratio}")
        if self.solver != "lbfgs":
            raise ValueError(f"solver must be 'lbfgs', got {self.solver!r}")
        check_positive_int(self.max_iter, "max_iter")
        sw = check_sample_weight(sample_weight, len(X))
        l1 = self.l1_ratio == 1 and np.isfinite(self.C)
        n, d = X.shape
        kp = 1 if K == 2 else K
        Y = np.eye(K)[enc]
        n_w = kp * d * (2 if l1 else 1)
        x0 = np.zeros(n_w + (kp if self.fit_intercept else 0))
        bounds = [(0, None)] * n_w + [(None, None)] * (len(x0) - n_w) if l1 else None
        res = minimize(
            _loss_grad,
            x0,
            args=(X, Y, sw, self.C, K, self.fit_intercept, l1),
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={
                "maxiter": self.max_iter,
                "gtol": self.tol,
                "ftol": 64 * np.finfo(float).eps,
                "maxls": 50,
            },
        )
        p = res.x
        W = (p[: kp * d] - p[kp * d : 2 * kp * d]) if l1 else p[: kp * d]
        self.coef_ = W.reshape(kp, d)
        self.intercept_ = p[n_w:] if self.fit_intercept else np.zeros(kp)
        self.n_iter_ = np.array([res.nit])
        self.n_features_in_ = d
        return self

    def predict_proba(self, X):
        """Class probabilities, shape (n, K): [1 - sigma(z), sigma(z)] or softmax(z)."""
        Z = self.decision_function(X)
        if Z.ndim == 1:
            p = expit(Z)
            return np.stack([1 - p, p], axis=1)
        return np.exp(log_softmax(Z, axis=1))

    def predict_log_proba(self, X):
        return np.log(self.predict_proba(X))
