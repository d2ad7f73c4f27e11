"""The scikit-learn estimator contract, written from scratch (TOPICS.md 1.23).

``BaseEstimator`` gives ``get_params`` / ``set_params`` / ``__repr__`` by introspecting ``__init__``
(every constructor argument is stored unchanged under its own name, as scikit-learn requires);
the mixins add ``score`` / ``fit_predict`` / ``fit_transform``. Validation helpers raise the same
exception types as scikit-learn (``ValueError`` for bad values and NaN, ``NotFittedError`` — a
``ValueError`` and ``AttributeError`` subclass — before ``fit``).
"""

from __future__ import annotations

import inspect
import numbers

import numpy as np

__all__ = [
    "BaseEstimator",
    "ClassifierMixin",
    "RegressorMixin",
    "ClusterMixin",
    "TransformerMixin",
    "NotFittedError",
    "check_array",
    "check_X_y",
    "check_is_fitted",
    "check_random_state",
    "check_sample_weight",
    "clone",
]


class NotFittedError(ValueError, AttributeError):
    """Raised when a method needing fitted attributes is called before ``fit`` (sklearn's name)."""


class BaseEstimator:
    """Parameter handling of the estimator contract: ``get_params``, ``set_params``, ``repr``."""

    @classmethod
    def _get_param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return sorted(
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
        )

    def get_params(self, deep: bool = True) -> dict:
        """Constructor arguments as a dict; with ``deep`` also ``<param>__<sub>`` of nested estimators."""
        out = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update({f"{name}__{k}": v for k, v in value.get_params().items()})
            out[name] = value
        return out

    def set_params(self, **params):
        """Set constructor arguments (``name=value`` or nested ``name__sub=value``); returns self."""
        valid = self.get_params(deep=True)
        nested: dict[str, dict] = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}; "
                    f"valid parameters are {sorted(self._get_param_names())}"
                )
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
        for name, sub_params in nested.items():
            getattr(self, name).set_params(**sub_params)
        return self

    def __repr__(self) -> str:
        sig = inspect.signature(type(self).__init__)
        changed = []
        for name, p in sig.parameters.items():
            if name == "self" or not hasattr(self, name):
                continue
            value = getattr(self, name)
            if p.default is inspect.Parameter.empty or not _same(value, p.default):
                changed.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(changed)})"

    def __sklearn_tags__(self):
        """Tags for ``sklearn.utils.estimator_checks`` (imports scikit-learn only when it asks)."""
        from sklearn.utils import ClassifierTags, RegressorTags, Tags, TargetTags, TransformerTags  # noqa: PLC0415

        kind = getattr(self, "_estimator_type", None)
        tags = Tags(
            estimator_type=kind,
            target_tags=TargetTags(required=kind in ("classifier", "regressor")),
        )
        if kind == "classifier":
            tags.classifier_tags = ClassifierTags()
        if kind == "regressor":
            tags.regressor_tags = RegressorTags()
        if hasattr(self, "transform"):
            tags.transformer_tags = TransformerTags()
        return tags


def _same(a, b) -> bool:
    try:
        return bool(a is b or a == b)
    except (ValueError, TypeError):
        return False


def clone(estimator):
    """A new unfitted estimator with the same parameters (nested estimators are cloned too)."""
    params = estimator.get_params(deep=False)
    params = {k: clone(v) if isinstance(v, BaseEstimator) else v for k, v in params.items()}
    return type(estimator)(**params)


class ClassifierMixin:
    """``score`` = mean accuracy."""

    _estimator_type = "classifier"

    def score(self, X, y, sample_weight=None) -> float:
        y = np.asarray(y)
        return float(np.average(self.predict(X) == y, weights=sample_weight))


class RegressorMixin:
    """``score`` = coefficient of determination R^2 = 1 - SS_res / SS_tot."""

    _estimator_type = "regressor"

    def score(self, X, y, sample_weight=None) -> float:
        y = np.asarray(y, dtype=np.float64)
        pred = self.predict(X)
        w = (
            np.ones(len(y))
            if sample_weight is None
            else np.asarray(sample_weight, dtype=np.float64)
        )
        ss_res = np.sum(w * (y - pred) ** 2)
        ss_tot = np.sum(w * (y - np.average(y, weights=w)) ** 2)
        return float(1.0 - ss_res / ss_tot) if ss_tot > 0 else (1.0 if ss_res == 0 else 0.0)


class ClusterMixin:
    """``fit_predict`` = ``fit(X).labels_``."""

    _estimator_type = "clusterer"

    def fit_predict(self, X, y=None, sample_weight=None):
        kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
        return self.fit(X, **kwargs).labels_


class TransformerMixin:
    """``fit_transform`` = ``fit(X).transform(X)``."""

    def fit_transform(self, X, y=None):
        return self.fit(X, y).transform(X)


