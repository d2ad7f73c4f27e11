"""Claims C119, C120, C125 (detection) and C133-C136 (metrics) in quick mode: verdict vs evidence."""
import pytest

from ember.experiments import REGISTRY
import ember.experiments.detection  # noqa: F401  (registers the claims)
import ember.experiments.metrics  # noqa: F401

CLAIMS = ["C119", "C120", "C125", "C133", "C134", "C135", "C136"]


@pytest.mark.parametrize("cid", CLAIMS)
def test_claim_quick_is_consistent(cid):
    v = REGISTRY[cid].run(quick=True)
    assert v.status in ("holds", "fails", "depends") and v.figure is not None and v.summary
    ev = v.evidence
    if cid == "C119":
        bad = ev["trials_with_wrong_count"] + ev["kept_not_cluster_top"] + ev["differs_from_brute_force"]
    elif cid == "C120":
        bad = ev["out_of_range"] + (ev["symmetry_max_error"] > 1e-12) + (
            ev["plus_one_minus_continuous@2px"] <= 0.05)
    elif cid == "C125":
        bad = ev["monotonicity_violations"] + (ev["hand_case_error"] > 1e-12)
    elif cid == "C133":
        bad = ev["f1_above_arithmetic_mean"] + (ev["max_abs_error_vs_definitions"] > 1e-12)
    elif cid == "C135":
        bad = sum(ev[k] for k in ("ideal_not_one", "out_of_range", "cg_changed", "dcg_not_lowered"))
    else:
        bad = ev["max_abs_error" if cid == "C136" else "max_abs_difference"] > 1e-12
    assert v.status == ("fails" if bad else "holds"), (cid, ev)
