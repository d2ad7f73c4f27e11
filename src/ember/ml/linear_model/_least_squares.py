"""Least-squares regression: ordinary, L2 (Ridge) and L1 (Lasso, coordinate descent)."""

from __future__ import annotations

import numpy as np

from .._base import (
    BaseEstimator,
    RegressorMixin,
    check_array,
    check_is_fitted,
    check_n_features,
    check_positive_int,
    check_sample_weight,
    check_X_y,
)

__all__ = ["LinearRegression", "Ridge", "Lasso"]


class _LinearRegressorBase(RegressorMixin, BaseEstimator):
    def _prepare(self, X, y, sample_weight):
        """Validate X (n, d) and y ((n,) or (n, targets)); return X and the centred, sqrt(w)-scaled data."""
        X = check_array(X)
        y = check_array(y, name="y", ensure_2d=False)
        if len(y) != len(X):
            raise ValueError(f"X and y have inconsistent numbers of samples: {len(X)} != {len(y)}")
        return (X, *self._center(X, y, sample_weight))

    def _center(self, X, y, sample_weight):
        w = check_sample_weight(sample_weight, len(X))
        if self.fit_intercept:
            x_mean = np.average(X, axis=0, weights=w)
            y_mean = np.average(y, axis=0, weights=w)
        else:
            x_mean, y_mean = np.zeros(X.shape[1]), np.zeros(y.shape[1:])
        sw = np.sqrt(w)
        return (
            (X - x_mean) * sw[:, None],
            (y - y_mean) * (sw if y.ndim == 1 else sw[:, None]),
            x_mean,
            y_mean,
        )

    def _finish(self, coef, x_mean, y_mean, X):
        self.coef_ = coef
        self.intercept_ = (
            y_mean - x_mean @ coef.T
            if self.fit_intercept
            else (0.0 if np.ndim(coef) == 1 else np.zeros(len(coef)))
        )
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        """X @ coef_.T + intercept_, shape (n,) (or (n, n_targets))."""
        check_is_fitted(self, "coef_")
        X = check_array(X)
        check_n_features(self, X)
        return X @ self.coef_.T + self.intercept_


class LinearRegression(_LinearRegressorBase):
    """Ordinary least squares: minimise ||y - X w - b||^2 (``np.linalg.lstsq`` on centred data).

    Attributes: coef_ (d,) or (n_targets, d), intercept_, rank_, singular_values_.
    """

    def __init__(self, *, fit_intercept=True):
        self.fit_intercept = fit_intercept

    def fit(self, X, y, sample_weight=None):
        X, Xc, yc, xm, ym = self._prepare(X, y, sample_weight)
        coef, _, self.rank_, self.singular_values_ = np.linalg.lstsq(Xc, yc, rcond=None)
        return self._finish(coef.T, xm, ym, X)


class Ridge(_LinearRegressorBase):
    """L2-penalised least squares: minimise ||y - X w - b||^2 + alpha ||w||^2 (intercept not
    penalised, no 1/n factor — scikit-learn's objective). Solved by Cholesky of X^T X + alpha I.
    """

    def __init__(self, alpha=1.0, *, fit_intercept=True):
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def fit(self, X, y, sample_weight=None):
        if np.any(np.asarray(self.alpha) < 0):
            raise ValueError(f"alpha must be >= 0, got {self.alpha}")
        X, Xc, yc, xm, ym = self._prepare(X, y, sample_weight)
        A = Xc.T @ Xc
        A.flat[:: A.shape[0] + 1] += self.alpha
        coef = np.linalg.solve(A, Xc.T @ yc)
        return self._finish(coef.T, xm, ym, X)


def soft_threshold(z, t):
    """S(z, t) = sign(z) * max(|z| - t, 0), the proximal map of t*|.|."""
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


class Lasso(_LinearRegressorBase):
    """L1-penalised least squares: minimise (1 / (2n)) ||y - X w - b||^2 + alpha ||w||_1.

    Cyclic coordinate descent w_j <- S(x_j^T r_j / n, alpha) / (||x_j||^2 / n) on centred data,
    stopped when the duality gap <= tol * ||y||^2 / n (scikit-learn's criterion).

    Attributes: coef_ (d,), intercept_, n_iter_, dual_gap_.
    """

    def __init__(self, alpha=1.0, *, fit_intercept=True, max_iter=1000, tol=1e-4, positive=False):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.positive = positive

    def fit(self, X, y, sample_weight=None):
        X, y = check_X_y(X, y, y_numeric=True)
        if self.alpha < 0:
            raise ValueError(f"alpha must be >= 0, got {self.alpha}")
        check_positive_int(self.max_iter, "max_iter")
        Xc, yc, xm, ym = self._center(X, y, sample_weight)
        n, d = Xc.shape
        lam = self.alpha * n
        col_sq = (Xc**2).sum(0)
        w = np.zeros(d)
        r = yc.copy()
        tol = self.tol * (yc @ yc)
        gap = np.inf
        for it in range(1, self.max_iter + 1):
            max_step = 0.0
            for j in range(d):
                if col_sq[j] == 0:
                    continue
                old = w[j]
                rho = Xc[:, j] @ r + col_sq[j] * old
                new = soft_threshold(rho, lam) / col_sq[j]
                if self.positive:
                    new = max(new, 0.0)
                if new != old:
                    r -= Xc[:, j] * (new - old)
                    w[j] = new
                    max_step = max(max_step, abs(new - old))
            gap = self._duality_gap(Xc, yc, w, r, lam)  # one X^T r: as cheap as an epoch
            if gap <= tol or max_step == 0.0:
                break
        self.n_iter_, self.dual_gap_ = it, gap / n
        return self._finish(w, xm, ym, X)

    @staticmethod
    def _duality_gap(X, y, w, r, lam):
        """Gap between 0.5||r||^2 + lam||w||_1 and the dual value at the scaled residual."""
        xr = X.T @ r
        dual_norm = np.abs(xr).max() if len(xr) else 0.0
        scale = min(1.0, lam / dual_norm) if dual_norm > 0 else 1.0
        rr = r @ r
        primal = 0.5 * rr + lam * np.abs(w).sum()
        dual = -0.5 * scale**2 * rr + scale * (r @ y)
        return primal - dual
