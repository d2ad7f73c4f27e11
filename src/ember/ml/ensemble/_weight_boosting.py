"""AdaBoost (TOPICS.md 1.23, E26; claim C163).

Binary textbook form (labels y in {-1, +1}, weights w summing to 1):
    err_t = sum_i w_i [h_t(x_i) != y_i],  alpha_t = 0.5 ln((1 - err_t) / err_t),
    w_i <- w_i exp(-alpha_t y_i h_t(x_i)) / Z_t,  H(x) = sign(sum_t alpha_t h_t(x)).
alpha_t is exactly the minimiser of the exponential loss sum_i w_i exp(-alpha y_i h_t(x_i)), and the
training error is bounded by prod_t 2 sqrt(err_t (1 - err_t)). The learners are trained one after
another but vote jointly (a weighted sum, not a cascade — TOPICS E26).

SAMME (multi-class, scikit-learn's): alpha_t = lr (ln((1 - err)/err) + ln(K - 1)) and only
misclassified samples are up-weighted by exp(alpha_t); for K = 2 that is 2x the textbook alpha and
the normalised weights are identical.
"""

from __future__ import annotations

import numpy as np

from .._base import (
    BaseEstimator,
    ClassifierMixin,
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
from ..tree import DecisionTreeClassifier

__all__ = ["AdaBoostClassifier", "discrete_adaboost"]


def discrete_adaboost(X, y, n_rounds: int = 50, make_learner=None):
    """The notes' binary AdaBoost on labels y in {-1, +1}. Returns a dict with ``learners``,
    ``alphas`` (T,), ``errors`` (T,), ``weights`` (T+1, n) (sample weights before each round),
    ``train_error`` (T,) (error of the partial vote) and ``bound`` (T,) = prod 2 sqrt(e(1-e)).
    """
    X = check_array(X)
    y = np.asarray(y, dtype=np.float64)
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError(f"y must contain only -1 and +1, got values {np.unique(y)[:5]}")
    make_learner = make_learner or (lambda: DecisionTreeClassifier(max_depth=1))
    n = len(X)
    w = np.full(n, 1.0 / n)
    out = {
        "learners": [],
        "alphas": [],
        "errors": [],
        "weights": [w.copy()],
        "train_error": [],
        "bound": [],
    }
    F, bound = np.zeros(n), 1.0
    for _ in range(check_positive_int(n_rounds, "n_rounds")):
        h = make_learner().fit(X, y, sample_weight=w)
        pred = h.predict(X)
        err = float(np.sum(w[pred != y]))
        if err <= 0 or err >= 0.5:
            break
        alpha = 0.5 * np.log((1 - err) / err)
        w = w * np.exp(-alpha * y * pred)
        w /= w.sum()
        F += alpha * pred
        bound *= 2 * np.sqrt(err * (1 - err))
        for key, v in (
            ("learners", h),
            ("alphas", alpha),
            ("errors", err),
            ("weights", w.copy()),
            ("train_error", float(np.mean(np.sign(F) != y))),
            ("bound", bound),
        ):
            out[key].append(v)
    for key in ("alphas", "errors", "train_error", "bound", "weights"):
        out[key] = np.asarray(out[key])
    return out


class AdaBoostClassifier(ClassifierMixin, BaseEstimator):
    """SAMME AdaBoost over weighted weak learners (default: depth-1 CART stumps, weighted Gini).

    Attributes:
        estimators_, estimator_weights_ (n_estimators,), estimator_errors_ (n_estimators,), classes_.

    Notes:
        Follows scikit-learn 1.9 (SAMME only; early stop at a perfect learner with weight 1, or
        drop a learner no better than chance, err >= 1 - 1/K). Same stumps as scikit-learn when
        the weighted-Gini split gains are unique, hence identical weights and predictions.
    """

    def __init__(self, estimator=None, *, n_estimators=50, learning_rate=1.0, random_state=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        X, y = check_X_y(X, y)
        self.classes_, enc = check_classification_targets(y)
        K = self.n_classes_ = len(self.classes_)
        T = check_positive_int(self.n_estimators, "n_estimators")
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be > 0, got {self.learning_rate}")
        rng = check_random_state(self.random_state)
        w = check_sample_weight(sample_weight, len(X))
        w = w / w.sum()
        base = DecisionTreeClassifier(max_depth=1) if self.estimator is None else self.estimator
        self.estimators_ = []
        self.estimator_weights_, self.estimator_errors_ = np.zeros(T), np.ones(T)
        for t in range(T):
            est = clone(base)
            if "random_state" in est.get_params(deep=False):
                est.set_params(random_state=int(rng.integers(2**31 - 1)))
            est.fit(X, enc, sample_weight=w)
            wrong = est.predict(X) != enc
            err = float(np.average(wrong, weights=w))
            self.estimators_.append(est)
            if err <= 0:
                self.estimator_weights_[t], self.estimator_errors_[t] = 1.0, 0.0
                break
            if err >= 1.0 - 1.0 / K:
                self.estimators_.pop()
                if not self.estimators_:
                    raise ValueError(
                        "BaseClassifier in AdaBoostClassifier ensemble is worse than random, "
                        "ensemble can not be fit."
                    )
                break
            alpha = self.learning_rate * (np.log((1 - err) / err) + np.log(K - 1.0))
            self.estimator_weights_[t], self.estimator_errors_[t] = alpha, err
            if t < T - 1:
                w = np.exp(np.log(w) + alpha * wrong * (w > 0))
                if not np.isfinite(w.sum()) or w.sum() <= 0:
                    break
                w /= w.sum()
        self.n_features_in_ = X.shape[1]
        return self

    def staged_decision_function(self, X):
        """Yield the decision function after each boosting round (shape (n,) or (n, K))."""
        check_is_fitted(self, "estimators_")
        X = check_array(X)
        check_n_features(self, X)
        K = self.n_classes_
        code = np.where(np.eye(K, dtype=bool), 1.0, -1.0 / (K - 1))  # SAMME symmetric coding
        acc, norm = np.zeros((len(X), K)), 0.0
        for est, a in zip(self.estimators_, self.estimator_weights_):
            acc += a * code[est.predict(X).astype(int)]
            norm += a
            pred = acc / norm
            yield (pred[:, 1] - pred[:, 0]) if K == 2 else pred

    def decision_function(self, X):
        """sum_t alpha_t c_k(h_t(x)) / sum_t alpha_t with c_k = 1 for the predicted class and
        -1/(K-1) otherwise, shape (n, K); K = 2: class-1 column minus class-0 column, shape (n,)."""
        for out in self.staged_decision_function(X):
            pass
        return out

    def staged_predict(self, X):
        for dec in self.staged_decision_function(X):
            yield self.classes_[(dec > 0).astype(int) if dec.ndim == 1 else dec.argmax(1)]

    def predict(self, X):
        dec = self.decision_function(X)
        return self.classes_[(dec > 0).astype(int) if dec.ndim == 1 else dec.argmax(1)]

    def predict_proba(self, X):
        """SAMME probabilities softmax(decision / (K - 1)), shape (n, K)."""
        dec = self.decision_function(X)
        K = self.n_classes_
        if K == 2:
            dec = np.stack([-dec, dec], axis=1) / 2
        z = dec / (K - 1)
        z = np.exp(z - z.max(1, keepdims=True))
        return z / z.sum(1, keepdims=True)