def check_array(
    X,
    name: str = "X",
    ensure_2d: bool = True,
    dtype=np.float64,
    ensure_min_samples: int = 1,
    allow_nan: bool = False,
) -> np.ndarray:
    """Validate an array: numeric, finite, 2-D (n_samples, n_features) with >= 1 sample and feature."""
    if isinstance(X, str) or X is None:
        raise TypeError(f"{name} must be array-like of numbers, got {type(X).__name__}")
    if hasattr(X, "toarray") or hasattr(X, "tocsr"):
        raise TypeError(
            f"Sparse data was passed for {name}, but dense data is required. Use '.toarray()' "
            "to convert to a dense numpy array."
        )
    try:
        raw = np.asarray(X)
        if raw.dtype.kind == "c":
            raise ValueError(f"Complex data not supported for {name}; got dtype {raw.dtype}")
        arr = raw.astype(dtype) if dtype is not None else raw
    except TypeError as exc:
        raise TypeError(f"{name} could not be converted to {np.dtype(dtype).name}: {exc}") from exc
    except ValueError as exc:
        raise ValueError(f"{name} could not be converted to {np.dtype(dtype).name}: {exc}") from exc
    if arr.dtype.kind in "OUS":
        raise ValueError(f"{name} must be numeric, got dtype {arr.dtype}")
    if ensure_2d:
        if arr.ndim != 2:
            raise ValueError(
                f"Expected 2D array for {name}, got {arr.ndim}D array of shape {arr.shape}. Reshape "
                "your data with X.reshape(-1, 1) for one feature or X.reshape(1, -1) for one sample"
            )
        if arr.shape[1] < 1:
            raise ValueError(
                f"{name} has 0 feature(s) (shape={arr.shape}) while a minimum of 1 is required."
            )
    if arr.shape[0] < ensure_min_samples:
        raise ValueError(
            f"{name} has {arr.shape[0]} sample(s) (shape={arr.shape}) while a minimum of "
            f"{ensure_min_samples} is required."
        )
    if arr.dtype.kind == "f" and not allow_nan and not np.isfinite(arr).all():
        raise ValueError(
            f"Input {name} contains NaN or infinity; impute or drop those values first"
        )
    return arr


def check_X_y(X, y, y_numeric: bool = False, ensure_min_samples: int = 1):
    """Validate X (n, d) and y (n,) with matching lengths; y kept in its dtype unless ``y_numeric``."""
    X = check_array(X, ensure_min_samples=ensure_min_samples)
    if y is None:
        raise ValueError(
            f"requires y to be passed, but the target y is None (X has shape {X.shape})"
        )
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D of shape (n_samples,), got shape {y.shape}")
    if len(y) != len(X):
        raise ValueError(f"X and y have inconsistent numbers of samples: {len(X)} != {len(y)}")
    if y_numeric or y.dtype.kind == "f":
        y = check_array(y, name="y", ensure_2d=False)
    return X, y


def check_is_fitted(estimator, attribute: str) -> None:
    """Raise ``NotFittedError`` unless ``estimator`` has the fitted ``attribute``."""
    if not hasattr(estimator, attribute):
        raise NotFittedError(
            f"This {type(estimator).__name__} instance is not fitted yet; call 'fit' "
            "with appropriate arguments before using this estimator"
        )


def check_n_features(estimator, X) -> None:
    if X.shape[1] != estimator.n_features_in_:
        raise ValueError(
            f"X has {X.shape[1]} features, but {type(estimator).__name__} is expecting "
            f"{estimator.n_features_in_} features as input"
        )


def check_random_state(seed) -> np.random.Generator:
    """None / int / Generator / RandomState -> a ``numpy.random.Generator``."""
    if seed is None or isinstance(seed, (numbers.Integral, np.integer)):
        return np.random.default_rng(seed)
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, np.random.RandomState):
        return np.random.default_rng(seed.randint(2**31))
    raise ValueError(f"random_state must be None, an int or a numpy Generator, got {seed!r}")


def check_sample_weight(sample_weight, n: int) -> np.ndarray:
    """None -> ones(n); else a non-negative float vector of length n."""
    if sample_weight is None:
        return np.ones(n)
    w = np.asarray(sample_weight, dtype=np.float64)
    if w.ndim == 0:
        return np.full(n, float(w))
    if w.shape != (n,):
        raise ValueError(f"sample_weight.shape == {w.shape}, expected ({n},)")
    if (w < 0).any() or not np.isfinite(w).all():
        raise ValueError("sample_weight must be finite and non-negative")
    if n and not w.any():
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return w


def check_positive_int(value, name: str, minimum: int = 1) -> int:
    """Validate an integer hyper-parameter >= minimum (raises naming the argument)."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} ({value!r})")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_classification_targets(y) -> tuple[np.ndarray, np.ndarray]:
    """Return (classes_, y encoded 0..K-1); continuous float targets raise ValueError."""
    y = np.asarray(y)
    if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
        raise ValueError("Input y contains NaN or infinity")
    if y.dtype.kind == "f" and np.any(y != np.round(y)):
        raise ValueError("Unknown label type: continuous; classifiers need discrete class labels")
    classes, encoded = np.unique(y, return_inverse=True)
    return classes, encoded.reshape(-1)
