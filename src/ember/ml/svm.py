"""Kernel support vector classification by SMO (TOPICS.md 1.23; claim C161).

Soft-margin dual for labels y in {-1, +1}:
    min_a 0.5 a^T Q a - 1^T a,  Q_ij = y_i y_j K(x_i, x_j),  0 <= a_i <= C,  y^T a = 0.
Each SMO step optimises two multipliers analytically. The pair is chosen by libsvm's second-order
rule (Fan, Chen & Lin 2005): i = argmax_{t in I_up} -y_t G_t, then j in I_low minimising
-(b_it^2) / a_it with b_it = -y_i G_i + y_t G_t, a_it = K_ii + K_tt - 2 K_it; stop when the maximal
KKT violation m(a) - M(a) < tol. f(x) = sum_i y_i a_i K(x_i, x) - rho; support vectors have a_i > 0;
the margin of the separating hyperplane is 2 / ||w||.
"""

from __future__ import annotations

import numpy as np

from ._base import (
    BaseEstimator,
    ClassifierMixin,
    check_array,
    check_classification_targets,
    check_is_fitted,
    check_n_features,
    check_X_y,
)
from .metrics import euclidean_distances

__all__ = ["SVC", "kernel_matrix", "smo"]


def kernel_matrix(A, B, kernel="rbf", gamma=1.0, degree=3, coef0=0.0):
    """K[i, j] = k(A[i], B[j]) for "linear", "poly", "rbf", "sigmoid" or a callable. Shape (n_a, n_b)."""
    if callable(kernel):
        return np.asarray(kernel(A, B), dtype=np.float64)
    if kernel == "linear":
        return A @ B.T
    if kernel == "poly":
        return (gamma * (A @ B.T) + coef0) ** degree
    if kernel == "rbf":
        return np.exp(-gamma * euclidean_distances(A, B, squared=True))
    if kernel == "sigmoid":
        return np.tanh(gamma * (A @ B.T) + coef0)
    raise ValueError(
        f"kernel must be 'linear', 'poly', 'rbf', 'sigmoid' or a callable, got {kernel!r}"
    )


def smo(K, y, C, tol=1e-3, max_iter=-1, tau=1e-12):
    """Solve the binary dual. K: (n, n) kernel, y: (n,) in {-1, +1}. Returns (alpha, rho, n_iter)."""
    n = len(y)
    a = np.zeros(n)
    G = -np.ones(n)  # gradient Q a - 1
    diagK = np.diag(K).copy()
    limit = max_iter if max_iter > 0 else max(10_000_000, 100 * n)
    it = 0
    while it < limit:
        up = ((y > 0) & (a < C)) | ((y < 0) & (a > 0))
        low = ((y < 0) & (a < C)) | ((y > 0) & (a > 0))
        minus_yG = -y * G
        if not up.any() or not low.any():
            break
        i = int(np.argmax(np.where(up, minus_yG, -np.inf)))
        g_max = minus_yG[i]
        g_min = np.min(np.where(low, minus_yG, np.inf))
        if g_max - g_min < tol:
            break
        b = g_max - minus_yG
        cand = low & (b > 0)
        quad = diagK[i] + diagK - 2.0 * K[i]
        quad = np.where(quad > 0, quad, tau)
        j = int(np.argmin(np.where(cand, -(b * b) / quad, np.inf)))
        it += 1
        # analytic two-variable update on the line y_i a_i + y_j a_j = const (libsvm's solver)
        Qi, Qj = y[i] * y * K[i], y[j] * y * K[j]
        ai_old, aj_old = a[i], a[j]
        if y[i] != y[j]:
            q = max(Qi[i] + Qj[j] + 2 * Qi[j], tau)
            delta = (-G[i] - G[j]) / q
            diff = a[i] - a[j]
            a[i] += delta
            a[j] += delta
            if diff > 0 and a[j] < 0:
                a[j], a[i] = 0.0, diff
            elif diff <= 0 and a[i] < 0:
                a[i], a[j] = 0.0, -diff
            if diff > 0 and a[i] > C:
                a[i], a[j] = C, C - diff
            elif diff <= 0 and a[j] > C:
                a[j], a[i] = C, C + diff
        else:
            q = max(Qi[i] + Qj[j] - 2 * Qi[j], tau)
            delta = (G[i] - G[j]) / q
            total = a[i] + a[j]
            a[i] -= delta
            a[j] += delta
            if total > C and a[i] > C:
                a[i], a[j] = C, total - C
            elif total <= C and a[j] < 0:
                a[j], a[i] = 0.0, total
            if total > C and a[j] > C:
                a[j], a[i] = C, total - C
            elif total <= C and a[i] < 0:
                a[i], a[j] = 0.0, total
        G += Qi * (a[i] - ai_old) + Qj * (a[j] - aj_old)
    yG = y * G
    free = (a > 0) & (a < C)
    if free.any():
        rho = float(np.mean(yG[free]))
    else:
        ub = np.where(((y > 0) & (a >= C)) | ((y < 0) & (a <= 0)), yG, np.inf).min()
        lb = np.where(((y > 0) & (a <= 0)) | ((y < 0) & (a >= C)), yG, -np.inf).max()
        rho = float((ub + lb) / 2)
    return a, rho, it


