"""Claims C024-C032 (TOPICS 2.2) run in quick mode; verdicts must agree with their evidence."""
from __future__ import annotations

import pytest

import ember.experiments.normalization  # noqa: F401  (registers the claims)
from experiments_helpers import run_claim


@pytest.mark.slow  # ~6 s: six short training runs
def test_c024_larger_lr():
    v = run_claim("C024")
    assert (v.status == "holds") == (v.evidence["ratio"] >= 3)


def test_c025_faster():
    v = run_claim("C025")
    assert (v.status == "holds") == (v.evidence["epochs_bn"] < v.evidence["epochs_plain"])


def test_c026_vanishing():
    v = run_claim("C026")
    assert (v.status == "holds") == (v.evidence["improvement_factor"] > 10)


def test_c027_init():
    v = run_claim("C027")
    assert (v.status == "holds") == (v.evidence["spread_bn"] < v.evidence["spread_plain"])


def test_c029_inference_uses_running_stats():
    v = run_claim("C029")
    assert v.status == "holds"
    assert v.evidence["max_diff_alone_vs_in_batch"] < 1e-5
    assert v.evidence["distinct_outputs_train_stats_batch1"] == 1


@pytest.mark.parametrize("cid", ["C030", "C031", "C032"])
def test_exact_claims_hold(cid):
    v = run_claim(cid)
    assert v.status == "holds", v.evidence
