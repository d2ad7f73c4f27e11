"""Claims of optimization_more / optimization_sgd (TOPICS §2.1) in quick mode: each verdict agrees with the
checks it reports, and the refuted claims report what is true instead."""
from __future__ import annotations

import pytest

import ember.experiments as E

IDS = ["C001", "C003", "C009", "C011", "C014", "C015", "C018", "C019", "C023"]
SLOW = {"C001", "C003", "C014"}


@pytest.mark.parametrize("cid", [pytest.param(c, marks=pytest.mark.slow) if c in SLOW else c for c in IDS])
def test_claim_quick_status_consistent(cid):
    v = E.get(cid).run(quick=True)
    checks = v.evidence["checks"]
    assert checks and all(isinstance(b, bool) for b in checks.values())
    if all(checks.values()):
        assert v.status == "holds"
    elif v.status == "depends":
        assert v.evidence["condition"]
    else:
        assert v.status == "fails"
    assert v.summary


def test_c011_adadelta_initial_step_is_set_by_eps():
    """Adadelta's 'no learning rate': its first step is sqrt(eps/(1-rho)) whatever the gradient scale."""
    ev = E.get("C011").run(quick=True).evidence
    assert ev["adadelta_first_step_max_abs"] == pytest.approx(ev["sqrt(eps/(1-rho))"], rel=1e-6)
    steps = ev["sgd_lr0.05_steps_to_1pct_gap"]
    assert len(set(steps.values())) == 1  # plain SGD on least squares is invariant to the target scale
