"""Decision-tree estimators (CART) on top of the level-wise grower in ``_grow``."""

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
    check_random_state,
    check_sample_weight,
    check_X_y,
)
from ._grow import grow_tree

__all__ = ["DecisionTreeClassifier", "DecisionTreeRegressor"]


def resolve_max_features(max_features, d: int) -> int:
    """None -> d; int; float fraction; "sqrt" / "log2" (each at least 1)."""
    if max_features is None:
        return d
    if max_features == "sqrt":
        return max(1, int(np.sqrt(d)))
    if max_features == "log2":
        return max(1, int(np.log2(d)))
    if isinstance(max_features, numbers.Integral) and not isinstance(max_features, bool):
        if not 1 <= max_features:
            raise ValueError(f"max_features must be >= 1, got {max_features}")
        return min(int(max_features), d)
    if isinstance(max_features, numbers.Real) and 0 < max_features <= 1:
        return max(1, int(max_features * d))
    raise ValueError(
        f"max_features must be None, an int >= 1, a float in (0, 1], 'sqrt' or 'log2'; "
        f"got {max_features!r}"
    )


class _BaseTree(BaseEstimator):
    _criteria: tuple = ()

    def __init__(
        self,
        *,
        criterion,
        splitter="best",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        min_weight_fraction_leaf=0.0,
        max_features=None,
        random_state=None,
        min_impurity_decrease=0.0,
    ):
        self.criterion = criterion
        self.splitter = splitter
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.random_state = random_state
        self.min_impurity_decrease = min_impurity_decrease

    def _count(self, value, name, n, minimum):
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            if value < minimum:
                raise ValueError(
                    f"{name} must be an int >= {minimum} or a float in (0, 1], got {value}"
                )
            return int(value)
        if isinstance(value, numbers.Real) and 0 < value <= 1:
            return max(minimum, int(np.ceil(value * n)))
        raise ValueError(f"{name} must be an int >= {minimum} or a float in (0, 1], got {value!r}")

    def _grow(self, X, stats, sample_weight):
        if self.criterion not in self._criteria:
            raise ValueError(f"criterion must be one of {self._criteria}, got {self.criterion!r}")
        if self.splitter != "best":
            raise ValueError(f"splitter must be 'best', got {self.splitter!r}")
        if self.max_depth is not None and (
            not isinstance(self.max_depth, numbers.Integral) or self.max_depth < 1
        ):
            raise ValueError(f"max_depth must be None or an int >= 1, got {self.max_depth!r}")
        n, d = X.shape
        w = check_sample_weight(sample_weight, n)
        msl = self._count(self.min_samples_leaf, "min_samples_leaf", n, 1)
        mss = max(self._count(self.min_samples_split, "min_samples_split", n, 2), 2 * msl)
        if not 0 <= self.min_weight_fraction_leaf <= 0.5:
            raise ValueError(
                f"min_weight_fraction_leaf must be in [0, 0.5], got {self.min_weight_fraction_leaf}"
            )
        if self.min_impurity_decrease < 0:
            raise ValueError(
                f"min_impurity_decrease must be >= 0, got {self.min_impurity_decrease}"
            )
        X32 = X.astype(np.float32).astype(np.float64)  # scikit-learn splits float32 values
        ids = np.flatnonzero(w > 0)
        if len(ids) == 0:
            raise ValueError("sample_weight is zero for every sample")
        crit = "entropy" if self.criterion == "log_loss" else self.criterion
        self.tree_, imp = grow_tree(
            X32,
            stats * w[:, None],
            ids,
            crit,
            np.inf if self.max_depth is None else self.max_depth,
            mss,
            msl,
            self.min_weight_fraction_leaf * w.sum(),
            self.min_impurity_decrease,
            resolve_max_features(self.max_features, d),
            check_random_state(self.random_state),
        )
        self.feature_importances_ = imp / imp.sum() if imp.sum() > 0 else imp
        self.n_features_in_ = d
        self.max_features_ = resolve_max_features(self.max_features, d)
        return self

    def _X32(self, X):
        check_is_fitted(self, "tree_")
        X = check_array(X)
        check_n_features(self, X)
        return X.astype(np.float32).astype(np.float64)

    def apply(self, X):
        """Index of the leaf each sample ends in, shape (n,)."""
        X32 = self._X32(X)  # checks fitted before tree_ is read
        return self.tree_.apply(X32)

    def get_depth(self) -> int:
        check_is_fitted(self, "tree_")
        return self.tree_.max_depth

    def get_n_leaves(self) -> int:
        check_is_fitted(self, "tree_")
        return int(np.sum(self.tree_.children_left < 0))


