"""HMM emission models: categorical, Gaussian (diag / full) and Gaussian mixtures (diag)."""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from .._base import check_array, check_positive_int
from ..cluster import KMeans
from ._base import BaseHMM

__all__ = ["CategoricalHMM", "GaussianHMM", "GMMHMM"]


class CategoricalHMM(BaseHMM):
    """HMM with discrete emissions b_j(k) = emissionprob_[j, k].

    Args:
        n_components: number of hidden states N.   n_features: number of symbols (None = inferred).
        startprob_prior, transmat_prior, emissionprob_prior: Dirichlet parameters (1.0 = plain ML).
        n_iter: max EM iterations. Default: 10.   tol: stop when log P(O) gains < tol. Default: 1e-2.
        params / init_params: letters of "ste" to update / initialise. random_state: seed.

    Shape: X is an int column (n, 1) of symbols in [0, n_features); several sequences are
        concatenated with ``lengths``. Attributes: startprob_ (N,), transmat_ (N, N),
        emissionprob_ (N, n_features), monitor_history_.

    Notes: hmmlearn's ``CategoricalHMM`` conventions (``implementation='log'``); one Baum-Welch
        iteration agrees to round-off.
    """

    def __init__(
        self,
        n_components=1,
        *,
        startprob_prior=1.0,
        transmat_prior=1.0,
        emissionprob_prior=1.0,
        n_features=None,
        n_iter=10,
        tol=1e-2,
        params="ste",
        init_params="ste",
        random_state=None,
    ):
        self.n_components = n_components
        self.startprob_prior = startprob_prior
        self.transmat_prior = transmat_prior
        self.emissionprob_prior = emissionprob_prior
        self.n_features = n_features
        self.n_iter = n_iter
        self.tol = tol
        self.params = params
        self.init_params = init_params
        self.random_state = random_state

    def _check_input(self, X, fitting):
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[1] != 1:
            raise ValueError(
                f"X must be an int column of shape (n_samples, 1), got shape {X.shape}"
            )
        if (
            X.dtype.kind == "f"
            and np.any(X != np.round(X))
            or X.dtype.kind not in "iuf"
            or (X < 0).any()
        ):
            raise ValueError("Symbols should be non-negative integers")
        X = X.astype(np.intp)
        if fitting and self.n_features is None:
            self.n_features = int(X.max()) + 1
        if self.n_features is not None and X.max() >= self.n_features:
            raise ValueError(f"Symbol {int(X.max())} out of range for n_features={self.n_features}")
        return X

    def _log_frame(self, X):
        with np.errstate(divide="ignore"):
            return np.log(self.emissionprob_[:, X[:, 0]].T)

    def _init_emissions(self, X, lengths, rng):
        if "e" in self.init_params or not hasattr(self, "emissionprob_"):
            e = rng.random((self.n_components, self.n_features))
            self.emissionprob_ = e / e.sum(1, keepdims=True)

    def _init_stats(self, stats):
        stats["obs"] = np.zeros((self.n_components, self.n_features))

    def _accumulate(self, stats, X, gamma):
        np.add.at(stats["obs"].T, X[:, 0], gamma)

    def _emission_mstep(self, stats):
        if "e" in self.params:
            e = np.maximum(self.emissionprob_prior - 1 + stats["obs"], 0)
            self.emissionprob_ = e / e.sum(1, keepdims=True)

    def _sample_emissions(self, states, rng):
        cdf = np.cumsum(self.emissionprob_[states], axis=1)
        return (rng.random(len(states))[:, None] > cdf).sum(1)[:, None]


def _diag_gauss_logpdf(X, means, covars):
    """log N(x_t; mu_j, diag(c_j)) for every frame and row of means, shape (T, J)."""
    d = X.shape[1]
    prec = 1.0 / covars
    return -0.5 * (
        d * np.log(2 * np.pi)
        + np.log(covars).sum(1)
        + (means**2 * prec).sum(1)
        - 2 * X @ (means * prec).T
        + (X**2) @ prec.T
    )


