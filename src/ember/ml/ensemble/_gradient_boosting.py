"""Gradient boosting with regression trees (bonus; TOPICS.md 1.23 boosting).

Stage m fits a depth-limited CART regressor to the negative gradient of the loss at the current
raw scores F, then sets each leaf to one Newton step and adds learning_rate * tree:
    squared error   r = y - F,          leaf value = mean(r)
    log loss (K=2)  r = y - sigma(F),   leaf value = sum w r / sum w p (1 - p)
    log loss (K>2)  r_k = y_k - p_k,    leaf value = (K-1)/K * sum w r_k / sum w p_k (1 - p_k)
(one tree per class per stage). F starts at the mean, the log-odds or the centred log class priors.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, log_softmax

from .._base import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    check_array,
    check_classification_targets,
    check_is_fitted,
    check_n_features,
    check_positive_int,
    check_random_state,
    check_sample_weight,
    check_X_y,
)
from ..tree import DecisionTreeRegressor

__all__ = ["GradientBoostingClassifier", "GradientBoostingRegressor"]


class _BaseGB(BaseEstimator):
    def __init__(
        self,
        *,
        learning_rate=0.1,
        n_estimators=100,
        max_depth=3,
        min_samples_leaf=1,
        random_state=None,
    ):
        self.learning_rate = learning_rate
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.min_samples_leaf = min_samples_leaf
        self.random_state = random_state

    def _boost(self, X, targets, w, raw, gradient, leaf_value):
        """Run the stages; ``gradient(raw) -> residuals (n, K')``, ``leaf_value(res, p, w) -> value``."""
        rng = check_random_state(self.random_state)
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be > 0, got {self.learning_rate}")
        self.estimators_ = []
        for _ in range(check_positive_int(self.n_estimators, "n_estimators")):
            res, p = gradient(raw)
            stage = []
            for k in range(res.shape[1]):
                tree = DecisionTreeRegressor(
                    max_depth=self.max_depth,
                    min_samples_leaf=self.min_samples_leaf,
                    random_state=int(rng.integers(2**31 - 1)),
                )
                tree.fit(X, res[:, k], sample_weight=w)
                leaves = tree.apply(X)
                internal = tree.tree_.children_left >= 0
                for leaf in np.flatnonzero(~internal):
                    m = leaves == leaf
                    tree.tree_.value[leaf, 0] = leaf_value(res[m, k], p[m, k], w[m])
                raw[:, k] += self.learning_rate * tree.tree_.value[leaves, 0]
                stage.append(tree)
            self.estimators_.append(stage)
        self.n_features_in_ = X.shape[1]
        return raw

    def _raw(self, X):
        check_is_fitted(self, "estimators_")
        X = check_array(X)
        check_n_features(self, X)
        raw = np.tile(self.init_, (len(X), 1))
        for stage in self.estimators_:
            for k, tree in enumerate(stage):
                raw[:, k] += self.learning_rate * tree.predict(X)
        return raw


class GradientBoostingRegressor(RegressorMixin, _BaseGB):
    """Least-squares gradient boosting: F_0 = weighted mean of y, trees fit the residuals."""

    def fit(self, X, y, sample_weight=None):
        X, y = check_X_y(X, y, y_numeric=True)
        w = check_sample_weight(sample_weight, len(X))
        self.init_ = np.array([np.average(y, weights=w)])
        raw = np.tile(self.init_, (len(X), 1))
        self._boost(
            X,
            y,
            w,
            raw,
            lambda F: ((y - F[:, 0])[:, None], np.zeros((len(y), 1))),
            lambda r, p, ww: np.average(r, weights=ww),
        )
        return self

    def predict(self, X):
        return self._raw(X)[:, 0]


class GradientBoostingClassifier(ClassifierMixin, _BaseGB):
    """Log-loss gradient boosting (binomial for K = 2, multinomial with K trees per stage otherwise)."""

    def fit(self, X, y, sample_weight=None):
        X, y = check_X_y(X, y)
        self.classes_, enc = check_classification_targets(y)
        K = len(self.classes_)
        if K < 2:
            raise ValueError(f"y contains {K} class; gradient boosting needs at least 2")
        w = check_sample_weight(sample_weight, len(X))
        prior = np.bincount(enc, weights=w, minlength=K) / w.sum()
        if K == 2:
            self.init_ = np.array([np.log(prior[1] / prior[0])])

            def grad(F):
                p = expit(F[:, :1])
                return enc[:, None] - p, p

            scale = 1.0
        else:
            self.init_ = np.log(prior) - np.mean(
                np.log(prior)
            )  # centred, as scikit-learn's multinomial loss
            Y = np.eye(K)[enc]

            def grad(F):
                p = np.exp(log_softmax(F, axis=1))
                return Y - p, p

            scale = (K - 1) / K

        def leaf_value(r, p, ww):
            den = np.sum(ww * p * (1 - p))
            return 0.0 if abs(den) < 1e-150 else scale * np.sum(ww * r) / den

        self._boost(X, enc, w, np.tile(self.init_, (len(X), 1)), grad, leaf_value)
        return self

    def decision_function(self, X):
        """Raw scores F(x): shape (n,) for K = 2 (log-odds of classes_[1]), else (n, K)."""
        raw = self._raw(X)
        return raw[:, 0] if raw.shape[1] == 1 else raw

    def predict_proba(self, X):
        raw = self._raw(X)
        if raw.shape[1] == 1:
            p = expit(raw[:, 0])
            return np.stack([1 - p, p], axis=1)
        return np.exp(log_softmax(raw, axis=1))

    def predict(self, X):
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]
