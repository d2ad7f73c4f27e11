"""EarlyStopping: patience, min_delta, modes and best-weight restoration."""
from __future__ import annotations

import pytest

from ember.utils.early_stopping import EarlyStopping


class _Model:
    def __init__(self):
        self.w = 0

    def state_dict(self):
        return {"w": [self.w]}

    def load_state_dict(self, sd):
        self.w = sd["w"][0]


def test_patience_counts_epochs_without_improvement():
    s = EarlyStopping(patience=2)
    assert [s.step(v) for v in [3.0, 2.0, 2.5, 2.1, 2.2]] == [False, False, False, False, True]
    assert s.best == 2.0 and s.best_epoch == 1 and s.stopped_epoch == 4


def test_min_delta_and_max_mode():
    s = EarlyStopping(patience=0, min_delta=0.1, mode="max")
    assert s.step(0.5) is False
    assert s.step(0.55) is True  # +0.05 < min_delta: not an improvement


def test_restores_best_weights():
    m, s = _Model(), EarlyStopping(patience=1)
    for epoch, loss in enumerate([1.0, 0.5, 0.7, 0.8]):
        m.w = epoch
        stop = s.step(loss, m)
    assert stop and m.w == 1


@pytest.mark.parametrize("kw, match", [(dict(patience=-1), "patience"), (dict(min_delta=-0.1), "min_delta"),
                                       (dict(mode="median"), "mode")])
def test_invalid_arguments(kw, match):
    with pytest.raises(ValueError, match=match):
        EarlyStopping(**kw)


def test_nan_metric_raises():
    with pytest.raises(ValueError, match="NaN"):
        EarlyStopping().step(float("nan"))