class GaussianHMM(BaseHMM):
    """HMM with Gaussian emissions N(x; means_[j], covars_[j]).

    Args:
        covariance_type: "diag" (default) or "full".   min_covar: floor added at initialisation.
        means_prior, means_weight, covars_prior, covars_weight: hmmlearn's MAP priors (defaults
        0, 0, 1e-2, 1 — note covars_prior = 1e-2 is added to every variance numerator).

    Attributes: means_ (N, d), covars_ ((N, d) for diag, (N, d, d) for full).

    Notes: hmmlearn's ``covars_`` always returns full matrices; compare its ``_covars_``.
    """

    def __init__(
        self,
        n_components=1,
        *,
        covariance_type="diag",
        min_covar=1e-3,
        startprob_prior=1.0,
        transmat_prior=1.0,
        means_prior=0.0,
        means_weight=0.0,
        covars_prior=1e-2,
        covars_weight=1.0,
        n_iter=10,
        tol=1e-2,
        params="stmc",
        init_params="stmc",
        random_state=None,
    ):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.min_covar = min_covar
        self.startprob_prior = startprob_prior
        self.transmat_prior = transmat_prior
        self.means_prior = means_prior
        self.means_weight = means_weight
        self.covars_prior = covars_prior
        self.covars_weight = covars_weight
        self.n_iter = n_iter
        self.tol = tol
        self.params = params
        self.init_params = init_params
        self.random_state = random_state

    def _check_input(self, X, fitting):
        if self.covariance_type not in ("diag", "full"):
            raise ValueError(
                f"covariance_type must be 'diag' or 'full', got {self.covariance_type!r}"
            )
        X = check_array(X)
        if not fitting and X.shape[1] != self.means_.shape[1]:
            raise ValueError(f"X has {X.shape[1]} features, the model has {self.means_.shape[1]}")
        return X

    def _log_frame(self, X):
        if self.covariance_type == "diag":
            return _diag_gauss_logpdf(X, self.means_, self.covars_)
        out = np.empty((len(X), self.n_components))
        for j in range(self.n_components):
            L = np.linalg.cholesky(self.covars_[j])
            z = np.linalg.solve(L, (X - self.means_[j]).T)
            out[:, j] = (
                -0.5 * (X.shape[1] * np.log(2 * np.pi) + (z**2).sum(0)) - np.log(np.diag(L)).sum()
            )
        return out

    def _init_emissions(self, X, lengths, rng):
        if "m" in self.init_params or not hasattr(self, "means_"):
            self.means_ = (
                KMeans(self.n_components, n_init=1, random_state=rng).fit(X).cluster_centers_
            )
        if "c" in self.init_params or not hasattr(self, "covars_"):
            cv = np.atleast_2d(np.cov(X.T)) + self.min_covar * np.eye(X.shape[1])
            self.covars_ = (
                np.tile(np.diag(cv), (self.n_components, 1))
                if self.covariance_type == "diag"
                else np.tile(cv, (self.n_components, 1, 1))
            )

    def _init_stats(self, stats):
        stats["post"] = np.zeros(self.n_components)
        stats["obs"] = np.zeros_like(self.means_)
        stats["obs2"] = np.zeros_like(self.covars_)

    def _accumulate(self, stats, X, gamma):
        stats["post"] += gamma.sum(0)
        stats["obs"] += gamma.T @ X
        stats["obs2"] += (
            gamma.T @ X**2
            if self.covariance_type == "diag"
            else np.einsum("tj,ti,tk->jik", gamma, X, X)
        )

    def _emission_mstep(self, stats):
        denom = stats["post"][:, None]
        if "m" in self.params:
            self.means_ = (self.means_weight * self.means_prior + stats["obs"]) / (
                self.means_weight + denom
            )
        if "c" in self.params:
            m, diff = self.means_, self.means_ - self.means_prior
            if self.covariance_type == "diag":
                num = (
                    self.means_weight * diff**2
                    + stats["obs2"]
                    - 2 * m * stats["obs"]
                    + m**2 * denom
                )
                self.covars_ = (self.covars_prior + num) / np.maximum(
                    max(self.covars_weight - 1, 0) + denom, 1e-5
                )
            else:
                om = np.einsum("ji,jk->jik", stats["obs"], m)
                num = (
                    self.means_weight * np.einsum("ji,jk->jik", diff, diff)
                    + stats["obs2"]
                    - om
                    - om.transpose(0, 2, 1)
                    + np.einsum("ji,jk->jik", m, m) * stats["post"][:, None, None]
                )
                cvw = max(self.covars_weight - m.shape[1], 0)
                # hmmlearn adds a scalar covars_prior to *every* entry of the numerator (mirrored)
                self.covars_ = (self.covars_prior + num) / (cvw + stats["post"][:, None, None])

    def _sample_emissions(self, states, rng):
        cov = (
            self.covars_
            if self.covariance_type == "full"
            else np.stack([np.diag(c) for c in self.covars_])
        )
        return np.stack([rng.multivariate_normal(self.means_[s], cov[s]) for s in states])


