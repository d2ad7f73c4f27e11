"""ROC/PR curves, AUC and the four APs vs scikit-learn and hand values (claims C133, C134)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ember import metrics as M
from tolerances import TOL, assert_close

skm = pytest.importorskip("sklearn.metrics")


def _scores(seed, n=80, ties=False):
    rng = np.random.default_rng(seed)
    yt = rng.integers(0, 2, n)
    ys = rng.random(n) + 0.5 * yt
    if ties:
        ys = np.round(ys * 4) / 4
    return yt, ys, rng.random(n)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("drop", [False, True])
def test_roc_curve_matches_sklearn(seed, ties, drop):
    yt, ys, w = _scores(seed, ties=ties)
    for sw in (None, w):
        mine = M.roc_curve(yt, ys, sample_weight=sw, drop_intermediate=drop)
        ref = skm.roc_curve(yt, ys, sample_weight=sw, drop_intermediate=drop)
        for a, b in zip(mine, ref):
            assert_close(a, b, **TOL["metrics"])


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("ties", [False, True])
def test_pr_curve_and_ap_match_sklearn(seed, ties):
    yt, ys, w = _scores(seed, ties=ties)
    for drop in (False, True):
        for a, b in zip(M.precision_recall_curve(yt, ys, drop_intermediate=drop),
                        skm.precision_recall_curve(yt, ys, drop_intermediate=drop)):
            assert_close(a, b, **TOL["metrics"])
    assert_close(M.average_precision_score(yt, ys), skm.average_precision_score(yt, ys),
                 **TOL["metrics"])
    assert_close(M.average_precision_score(yt, ys, sample_weight=w),
                 skm.average_precision_score(yt, ys, sample_weight=w), **TOL["metrics"])
    assert_close(M.interpolated_average_precision(yt, ys, method="step"),
                 skm.average_precision_score(yt, ys), **TOL["metrics"])


@pytest.mark.parametrize("seed", range(3))
def test_auc_scores_match_sklearn(seed):
    yt, ys, w = _scores(seed, ties=True)
    assert_close(M.roc_auc_score(yt, ys), skm.roc_auc_score(yt, ys), **TOL["metrics"])
    assert_close(M.roc_auc_score(yt, ys, sample_weight=w),
                 skm.roc_auc_score(yt, ys, sample_weight=w), **TOL["metrics"])
    assert_close(M.roc_auc_score(yt, ys, max_fpr=0.3), skm.roc_auc_score(yt, ys, max_fpr=0.3),
                 **TOL["metrics"])
    rng = np.random.default_rng(seed)
    ymc = rng.integers(0, 3, 90)
    p = rng.dirichlet(np.ones(3), 90)
    for mc in ("ovr", "ovo"):
        for avg in ("macro", "weighted"):
            assert_close(M.roc_auc_score(ymc, p, multi_class=mc, average=avg),
                         skm.roc_auc_score(ymc, p, multi_class=mc, average=avg), **TOL["metrics"])
    yml = rng.integers(0, 2, (50, 3))
    sml = rng.random((50, 3))
    for avg in (None, "micro", "macro", "weighted"):
        assert_close(M.roc_auc_score(yml, sml, average=avg),
                     skm.roc_auc_score(yml, sml, average=avg), **TOL["metrics"])
        assert_close(M.average_precision_score(yml, sml, average=avg),
                     skm.average_precision_score(yml, sml, average=avg), **TOL["metrics"])
    assert_close(M.average_precision_score(ymc, p), skm.average_precision_score(ymc, p),
                 **TOL["metrics"])


@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 5)), min_size=2, max_size=40))
def test_auc_is_mann_whitney_with_half_ties_c134(pairs):
    yt, ys = np.array(pairs).T
    pos, neg = ys[yt == 1], ys[yt == 0]
    if len(pos) == 0 or len(neg) == 0:
        return
    pairwise = ((pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])).mean()
    assert_close(M.roc_auc_score(yt, ys), pairwise, **TOL["metrics"])


def test_four_aps_on_one_list():
    # ranked list T F T T F T F F (scores decreasing), 4 positives
    yt = np.array([1, 0, 1, 1, 0, 1, 0, 0])
    ys = np.linspace(1, 0.3, 8)
    prec = np.array([1, 1 / 2, 2 / 3, 3 / 4, 3 / 5, 4 / 6])
    # step: recall jumps of 1/4 at ranks 1, 3, 4, 6
    step = (1 + 2 / 3 + 3 / 4 + 4 / 6) / 4
    # all-point envelope: max precision at recall >= r: 1, 3/4, 3/4, 4/6
    all_point = (1 + 3 / 4 + 3 / 4 + 4 / 6) / 4
    # 11-point: r=0..0.2 -> 1 (3 points), 0.3..0.7 -> 3/4 (5 points), 0.8..1 -> 4/6 (3 points)
    eleven = (3 * 1 + 5 * 0.75 + 3 * 4 / 6) / 11
    # 101-point: r in [0, .25] -> 1 (26), (.25, .75] -> .75 (50), (.75, 1] -> 4/6 (25)
    coco = (26 * 1 + 50 * 0.75 + 25 * 4 / 6) / 101
    del prec
    got = {m: M.interpolated_average_precision(yt, ys, method=m)
           for m in ("step", "all_point", "11_point", "101_point")}
    assert_close(got["step"], step, **TOL["metrics"])
    assert_close(got["step"], skm.average_precision_score(yt, ys), **TOL["metrics"])
    assert_close(got["all_point"], all_point, **TOL["metrics"])
    assert_close(got["11_point"], eleven, **TOL["metrics"])
    assert_close(got["101_point"], coco, **TOL["oracle"])  # pycocotools' +spacing(1) in precision
    assert len({round(v, 9) for v in got.values()}) == 4


def test_auc_function_and_errors():
    assert M.auc([0, 1, 2], [0, 1, 0]) == skm.auc([0, 1, 2], [0, 1, 0])
    assert M.auc([2, 1, 0], [0, 1, 1]) == skm.auc([2, 1, 0], [0, 1, 1])
    with pytest.raises(ValueError, match="neither increasing nor decreasing"):
        M.auc([0, 2, 1], [0, 1, 0])
    with pytest.raises(ValueError, match="NaN"):
        M.roc_curve([0, 1], [np.nan, 0.3])
    with pytest.raises(ValueError, match="pos_label"):
        M.roc_curve(["a", "b"], [0.1, 0.3])
    with pytest.raises(ValueError, match="method"):
        M.interpolated_average_precision([1, 0], [0.2, 0.1], method="9_point")
