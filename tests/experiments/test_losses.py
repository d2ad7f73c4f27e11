"""Claims C044-C046, C048, C050 (TOPICS 2.4) in quick mode; verdicts agree with their evidence."""
from __future__ import annotations

import ember.experiments.losses  # noqa: F401  (registers the claims)
from experiments_helpers import run_claim


def test_c044_ce_vs_mse():
    v = run_claim("C044")
    e = v.evidence
    assert (v.status == "holds") == (e["steps_to_p0.5_bce"] < e["steps_to_p0.5_mse"]
                                     and e["initial_grad_bce"] > e["initial_grad_mse"])


def test_c045_mse_saturates():
    v = run_claim("C045")
    assert v.status == "holds", v.evidence
    assert v.evidence["mse_peak_logit"] < 0


def test_c046_smooth_l1():
    v = run_claim("C046")
    e = v.evidence
    robust = e["param_error_smooth_l1"] < 0.2 * e["param_error_l2"]
    assert (v.status in ("holds", "depends")) == robust


def test_c048_kl():
    v = run_claim("C048")
    assert v.status == "holds", v.evidence


def test_c050_focal_ratio():
    v = run_claim("C050")
    assert v.status == "holds", v.evidence
    assert abs(v.evidence["ratio_pt_0.9"] - 0.0025) < 1e-12