class GMMHMM(BaseHMM):
    """HMM whose state j emits from a diagonal Gaussian mixture sum_m w_jm N(x; mu_jm, diag(c_jm)).

    Baum-Welch splits the state posterior gamma_t(j) over the mixture components
    (gamma_t(j, m) = gamma_t(j) * r_t(j, m)), then re-estimates w, mu, c as in GMM EM; variances
    are floored at ``min_covar``. Attributes: weights_ (N, M), means_ (N, M, d), covars_ (N, M, d).

    Notes: scoring/decoding equal hmmlearn's ``GMMHMM(covariance_type='diag')`` for the same
        parameters; training uses plain ML updates (no hmmlearn priors), so fits agree statistically.
    """

    def __init__(
        self,
        n_components=1,
        n_mix=1,
        *,
        min_covar=1e-3,
        startprob_prior=1.0,
        transmat_prior=1.0,
        n_iter=10,
        tol=1e-2,
        params="stmcw",
        init_params="stmcw",
        random_state=None,
    ):
        self.n_components = n_components
        self.n_mix = n_mix
        self.min_covar = min_covar
        self.startprob_prior = startprob_prior
        self.transmat_prior = transmat_prior
        self.n_iter = n_iter
        self.tol = tol
        self.params = params
        self.init_params = init_params
        self.random_state = random_state

    def _check_input(self, X, fitting):
        X = check_array(X)
        if not fitting and X.shape[1] != self.means_.shape[2]:
            raise ValueError(f"X has {X.shape[1]} features, the model has {self.means_.shape[2]}")
        return X

    def _component_log(self, X):
        N, M, d = self.means_.shape
        lp = _diag_gauss_logpdf(X, self.means_.reshape(N * M, d), self.covars_.reshape(N * M, d))
        with np.errstate(divide="ignore"):
            return lp.reshape(len(X), N, M) + np.log(self.weights_)[None]  # (T, N, M)

    def _log_frame(self, X):
        return logsumexp(self._component_log(X), axis=2)

    def _init_emissions(self, X, lengths, rng):
        N, M = self.n_components, check_positive_int(self.n_mix, "n_mix")
        if "w" in self.init_params or not hasattr(self, "weights_"):
            self.weights_ = np.full((N, M), 1.0 / M)
        if "m" in self.init_params or not hasattr(self, "means_"):
            centers = KMeans(min(N * M, len(X)), n_init=1, random_state=rng).fit(X).cluster_centers_
            self.means_ = centers[
                rng.permutation(len(centers))[np.arange(N * M) % len(centers)]
            ].reshape(N, M, -1)
        if "c" in self.init_params or not hasattr(self, "covars_"):
            var = np.var(X, axis=0) + self.min_covar
            self.covars_ = np.tile(var, (N, M, 1))

    def _init_stats(self, stats):
        stats["g"] = np.zeros(self.weights_.shape)
        stats["gx"] = np.zeros(self.means_.shape)
        stats["gx2"] = np.zeros(self.means_.shape)

    def _accumulate(self, stats, X, gamma):
        comp = self._component_log(X)
        resp = (
            np.exp(comp - logsumexp(comp, axis=2, keepdims=True)) * gamma[:, :, None]
        )  # (T, N, M)
        stats["g"] += resp.sum(0)
        stats["gx"] += np.einsum("tnm,td->nmd", resp, X)
        stats["gx2"] += np.einsum("tnm,td->nmd", resp, X**2)

    def _emission_mstep(self, stats):
        g = stats["g"]
        safe = np.maximum(g, 1e-300)[..., None]
        if "w" in self.params:
            tot = g.sum(1, keepdims=True)
            self.weights_ = np.where(tot > 0, g / np.where(tot > 0, tot, 1), self.weights_)
        if "m" in self.params:
            self.means_ = np.where(g[..., None] > 0, stats["gx"] / safe, self.means_)
        if "c" in self.params:
            var = stats["gx2"] / safe - self.means_**2
            self.covars_ = np.where(g[..., None] > 0, np.maximum(var, self.min_covar), self.covars_)

    def _sample_emissions(self, states, rng):
        out = []
        for s in states:
            m = rng.choice(self.n_mix, p=self.weights_[s])
            out.append(
                self.means_[s, m]
                + np.sqrt(self.covars_[s, m]) * rng.standard_normal(self.means_.shape[2])
            )
        return np.stack(out)
