"""Shared decision rule of the linear classifiers (logistic regression, hinge-loss SGD)."""

from __future__ import annotations

import numpy as np

from .._base import check_array, check_is_fitted, check_n_features

__all__ = ["LinearClassifierMixin"]


class LinearClassifierMixin:
    """decision_function = X @ coef_.T + intercept_; predict = sign (K = 2) or argmax (K > 2)."""

    def decision_function(self, X):
        """w.x + b: shape (n,) for two classes (positive means classes_[1]), else (n, K)."""
        check_is_fitted(self, "coef_")
        X = check_array(X)
        check_n_features(self, X)
        Z = X @ self.coef_.T + self.intercept_
        return Z[:, 0] if Z.shape[1] == 1 else Z

    def predict(self, X):
        """Class labels, shape (n,)."""
        Z = self.decision_function(X)
        return self.classes_[(Z > 0).astype(int) if Z.ndim == 1 else np.argmax(Z, axis=1)]
