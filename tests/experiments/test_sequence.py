"""Claims C101-C108 and C171 in quick mode: the verdict must follow from the recorded evidence."""
import pytest

import ember.experiments.sequence  # noqa: F401  (registers the claims)
from ember.experiments import REGISTRY


def _consistent(cid, ev):
    if cid == "C101":
        return ev["lstm_over_rnn_at_max_T"] > 10 and ev["log_slope_rnn"] < ev["log_slope_lstm"]
    if cid == "C102":
        return ev["max_over_median_grad_norm"] > 10 or ev["grows_with_T"]
    if cid == "C103":
        return ev["param_ratio"] == 0.75 and ev["final_mse"]["GRU"] <= 1.25 * ev["final_mse"]["LSTM"]
    if cid == "C104":
        return ev["gru_time_linear_corr"] > 0.95
    if cid == "C105":
        return ev["mass_on_correct"] > 0.9 and ev["accuracy"] > 0.95
    if cid == "C106":
        return ev["gap_at_longest"] > 0.05 and ev["drop_short_to_long"]["luong"] < ev["drop_short_to_long"]["none"]
    if cid == "C107":
        return ev["unscaled_d512"]["max_weight"] > 0.9 and ev["scaled_d512"]["max_weight"] < 0.5
    if cid == "C108":
        return ev["max_abs_difference"] <= 1e-10 and ev["gradcheck_passed"]
    return ev["max_abs_error_vs_brute_force"] <= 1e-10 and ev["gradcheck_passed"] and ev["toy_sequence_accuracy"] > 0.8


FAST = ["C101", "C102", "C103", "C105", "C107", "C108", "C171"]
SLOW = ["C104", "C106"]


@pytest.mark.parametrize("cid", FAST + [pytest.param(c, marks=pytest.mark.slow) for c in SLOW])
def test_claim_quick_is_consistent(cid):
    v = REGISTRY[cid].run(quick=True)
    assert v.figure is not None and v.summary and v.evidence
    holds = _consistent(cid, v.evidence)
    assert (v.status == "holds") == holds, (cid, v.status, v.evidence)
    if not holds:
        assert v.status in ("fails", "depends")
