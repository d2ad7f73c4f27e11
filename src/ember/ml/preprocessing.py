"""Feature standardisation (KNN and SVMs are scale-sensitive; TOPICS.md 1.23, claim C159)."""

from __future__ import annotations

import numpy as np

from ._base import BaseEstimator, TransformerMixin, check_array, check_is_fitted, check_n_features

__all__ = ["StandardScaler"]


class StandardScaler(TransformerMixin, BaseEstimator):
    """z = (x - mean_) / scale_ per feature; scale_ = population std (ddof 0), 1 where it is 0.

    Attributes: mean_ (d,), var_ (d,), scale_ (d,), n_features_in_.
    """

    def __init__(self, *, with_mean=True, with_std=True):
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X, y=None):
        X = check_array(X)
        self.mean_ = X.mean(0)
        self.var_ = X.var(0)
        self.scale_ = np.where(self.var_ > 0, np.sqrt(self.var_), 1.0)
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        check_is_fitted(self, "mean_")
        X = check_array(X)
        check_n_features(self, X)
        if self.with_mean:
            X = X - self.mean_
        return X / self.scale_ if self.with_std else X

    def inverse_transform(self, X):
        check_is_fitted(self, "mean_")
        X = np.asarray(X, dtype=np.float64)
        return (X * self.scale_ if self.with_std else X) + (self.mean_ if self.with_mean else 0)
