"""Bagging and random forests: trees on bootstrap resamples, averaged (soft vote).

Bagging randomises the data (bootstrap draws, optionally feature subsets per estimator); a random
forest also randomises the candidate features at every split (``max_features``, default sqrt(d)).
Both average the members' class probabilities, as scikit-learn does (Breiman's original used a
majority vote). Out-of-bag (OOB) estimates use, for each sample, only the members that did not draw it.
"""

from __future__ import annotations

import numbers

import numpy as np

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
    clone,
)
from ..tree import DecisionTreeClassifier, DecisionTreeRegressor

__all__ = ["BaggingClassifier", "RandomForestClassifier", "RandomForestRegressor"]


def _n_draw(value, n: int, name: str) -> int:
    if value is None:
        return n
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if not 1 <= value <= n:
            raise ValueError(f"{name} must be in [1, {n}], got {value}")
        return int(value)
    if isinstance(value, numbers.Real) and 0 < value <= 1:
        return max(1, int(round(value * n)))
    raise ValueError(f"{name} must be an int or a float in (0, 1], got {value!r}")


class _BaseEnsemble(BaseEstimator):
    def _fit_members(
        self, X, y_fit, sample_weight, make, bootstrap, n_samples, n_feats, bootstrap_features
    ):
        n, d = X.shape
        rng = check_random_state(self.random_state)
        w0 = check_sample_weight(sample_weight, n)
        self.estimators_, self.estimators_samples_, self.estimators_features_ = [], [], []
        for _ in range(check_positive_int(self.n_estimators, "n_estimators")):
            seed = int(rng.integers(2**31 - 1))
            if bootstrap:
                counts = np.bincount(rng.integers(0, n, n_samples), minlength=n)
            else:
                counts = np.zeros(n)
                counts[rng.choice(n, n_samples, replace=False)] = 1
            feats = np.sort(
                rng.integers(0, d, n_feats)
                if bootstrap_features
                else rng.choice(d, n_feats, replace=False)
            )
            est = make(seed)
            est.fit(X[:, feats], y_fit, sample_weight=w0 * counts)
            self.estimators_.append(est)
            self.estimators_samples_.append(counts > 0)
            self.estimators_features_.append(feats)
        self.n_features_in_ = d

    def _member_outputs(self, X, fn):
        check_is_fitted(self, "estimators_")
        X = check_array(X)
        check_n_features(self, X)
        return [fn(est, X[:, f]) for est, f in zip(self.estimators_, self.estimators_features_)]

    def _oob(self, X, fn, width):
        """Sum of OOB member outputs and the number of members voting, per sample."""
        acc, votes = np.zeros((len(X), width)), np.zeros(len(X))
        for est, used, f in zip(
            self.estimators_, self.estimators_samples_, self.estimators_features_
        ):
            oob = ~used
            if oob.any():
                acc[oob] += fn(est, X[oob][:, f]).reshape(int(oob.sum()), width)
                votes[oob] += 1
        return acc, votes


class _ForestClassifierMixin(ClassifierMixin):
    def _fit_classifier(self, X, y, sample_weight, make, n_samples, n_feats, bootstrap_features):
        X, y = check_X_y(X, y)
        self.classes_, enc = check_classification_targets(y)
        self.n_classes_ = len(self.classes_)
        self._fit_members(
            X,
            enc,
            sample_weight,
            make,
            self.bootstrap,
            _n_draw(n_samples, len(X), "max_samples"),
            n_feats,
            bootstrap_features,
        )
        if self.oob_score:
            if not self.bootstrap:
                raise ValueError("Out of bag estimation only available if bootstrap=True")
            acc, votes = self._oob(X, self._proba_full, self.n_classes_)
            self.oob_decision_function_ = acc / np.maximum(votes, 1)[:, None]
            seen = votes > 0
            self.oob_score_ = float(
                np.mean(np.argmax(self.oob_decision_function_[seen], 1) == enc[seen])
            )
        return self

    def _proba_full(self, est, X):
        """Member probabilities over all classes (a bootstrap may miss some), shape (n, K)."""
        out = np.zeros((len(X), self.n_classes_))
        out[:, est.classes_.astype(int)] = est.predict_proba(X)
        return out

    def predict_proba(self, X):
        """Mean of the members' class probabilities, shape (n, K)."""
        return np.mean(self._member_outputs(X, self._proba_full), axis=0)

    def predict(self, X):
        proba = self.predict_proba(X)  # checks fitted before classes_ is read
        return self.classes_[np.argmax(proba, axis=1)]


