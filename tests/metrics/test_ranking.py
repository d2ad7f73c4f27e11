"""Ranking metrics vs scikit-learn and hand-computed cases (claims C135, C136)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ember import metrics as M
from tolerances import TOL, assert_close

skm = pytest.importorskip("sklearn.metrics")


@pytest.mark.parametrize("k", [None, 1, 3, 5])
@pytest.mark.parametrize("ignore_ties", [False, True])
def test_dcg_ndcg_match_sklearn(k, ignore_ties):
    rng = np.random.default_rng(k or 0)
    yt = rng.integers(0, 4, (6, 8)).astype(float)
    ys = rng.random((6, 8)) if ignore_ties else np.round(rng.random((6, 8)) * 3)  # ties
    w = rng.random(6)
    assert_close(M.dcg_score(yt, ys, k=k, ignore_ties=ignore_ties),
                 skm.dcg_score(yt, ys, k=k, ignore_ties=ignore_ties), **TOL["metrics"])
    assert_close(M.dcg_score(yt, ys, k=k, log_base=10, sample_weight=w),
                 skm.dcg_score(yt, ys, k=k, log_base=10, sample_weight=w), **TOL["metrics"])
    assert_close(M.ndcg_score(yt, ys, k=k, ignore_ties=ignore_ties),
                 skm.ndcg_score(yt, ys, k=k, ignore_ties=ignore_ties), **TOL["metrics"])


def test_ndcg_hand_values_linear_and_exponential():
    rel = np.array([[3, 2, 3, 0, 1, 2]], float)
    score = np.array([[6, 5, 4, 3, 2, 1]], float)  # ranked in the given order
    disc = 1 / np.log2(np.arange(2, 8))
    dcg_lin = (rel[0] * disc).sum()
    ideal_lin = (np.sort(rel[0])[::-1] * disc).sum()
    g = 2 ** rel[0] - 1
    dcg_exp, ideal_exp = (g * disc).sum(), (np.sort(g)[::-1] * disc).sum()
    assert_close(M.ndcg_score(rel, score), dcg_lin / ideal_lin, **TOL["metrics"])
    assert_close(M.ndcg_score(rel, score, gain="exponential"), dcg_exp / ideal_exp, **TOL["metrics"])
    assert M.ndcg_score(rel, score) != M.ndcg_score(rel, score, gain="exponential")


@given(st.lists(st.integers(0, 3), min_size=2, max_size=10), st.randoms(use_true_random=False))
def test_ndcg_cg_dcg_properties_c135(rel, rnd):
    rel = np.array([rel], float)
    ideal_scores = rel.copy()
    perm = list(range(rel.shape[1]))
    rnd.shuffle(perm)
    scores = np.array([perm], float)
    nd = M.ndcg_score(rel, scores)
    assert -1e-12 <= nd <= 1 + 1e-12
    if rel.sum() > 0:
        assert_close(M.ndcg_score(rel, ideal_scores), 1.0, **TOL["metrics"])
    assert_close(M.cumulative_gain(rel, scores), rel.sum(), **TOL["metrics"])
    assert M.dcg_score(rel, scores) <= M.dcg_score(rel, ideal_scores) + 1e-12


def test_binary_ranking_hand_cases_c136():
    # query 1: first relevant at rank 2; query 2: rank 1; query 3: rank 4 (scores sort the items)
    yt = np.array([[0, 1, 0, 1], [1, 0, 0, 0], [0, 0, 0, 1]])
    ys = np.array([[4, 3, 2, 1], [4, 3, 2, 1], [4, 3, 2, 1]], float)
    assert_close(M.mean_reciprocal_rank(yt, ys), (1 / 2 + 1 + 1 / 4) / 3, **TOL["metrics"])
    assert M.hit_rate_at_k(yt, ys, 1) == 1 / 3
    assert M.hit_rate_at_k(yt, ys, 2) == 2 / 3
    assert M.precision_at_k(yt, ys, 2) == (1 / 2 + 1 / 2 + 0) / 3
    assert M.recall_at_k(yt, ys, 2) == (1 / 2 + 1 + 0) / 3
    # AP@4 query 1: hits at ranks 2, 4 -> (1/2 + 2/4) / 2
    assert_close(M.average_precision_at_k(yt, ys, 4), [0.5, 1.0, 0.25], **TOL["metrics"])
    empty = np.array([[0, 0, 0]])
    assert M.mean_reciprocal_rank(empty, [[1, 2, 3]]) == 0.0
    assert M.mean_reciprocal_rank(empty, [[1, 2, 3]], empty_target_action="pos") == 1.0


def test_mrr_and_map_match_sklearn_special_cases():
    rng = np.random.default_rng(3)
    scores = rng.random((30, 6))
    one = np.zeros((30, 6), int)
    one[np.arange(30), rng.integers(0, 6, 30)] = 1
    lrap = skm.label_ranking_average_precision_score(one, scores)
    assert_close(M.mean_reciprocal_rank(one, scores), lrap, **TOL["metrics"])
    many = (rng.random((30, 6)) < 0.4).astype(int)
    many[:, 0] = 1
    assert_close(M.mean_average_precision_at_k(many, scores),
                 skm.label_ranking_average_precision_score(many, scores), **TOL["metrics"])
    labels = one.argmax(1)
    for k in (1, 2, 3):
        assert M.hit_rate_at_k(one, scores, k) == skm.top_k_accuracy_score(labels, scores, k=k)


def test_ranking_bad_inputs():
    with pytest.raises(ValueError, match="k: expected a positive integer"):
        M.hit_rate_at_k([[1, 0]], [[0.2, 0.1]], 0)
    with pytest.raises(ValueError, match="equal shapes"):
        M.ndcg_score([[1, 0]], [[0.2, 0.1, 0.3]])
    with pytest.raises(ValueError, match="non-negative"):
        M.ndcg_score([[-1, 0]], [[0.2, 0.1]])
    with pytest.raises(ValueError, match="gain"):
        M.dcg_score([[1, 0]], [[0.2, 0.1]], gain="log")
    with pytest.raises(ValueError, match="more than 1 document"):
        M.ndcg_score([[1]], [[0.2]])
