"""The estimator contract: get_params / set_params / clone / repr / validation errors."""

import numpy as np
import pytest

from ember.ml import NotFittedError, clone
from ember.ml._base import check_array, check_random_state, check_sample_weight, check_X_y
from ember.ml.cluster import KMeans
from ember.ml.ensemble import BaggingClassifier
from ember.ml.tree import DecisionTreeClassifier


def test_get_set_params_roundtrip_and_nested():
    est = BaggingClassifier(DecisionTreeClassifier(max_depth=2), n_estimators=3)
    params = est.get_params()
    assert params["n_estimators"] == 3 and params["estimator__max_depth"] == 2
    est.set_params(estimator__max_depth=5, n_estimators=7)
    assert est.estimator.max_depth == 5 and est.n_estimators == 7
    with pytest.raises(ValueError, match="Invalid parameter 'bogus'"):
        est.set_params(bogus=1)


def test_clone_is_unfitted_copy_with_same_params():
    km = KMeans(3, random_state=0).fit(np.random.default_rng(0).normal(size=(20, 2)))
    c = clone(km)
    assert c.get_params() == km.get_params()
    assert not hasattr(c, "cluster_centers_")


def test_repr_shows_changed_params_only():
    assert repr(KMeans(4)) == "KMeans(n_clusters=4)"


def test_not_fitted_error_is_value_and_attribute_error():
    with pytest.raises(NotFittedError, match="not fitted"):
        KMeans().predict(np.zeros((2, 2)))
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.array([[1.0, np.nan]]), "NaN"),
        (np.array([1.0, 2.0]), "Expected 2D"),
        (np.zeros((0, 3)), "0 sample"),
        (np.zeros((3, 0)), "0 feature"),
        (np.array([["a", "b"]]), "could not be converted|numeric"),
    ],
)
def test_check_array_errors_name_the_problem(bad, match):
    with pytest.raises(ValueError, match=match):
        check_array(bad)


def test_check_X_y_length_mismatch_and_sample_weight():
    with pytest.raises(ValueError, match="inconsistent numbers of samples: 3 != 2"):
        check_X_y(np.zeros((3, 2)), [0, 1])
    with pytest.raises(ValueError, match="sample_weight.shape"):
        check_sample_weight([1.0, 2.0], 3)
    with pytest.raises(ValueError, match="non-negative"):
        check_sample_weight([1.0, -2.0], 2)


def test_check_random_state_accepts_seed_generator_and_rejects_junk():
    g = np.random.default_rng(1)
    assert check_random_state(g) is g
    assert check_random_state(3).integers(100) == np.random.default_rng(3).integers(100)
    with pytest.raises(ValueError, match="random_state"):
        check_random_state("seed")
