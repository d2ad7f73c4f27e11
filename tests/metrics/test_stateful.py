"""Stateful accumulators: compute() over batches equals the functional metric on all data."""
import numpy as np
import pytest

from ember import metrics as M
from tolerances import TOL, assert_close

skm = pytest.importorskip("sklearn.metrics")


def _batches(seed=0, n=90, c=3):
    rng = np.random.default_rng(seed)
    scores = rng.dirichlet(np.ones(c), n)
    target = rng.integers(0, c, n)
    return scores, target, np.array_split(np.arange(n), 4)


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
def test_confusion_based_metrics_match_sklearn(average):
    scores, target, parts = _batches()
    pred = scores.argmax(1)
    metrics = {"precision_score": M.Precision(3, average=average),
               "recall_score": M.Recall(3, average=average),
               "f1_score": M.F1Score(3, average=average)}
    for idx in parts:
        for m in metrics.values():
            m.update(scores[idx], target[idx])
    for name, m in metrics.items():
        ref = getattr(skm, name)(target, pred, average=average, labels=[0, 1, 2], zero_division=0)
        assert_close(m.compute(), ref, **TOL["metrics"], name=name)


def test_accuracy_cm_regression_and_ranked():
    scores, target, parts = _batches(1)
    acc, top2, cm = M.Accuracy(), M.Accuracy(top_k=2), M.ConfusionMatrix(3)
    mse, mae, mean = M.MeanSquaredError(), M.MeanAbsoluteError(), M.MeanMetric()
    auroc, ap = M.AUROC(), M.AveragePrecision()
    binary = (target == 1).astype(int)
    for idx in parts:
        batch_acc = acc(scores[idx], target[idx])
        assert batch_acc == skm.accuracy_score(target[idx], scores[idx].argmax(1))
        top2.update(scores[idx], target[idx])
        cm.update(scores[idx].argmax(1), target[idx])
        mse.update(scores[idx, 1], binary[idx])
        mae.update(scores[idx, 1], binary[idx])
        mean.update(scores[idx, 0], weight=np.full(len(idx), 2.0))
        auroc.update(scores[idx, 1], binary[idx])
        ap.update(scores[idx, 1], binary[idx])
    assert acc.compute() == skm.accuracy_score(target, scores.argmax(1))
    assert top2.compute() == skm.top_k_accuracy_score(target, scores, k=2)
    np.testing.assert_array_equal(cm.compute(), skm.confusion_matrix(target, scores.argmax(1)))
    assert_close(mse.compute(), skm.mean_squared_error(binary, scores[:, 1]), **TOL["metrics"])
    assert_close(mae.compute(), skm.mean_absolute_error(binary, scores[:, 1]), **TOL["metrics"])
    assert_close(mean.compute(), scores[:, 0].mean(), **TOL["metrics"])
    assert_close(auroc.compute(), skm.roc_auc_score(binary, scores[:, 1]), **TOL["metrics"])
    assert_close(ap.compute(), skm.average_precision_score(binary, scores[:, 1]), **TOL["metrics"])
    acc.reset()
    assert np.isnan(acc.compute())
    with pytest.raises(RuntimeError, match="before any update"):
        M.AUROC().compute()


def test_stateful_bad_inputs():
    with pytest.raises(ValueError, match="num_classes"):
        M.ConfusionMatrix(1)
    with pytest.raises(ValueError, match="labels must lie"):
        M.ConfusionMatrix(2).update(np.array([0, 2]), np.array([0, 1]))
    with pytest.raises(ValueError, match="top_k"):
        M.Accuracy(top_k=2).update(np.array([0, 1]), np.array([0, 1]))