class RandomForestClassifier(_ForestClassifierMixin, _BaseEnsemble):
    """Forest of CART trees on bootstrap samples with ``max_features`` candidates per split.

    Args: n_estimators=100, criterion="gini", max_depth=None, min_samples_split=2,
        min_samples_leaf=1, max_features="sqrt", bootstrap=True, oob_score=False,
        random_state=None, max_samples=None (draws per tree; int or fraction).

    Attributes: estimators_, classes_, feature_importances_ (mean over trees), oob_score_,
        oob_decision_function_ (n, K), estimators_samples_ (in-bag masks).

    Notes: the trees' RNG streams differ from scikit-learn's (statistical agreement only).
    """

    def __init__(
        self,
        n_estimators=100,
        *,
        criterion="gini",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        max_features="sqrt",
        bootstrap=True,
        oob_score=False,
        random_state=None,
        max_samples=None,
    ):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.random_state = random_state
        self.max_samples = max_samples

    def fit(self, X, y, sample_weight=None):
        def make(seed):
            return DecisionTreeClassifier(
                criterion=self.criterion,
                max_depth=self.max_depth,
                min_samples_split=self.min_samples_split,
                min_samples_leaf=self.min_samples_leaf,
                max_features=self.max_features,
                random_state=seed,
            )

        d = np.shape(X)[1] if np.ndim(X) == 2 else 1
        self._fit_classifier(
            X, y, sample_weight, make, self.max_samples if self.bootstrap else None, d, False
        )
        self.feature_importances_ = np.mean(
            [t.feature_importances_ for t in self.estimators_], axis=0
        )
        return self


class RandomForestRegressor(RegressorMixin, _BaseEnsemble):
    """Forest of regression trees; predicts the mean of the trees (max_features=1.0: bagged trees)."""

    def __init__(
        self,
        n_estimators=100,
        *,
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        max_features=1.0,
        bootstrap=True,
        oob_score=False,
        random_state=None,
        max_samples=None,
    ):
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.random_state = random_state
        self.max_samples = max_samples

    def fit(self, X, y, sample_weight=None):
        X, y = check_X_y(X, y, y_numeric=True)

        def make(seed):
            return DecisionTreeRegressor(
                max_depth=self.max_depth,
                min_samples_split=self.min_samples_split,
                min_samples_leaf=self.min_samples_leaf,
                max_features=self.max_features,
                random_state=seed,
            )

        n = len(X)
        self._fit_members(
            X,
            y,
            sample_weight,
            make,
            self.bootstrap,
            _n_draw(self.max_samples if self.bootstrap else None, n, "max_samples"),
            X.shape[1],
            False,
        )
        if self.oob_score:
            acc, votes = self._oob(X, lambda e, Z: e.predict(Z), 1)
            self.oob_prediction_ = acc[:, 0] / np.maximum(votes, 1)
            seen = votes > 0
            resid = y[seen] - self.oob_prediction_[seen]
            self.oob_score_ = float(1 - resid @ resid / np.sum((y[seen] - y[seen].mean()) ** 2))
        self.feature_importances_ = np.mean(
            [t.feature_importances_ for t in self.estimators_], axis=0
        )
        return self

    def predict(self, X):
        return np.mean(self._member_outputs(X, lambda e, Z: e.predict(Z)), axis=0)


class BaggingClassifier(_ForestClassifierMixin, _BaseEnsemble):
    """Bootstrap aggregating: ``n_estimators`` clones of ``estimator`` (default: a full CART tree) on
    resampled rows (``max_samples``) and optionally feature subsets (``max_features``); soft vote
    when the members have ``predict_proba``, else majority vote.
    """

    def __init__(
        self,
        estimator=None,
        n_estimators=10,
        *,
        max_samples=1.0,
        max_features=1.0,
        bootstrap=True,
        bootstrap_features=False,
        oob_score=False,
        random_state=None,
    ):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.bootstrap_features = bootstrap_features
        self.oob_score = oob_score
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        base = DecisionTreeClassifier() if self.estimator is None else self.estimator

        def make(seed):
            est = clone(base)
            if "random_state" in est.get_params(deep=False):
                est.set_params(random_state=seed)
            return est

        d = np.shape(X)[1] if np.ndim(X) == 2 else 1
        return self._fit_classifier(
            X,
            y,
            sample_weight,
            make,
            self.max_samples,
            _n_draw(self.max_features, d, "max_features"),
            self.bootstrap_features,
        )

    def _proba_full(self, est, X):
        if hasattr(est, "predict_proba"):
            return super()._proba_full(est, X)
        out = np.zeros((len(X), self.n_classes_))
        out[np.arange(len(X)), est.predict(X).astype(int)] = 1.0
        return out