class DecisionTreeClassifier(ClassifierMixin, _BaseTree):
    """CART classifier: greedy binary splits x_f <= t maximising the weighted impurity decrease.

    Args:
        criterion: "gini" (1 - sum p_k^2), "entropy" / "log_loss" (-sum p_k log2 p_k).
        max_depth, min_samples_split, min_samples_leaf, min_weight_fraction_leaf, max_features,
        min_impurity_decrease, random_state: as in scikit-learn ("best" splitter only).

    Attributes:
        classes_, n_classes_, tree_ (node arrays; ``tree_.value`` holds class fractions),
        feature_importances_ (d,), max_features_.

    Notes:
        Same thresholds as scikit-learn (float32 midpoints) and the same node numbering, so trees
        agree exactly when split gains are unique; ties go to the lowest feature index (scikit-learn
        scans features in a random order). No ``max_leaf_nodes`` / ``ccp_alpha``.
    """

    _criteria = ("gini", "entropy", "log_loss")

    def __init__(
        self,
        *,
        criterion="gini",
        splitter="best",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        min_weight_fraction_leaf=0.0,
        max_features=None,
        random_state=None,
        min_impurity_decrease=0.0,
    ):
        super().__init__(
            criterion=criterion,
            splitter=splitter,
            max_depth=max_depth,
            min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf,
            min_weight_fraction_leaf=min_weight_fraction_leaf,
            max_features=max_features,
            random_state=random_state,
            min_impurity_decrease=min_impurity_decrease,
        )

    def fit(self, X, y, sample_weight=None):
        X, y = check_X_y(X, y)
        self.classes_, enc = check_classification_targets(y)
        self.n_classes_ = len(self.classes_)
        self._grow(X, np.eye(self.n_classes_)[enc], sample_weight)
        v = self.tree_.value
        self.tree_.value = v / v.sum(1, keepdims=True)
        return self

    def predict_proba(self, X):
        """Class fractions of the leaf, shape (n, K)."""
        leaves = self.apply(X)  # checks fitted before tree_ is read
        return self.tree_.value[leaves]

    def predict(self, X):
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class DecisionTreeRegressor(RegressorMixin, _BaseTree):
    """CART regressor with the squared-error criterion; leaves predict the weighted mean target."""

    _criteria = ("squared_error",)

    def __init__(
        self,
        *,
        criterion="squared_error",
        splitter="best",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        min_weight_fraction_leaf=0.0,
        max_features=None,
        random_state=None,
        min_impurity_decrease=0.0,
    ):
        super().__init__(
            criterion=criterion,
            splitter=splitter,
            max_depth=max_depth,
            min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf,
            min_weight_fraction_leaf=min_weight_fraction_leaf,
            max_features=max_features,
            random_state=random_state,
            min_impurity_decrease=min_impurity_decrease,
        )

    def fit(self, X, y, sample_weight=None):
        X, y = check_X_y(X, y, y_numeric=True)
        self._grow(X, np.stack([np.ones_like(y), y, y * y], axis=1), sample_weight)
        v = self.tree_.value
        self.tree_.value = (v[:, 1] / v[:, 0])[:, None]
        return self

    def predict(self, X):
        """Leaf means, shape (n,)."""
        leaves = self.apply(X)
        return self.tree_.value[leaves, 0]
