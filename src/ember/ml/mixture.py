"""Gaussian mixture model fitted by EM (TOPICS.md 1.23; claims C156, C157).

p(x) = sum_k pi_k N(x; mu_k, Sigma_k). E step: responsibilities r_ik = pi_k N(x_i; k) / p(x_i)
(in log space, log-sum-exp). M step: N_k = sum_i r_ik + 10 eps, pi_k = N_k / n,
mu_k = sum_i r_ik x_i / N_k, Sigma_k = sum_i r_ik (x_i - mu_k)(x_i - mu_k)^T / N_k + reg_covar * I.
EM never decreases the log-likelihood (checked per iteration by claim C156).
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from ._base import (
    BaseEstimator,
    check_array,
    check_is_fitted,
    check_n_features,
    check_positive_int,
    check_random_state,
)
from .cluster import KMeans, kmeans_plusplus

__all__ = ["GaussianMixture", "estimate_gaussian_parameters", "gaussian_log_prob"]

_COV_TYPES = ("full", "tied", "diag", "spherical")


def estimate_gaussian_parameters(X, resp, reg_covar: float, covariance_type: str):
    """M step: (N_k (K,), means (K, d), covariances) from responsibilities resp (n, K).

    Covariance shapes: full (K, d, d), tied (d, d), diag (K, d), spherical (K,).
    """
    nk = resp.sum(axis=0) + 10 * np.finfo(resp.dtype).eps
    means = resp.T @ X / nk[:, None]
    if covariance_type == "full":
        cov = np.empty((len(nk), X.shape[1], X.shape[1]))
        for k in range(len(nk)):
            diff = X - means[k]
            cov[k] = (resp[:, k] * diff.T) @ diff / nk[k]
            cov[k].flat[:: X.shape[1] + 1] += reg_covar
    elif covariance_type == "tied":
        cov = (X.T @ X - (nk * means.T) @ means) / nk.sum()
        cov.flat[:: X.shape[1] + 1] += reg_covar
    else:
        avg_x2 = resp.T @ (X * X) / nk[:, None]
        cov = avg_x2 - 2 * means * (resp.T @ X) / nk[:, None] + means**2 + reg_covar
        if covariance_type == "spherical":
            cov = cov.mean(1)
    return nk, means, cov


def _precision_cholesky(cov, covariance_type: str):
    """Cholesky factor of the precision (inverse covariance) in the layout of ``cov``."""
    msg = (
        "Fitting the mixture model failed because some components have ill-defined empirical "
        "covariance (for instance caused by singleton or collapsed samples). Try to decrease the "
        "number of components, increase reg_covar, or scale the input data."
    )
    if covariance_type in ("full", "tied"):
        mats = cov if covariance_type == "full" else cov[None]
        out = np.empty_like(mats)
        for k, c in enumerate(mats):
            try:
                chol = np.linalg.cholesky(c)
            except np.linalg.LinAlgError as exc:
                raise ValueError(msg) from exc
            # inverse of the triangular factor (scipy's solve_triangular is ~1000x slower for tiny
            # matrices here, BLAS trsm threading); agrees with it to round-off
            out[k] = np.linalg.inv(chol).T
        return out if covariance_type == "full" else out[0]
    if np.any(cov <= 0.0):
        raise ValueError(msg)
    return 1.0 / np.sqrt(cov)


def gaussian_log_prob(X, means, prec_chol, covariance_type: str) -> np.ndarray:
    """log N(x_i; mu_k, Sigma_k) for every sample and component, shape (n, K)."""
    n, d = X.shape
    K = len(means)
    if covariance_type in ("full", "tied"):
        pcs = prec_chol if covariance_type == "full" else np.broadcast_to(prec_chol, (K, d, d))
        log_det = np.log(np.diagonal(pcs, axis1=1, axis2=2)).sum(1)
        maha = np.empty((n, K))
        for k in range(K):
            y = X @ pcs[k] - means[k] @ pcs[k]
            maha[:, k] = np.sum(y * y, axis=1)
    elif covariance_type == "diag":
        log_det = np.log(prec_chol).sum(1)
        p = prec_chol**2
        maha = (means**2 * p).sum(1) - 2.0 * X @ (means * p).T + (X**2) @ p.T
    else:
        log_det = d * np.log(prec_chol)
        p = prec_chol**2
        maha = (means**2).sum(1) * p - 2 * X @ means.T * p + np.outer((X**2).sum(1), p)
    return -0.5 * (d * np.log(2 * np.pi) + maha) + log_det


class GaussianMixture(BaseEstimator):
    """Gaussian mixture fitted by expectation-maximisation.

    Args:
        n_components: K. Default: 1.
        covariance_type: "full" (default), "tied", "diag" or "spherical".
        tol: stop when the mean log-likelihood gains < tol. Default: 1e-3.
        reg_covar: added to every covariance diagonal. Default: 1e-6.
        max_iter: EM iterations. Default: 100.   n_init: restarts, best likelihood kept. Default: 1.
        init_params: "kmeans" (responsibilities from a K-Means run), "k-means++",
            "random" or "random_from_data".
        weights_init (K,), means_init (K, d), precisions_init (inverse covariances): fixed start.

    Attributes:
        weights_, means_, covariances_, precisions_, precisions_cholesky_, converged_, n_iter_,
        lower_bound_ (mean log-likelihood at the last E step), lower_bounds_ (one per iteration).

    Notes:
        Same update order as scikit-learn: the likelihood reported for iteration t is computed in
        its E step, before that iteration's M step, and a final E step fixes the labels. With the
        same ``*_init`` arrays the parameters agree with scikit-learn to round-off (ORACLES.md §5).
    """

    def __init__(
        self,
        n_components=1,
        *,
        covariance_type="full",
        tol=1e-3,
        reg_covar=1e-6,
        max_iter=100,
        n_init=1,
        init_params="kmeans",
        weights_init=None,
        means_init=None,
        precisions_init=None,
        random_state=None,
    ):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.random_state = random_state

    # -- parameter plumbing -------------------------------------------------------------------
    def _set(self, weights, means, cov):
        self.weights_, self.means_, self.covariances_ = weights, means, cov
        self.precisions_cholesky_ = _precision_cholesky(cov, self.covariance_type)
        pc = self.precisions_cholesky_
        if self.covariance_type == "full":
            self.precisions_ = np.einsum("kij,klj->kil", pc, pc)
        elif self.covariance_type == "tied":
            self.precisions_ = pc @ pc.T
        else:
            self.precisions_ = pc**2

    def _initialize(self, X, rng):
        n, K = len(X), self.n_components
        if self.init_params in ("kmeans", "k-means++"):
            if self.init_params == "kmeans":
                labels = KMeans(K, n_init=1, random_state=rng).fit(X).labels_
            else:
                labels = np.argmin(
                    ((X[:, None] - kmeans_plusplus(X, K, random_state=rng)[0]) ** 2).sum(-1), 1
                )
            resp = np.zeros((n, K))
            resp[np.arange(n), labels] = 1
        elif self.init_params == "random":
            resp = rng.uniform(size=(n, K))
            resp /= resp.sum(1, keepdims=True)
        elif self.init_params == "random_from_data":
            resp = np.zeros((n, K))
            resp[rng.choice(n, size=K, replace=False), np.arange(K)] = 1
        else:
            raise ValueError(
                "init_params must be 'kmeans', 'k-means++', 'random' or "
                f"'random_from_data', got {self.init_params!r}"
            )
        nk, means, cov = estimate_gaussian_parameters(X, resp, self.reg_covar, self.covariance_type)
        weights = (
            nk / n if self.weights_init is None else np.asarray(self.weights_init, dtype=np.float64)
        )
        means = means if self.means_init is None else np.asarray(self.means_init, dtype=np.float64)
        if self.precisions_init is not None:
            prec = np.asarray(self.precisions_init, dtype=np.float64)
            cov = np.linalg.inv(prec) if self.covariance_type in ("full", "tied") else 1.0 / prec
        self._set(weights, means, cov)

    def _estimate_weighted_log_prob(self, X):
        return gaussian_log_prob(
            X, self.means_, self.precisions_cholesky_, self.covariance_type
        ) + np.log(self.weights_)

    def _e_step(self, X):
        wlp = self._estimate_weighted_log_prob(X)
        norm = logsumexp(wlp, axis=1)
        return float(np.mean(norm)), wlp - norm[:, None]

    def _m_step(self, X, log_resp):
        nk, means, cov = estimate_gaussian_parameters(
            X, np.exp(log_resp), self.reg_covar, self.covariance_type
        )
        self._set(nk / nk.sum(), means, cov)

    # -- estimator API -----------------------------------------------------------------------
    def fit(self, X, y=None):
        """Run EM ``n_init`` times; keep the run with the highest final lower bound."""
        self.fit_predict(X)
        return self

    def fit_predict(self, X, y=None):
        """Fit, then return the component with the largest posterior for each sample (n,)."""
        X = check_array(X, ensure_min_samples=2)
        K = check_positive_int(self.n_components, "n_components")
        if len(X) < K:
            raise ValueError(
                f"Expected n_samples >= n_components but got n_components = {K}, "
                f"n_samples = {len(X)}"
            )
        if self.covariance_type not in _COV_TYPES:
            raise ValueError(
                f"covariance_type must be one of {_COV_TYPES}, got {self.covariance_type!r}"
            )
        if self.reg_covar < 0:
            raise ValueError(f"reg_covar must be >= 0, got {self.reg_covar}")
        check_positive_int(self.max_iter, "max_iter")
        rng = check_random_state(self.random_state)
        best = (-np.inf, None)
        for _ in range(check_positive_int(self.n_init, "n_init")):
            self._initialize(X, rng)
            lb, history, converged = -np.inf, [], False
            for it in range(1, self.max_iter + 1):
                prev = lb
                lb, log_resp = self._e_step(X)
                self._m_step(X, log_resp)
                history.append(lb)
                if abs(lb - prev) < self.tol:
                    converged = True
                    break
            if lb > best[0] or best[1] is None:
                state = (self.weights_, self.means_, self.covariances_)
                best = (lb, (state, it, converged, history))
        (w, m, c), self.n_iter_, self.converged_, self.lower_bounds_ = best[1]
        self._set(w, m, c)
        self.lower_bound_ = best[0]
        self.n_features_in_ = X.shape[1]
        return self._e_step(X)[1].argmax(axis=1)

    def _check_X(self, X):
        check_is_fitted(self, "means_")
        X = check_array(X)
        check_n_features(self, X)
        return X

    def score_samples(self, X):
        """log p(x_i) under the mixture, shape (n,)."""
        return logsumexp(self._estimate_weighted_log_prob(self._check_X(X)), axis=1)

    def score(self, X, y=None) -> float:
        """Mean log-likelihood per sample."""
        return float(self.score_samples(X).mean())

    def predict_proba(self, X):
        """Responsibilities r_ik, shape (n, K)."""
        return np.exp(self._e_step(self._check_X(X))[1])

    def predict(self, X):
        """Most probable component, shape (n,)."""
        return self._estimate_weighted_log_prob(self._check_X(X)).argmax(axis=1)

    def _n_parameters(self) -> int:
        K, d = self.means_.shape
        cov = {"full": K * d * (d + 1) / 2, "diag": K * d, "tied": d * (d + 1) / 2, "spherical": K}
        return int(cov[self.covariance_type] + K * d + K - 1)

    def bic(self, X) -> float:
        """Bayesian information criterion -2 log L + p ln n (lower is better)."""
        X = self._check_X(X)
        return float(-2 * self.score(X) * len(X) + self._n_parameters() * np.log(len(X)))

    def aic(self, X) -> float:
        """Akaike information criterion -2 log L + 2 p."""
        X = self._check_X(X)
        return float(-2 * self.score(X) * len(X) + 2 * self._n_parameters())

    def sample(self, n_samples=1, random_state=None):
        """Draw (X (n, d), component labels (n,)) from the fitted mixture."""
        check_is_fitted(self, "means_")
        rng = check_random_state(random_state if random_state is not None else self.random_state)
        counts = rng.multinomial(check_positive_int(n_samples, "n_samples"), self.weights_)
        K, d = self.means_.shape
        cov = {
            "full": lambda k: self.covariances_[k],
            "tied": lambda k: self.covariances_,
            "diag": lambda k: np.diag(self.covariances_[k]),
            "spherical": lambda k: self.covariances_[k] * np.eye(d),
        }[self.covariance_type]
        X = np.vstack(
            [rng.multivariate_normal(self.means_[k], cov(k), size=c) for k, c in enumerate(counts)]
        )
        return X, np.repeat(np.arange(K), counts)
