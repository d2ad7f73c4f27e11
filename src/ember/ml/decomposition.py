"""Principal component analysis (TOPICS.md 1.23; claim C160).

Centre X, then X_c = U S V^T (thin SVD). Rows of V^T are the principal axes (orthonormal, ordered by
variance); explained_variance_ = S^2 / (n - 1); projections X_c V are mutually uncorrelated.
The covariance path diagonalises C = X_c^T X_c / (n - 1) = V diag(lambda) V^T instead.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._base import BaseEstimator, TransformerMixin, check_array, check_is_fitted, check_n_features

__all__ = ["PCA"]


def svd_flip_v(Vt):
    """Deterministic signs: make the largest-|.| entry of every row of Vt positive (scikit-learn's
    ``svd_flip(u_based_decision=False)``). Returns the sign vector (k,)."""
    idx = np.argmax(np.abs(Vt), axis=1)
    return np.sign(Vt[np.arange(len(Vt)), idx])


class PCA(TransformerMixin, BaseEstimator):
    """Linear dimensionality reduction onto the directions of maximal variance.

    Args:
        n_components: int k, float in (0, 1) (smallest k explaining that variance fraction) or
            None (min(n, d)). Default: None.
        whiten: divide projections by sqrt(explained_variance_) (unit variance). Default: False.
        svd_solver: "auto" / "full" (LAPACK SVD of the centred data) or "covariance_eigh"
            (eigendecomposition of the d x d covariance; faster when n >> d).

    Shape:
        X (n, d) -> transform (n, k); inverse_transform (n, k) -> (n, d).

    Attributes:
        components_ (k, d), explained_variance_ (k,), explained_variance_ratio_ (k,),
        singular_values_ (k,), mean_ (d,), n_components_, noise_variance_ (mean discarded variance).

    Notes:
        Signs follow scikit-learn's convention (largest loading of each component positive), so
        results agree with ``sklearn.decomposition.PCA(svd_solver='full')`` to round-off.
        "auto" always takes the exact "full" path (no randomized SVD).
    """

    def __init__(self, n_components=None, *, whiten=False, svd_solver="auto"):
        self.n_components = n_components
        self.whiten = whiten
        self.svd_solver = svd_solver

    def _n_keep(self, ratio, n, d) -> int:
        k = self.n_components
        if k is None:
            return min(n, d)
        if isinstance(k, numbers.Real) and not isinstance(k, numbers.Integral):
            if not 0 < k < 1:
                raise ValueError(f"n_components as a float must be in (0, 1), got {k}")
            return int(np.searchsorted(np.cumsum(ratio), k, side="right") + 1)
        if not 0 <= k <= min(n, d):
            raise ValueError(
                f"n_components={k} must be between 0 and min(n_samples, n_features)="
                f"{min(n, d)} with svd_solver={self.svd_solver!r}"
            )
        return int(k)

    def fit(self, X, y=None):
        X = check_array(X, ensure_min_samples=2)
        n, d = X.shape
        if self.svd_solver not in ("auto", "full", "covariance_eigh"):
            raise ValueError(
                f"svd_solver must be 'auto', 'full' or 'covariance_eigh', got {self.svd_solver!r}"
            )
        self.mean_ = X.mean(axis=0)
        Xc = X - self.mean_
        if self.svd_solver == "covariance_eigh":
            evals, V = np.linalg.eigh(Xc.T @ Xc / (n - 1))
            order = np.argsort(evals)[::-1]
            var = np.maximum(evals[order], 0.0)[: min(n, d)]
            Vt = V[:, order].T[: min(n, d)]
            S = np.sqrt(var * (n - 1))
        else:
            _, S, Vt = np.linalg.svd(Xc, full_matrices=False)
            var = S**2 / (n - 1)
        Vt = Vt * svd_flip_v(Vt)[:, None]
        total = var.sum() if self.svd_solver == "full" or n <= d else Xc.var(axis=0, ddof=1).sum()
        ratio = var / total if total > 0 else np.zeros_like(var)
        k = self._n_keep(ratio, n, d)
        self.components_ = Vt[:k]
        self.explained_variance_ = var[:k]
        self.explained_variance_ratio_ = ratio[:k]
        self.singular_values_ = S[:k]
        self.n_components_ = k
        self.n_samples_, self.n_features_in_ = n, d
        rest = min(n, d)
        self.noise_variance_ = float(var[k:].sum() / (rest - k)) if k < rest else 0.0
        return self

    def transform(self, X):
        """Project onto the components: (X - mean_) @ components_.T (/ sqrt(var) if whiten)."""
        check_is_fitted(self, "components_")
        X = check_array(X)
        check_n_features(self, X)
        Z = (X - self.mean_) @ self.components_.T
        return Z / np.sqrt(self.explained_variance_) if self.whiten else Z

    def fit_transform(self, X, y=None):
        return self.fit(X).transform(X)

    def inverse_transform(self, X):
        """Map projections back: X @ components_ (* sqrt(var) if whiten) + mean_, shape (n, d)."""
        check_is_fitted(self, "components_")
        Z = np.asarray(X, dtype=np.float64)
        if self.whiten:
            Z = Z * np.sqrt(self.explained_variance_)
        return Z @ self.components_ + self.mean_

    def get_covariance(self):
        """Model covariance V^T diag(var - noise) V + noise * I, shape (d, d) (probabilistic PCA).

        Unaffected by ``whiten`` (scikit-learn rescales the components when whitening here).
        """
        check_is_fitted(self, "components_")
        V = self.components_
        cov = (V.T * np.maximum(self.explained_variance_ - self.noise_variance_, 0.0)) @ V
        cov.flat[:: len(cov) + 1] += self.noise_variance_
        return cov