class SVC(ClassifierMixin, BaseEstimator):
    """C-support vector classifier (one-vs-one for K > 2), solved by SMO.

    Args:
        C: box constraint (soft-margin penalty). Default: 1.0.
        kernel: "rbf" (default), "linear", "poly", "sigmoid" or callable(A, B) -> Gram matrix.
        degree: poly degree. Default: 3.   coef0: poly/sigmoid offset. Default: 0.
        gamma: "scale" = 1 / (d * X.var()) (default), "auto" = 1 / d, or a float.
        tol: KKT-violation stopping tolerance. Default: 1e-3.   max_iter: -1 = no limit.
        decision_function_shape: "ovr" (default, scikit-learn's vote + confidence transform) or "ovo".

    Attributes:
        classes_, support_ (indices), support_vectors_ (n_SV, d), n_support_ (K,), dual_coef_
        (1, n_SV) for K = 2 (y_i a_i, y = +1 for classes_[1]), intercept_ (K(K-1)/2,),
        coef_ (linear kernel, K = 2), n_iter_ (per pair).

    Notes:
        Same working-set rule and stopping test as libsvm but no shrinking or kernel cache (the
        full Gram matrix is formed: O(n^2) memory), so iterates differ slightly while the optimum
        agrees to ``tol`` (ORACLES.md §5). For K > 2, ``dual_coef_`` is not given in libsvm's
        packed layout; ``pair_models_`` holds each pair's (support, y*alpha, rho).
    """

    def __init__(
        self,
        *,
        C=1.0,
        kernel="rbf",
        degree=3,
        gamma="scale",
        coef0=0.0,
        tol=1e-3,
        max_iter=-1,
        decision_function_shape="ovr",
    ):
        self.C = C
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.tol = tol
        self.max_iter = max_iter
        self.decision_function_shape = decision_function_shape

    def _kernel(self, A, B):
        return kernel_matrix(A, B, self.kernel, self._gamma, self.degree, self.coef0)

    def fit(self, X, y, sample_weight=None):
        X, y = check_X_y(X, y)
        self.classes_, enc = check_classification_targets(y)
        K = len(self.classes_)
        if K < 2:
            raise ValueError(f"The number of classes has to be greater than one; got {K} class")
        if not self.C > 0:
            raise ValueError(f"C must be > 0, got {self.C}")
        if self.decision_function_shape not in ("ovr", "ovo"):
            raise ValueError(
                f"decision_function_shape must be 'ovr' or 'ovo', got {self.decision_function_shape!r}"
            )
        if self.gamma == "scale":
            var = X.var()
            self._gamma = 1.0 / (X.shape[1] * var) if var > 0 else 1.0
        elif self.gamma == "auto":
            self._gamma = 1.0 / X.shape[1]
        elif isinstance(self.gamma, (int, float)) and self.gamma > 0:
            self._gamma = float(self.gamma)
        else:
            raise ValueError(
                f"gamma must be 'scale', 'auto' or a positive float, got {self.gamma!r}"
            )
        Kfull = self._kernel(X, X)
        self.pair_models_, n_iter, used = [], [], np.zeros(len(X), dtype=bool)
        for i in range(K):
            for j in range(i + 1, K):
                idx = np.flatnonzero((enc == i) | (enc == j))
                yy = np.where(enc[idx] == i, 1.0, -1.0)  # libsvm: first class positive
                a, rho, it = smo(Kfull[np.ix_(idx, idx)], yy, self.C, self.tol, self.max_iter)
                sv = a > 0
                self.pair_models_.append((idx[sv], (yy * a)[sv], rho))
                used[idx[sv]] = True
                n_iter.append(it)
        self.n_iter_ = np.array(n_iter)
        order = np.lexsort((np.arange(len(X)), enc))
        self.support_ = order[used[order]]
        self.support_vectors_ = X[self.support_]
        self.n_support_ = np.bincount(enc[self.support_], minlength=K)
        self.intercept_ = np.array([rho for *_, rho in self.pair_models_])
        if K == 2:  # scikit-learn's sign convention: positive decision = classes_[1]
            idx, coef, rho = self.pair_models_[0]
            where = np.empty(len(X), dtype=np.intp)
            where[self.support_] = np.arange(len(self.support_))
            pos = where[idx]
            self.dual_coef_ = np.zeros((1, len(self.support_)))
            self.dual_coef_[0, pos] = -coef
            self.intercept_ = np.array([rho])
        self._X = X
        self.n_features_in_ = X.shape[1]
        return self

    @property
    def coef_(self):
        """w = sum_i y_i a_i x_i (linear kernel, K = 2 only), shape (1, d)."""
        if self.kernel != "linear" or len(self.classes_) != 2:
            raise AttributeError(
                "coef_ is only available when using a linear kernel with 2 classes"
            )
        return self.dual_coef_ @ self.support_vectors_

    def _ovo(self, X):
        """libsvm-oriented pair decisions (positive = first class of the pair), shape (n, K(K-1)/2)."""
        check_is_fitted(self, "pair_models_")
        X = check_array(X)
        check_n_features(self, X)
        return np.stack(
            [self._kernel(X, self._X[idx]) @ coef - rho for idx, coef, rho in self.pair_models_], 1
        )

    def decision_function(self, X):
        """K = 2: f(x) (> 0 means classes_[1]), shape (n,); else (n, K) "ovr" or (n, K(K-1)/2) "ovo"."""
        dec = self._ovo(X)
        K = len(self.classes_)
        if K == 2:
            return -dec[:, 0]
        if self.decision_function_shape == "ovo":
            return dec
        votes, conf = np.zeros((len(dec), K)), np.zeros((len(dec), K))
        k = 0
        for i in range(K):
            for j in range(i + 1, K):
                conf[:, i] += dec[:, k]
                conf[:, j] -= dec[:, k]
                votes[:, i] += dec[:, k] > 0
                votes[:, j] += dec[:, k] <= 0
                k += 1
        return votes + conf / (3 * (np.abs(conf) + 1))

    def predict(self, X):
        """One-vs-one majority vote (ties: lowest class index), shape (n,)."""
        dec = self._ovo(X)
        K = len(self.classes_)
        votes, k = np.zeros((len(dec), K)), 0
        for i in range(K):
            for j in range(i + 1, K):
                votes[:, i] += dec[:, k] > 0
                votes[:, j] += dec[:, k] <= 0
                k += 1
        return self.classes_[np.argmax(votes, axis=1)]
