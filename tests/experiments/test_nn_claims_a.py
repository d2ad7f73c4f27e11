"""Claims of TOPICS §2.3/2.5/2.6 (activations, regularization, initialization) in quick mode:
each verdict must agree with the evidence it reports."""
import pytest

import ember.experiments.activations  # noqa: F401  (registers the claims)
import ember.experiments.initialization  # noqa: F401
import ember.experiments.regularization  # noqa: F401
from ember.experiments import REGISTRY


def _consistent(cid, ev):
    """The verdict each claim's evidence implies (status 'holds' unless noted)."""
    if cid == "C035":
        return ev["sigmoid_first_over_last_grad"] < 1e-2 < ev["relu_first_over_last_grad"] and \
            ev["relu_final_loss"] < ev["sigmoid_final_loss"]
    if cid == "C036":
        return abs(ev["max_derivative"] - 0.25) < 1e-12 and ev["max_chain_gradient_L10"] <= ev["bound_0.25^10"]
    if cid == "C037":  # the claim is the 2^N compounding: it fails when fractions stay near 1/2
        return not (0.3 < ev["min_fraction"] and ev["max_fraction"] < 0.7)
    if cid == "C038":
        return ev["speedup"] > 1
    if cid == "C039":
        return ev["relu_dead_fraction"] > 0 and ev["leaky_relu_dead_fraction"] == 0
    if cid == "C041":
        return ev["collapse_max_abs_error"] < 1e-9 and ev["relu_accuracy"] > ev["identity_accuracy"] + 0.05
    if cid == "C052":
        return ev["l1_exact_zeros_among_45_noise"] >= 35 and ev["l2_exact_zeros"] == 0
    if cid == "C056":
        return ev["linear_max_z_score"] < 4.5
    if cid == "C060":
        return ev["test_mse_best"] < 0.5 * ev["test_mse_smallest_lambda"]
    if cid == "C071":
        return ev["constant_0.5_max_unit_difference"] < 1e-6 < ev["kaiming_max_unit_difference"]
    if cid == "C072":
        return ev["max_difference_zero_vs_random"] < 1e-6
    if cid == "C073":
        lin = ev["linear_first_layer_grad"]
        return lin["0.5"] < 1e-3 * lin["1.0"] and lin["2.0"] > 1e3 * lin["1.0"]
    return ev["max_rel_error"] < 1e-12  # C074


@pytest.mark.parametrize("cid", ["C035", "C036", "C037", "C038", "C039", "C041", "C052", "C056", "C060",
                                 "C071", "C072", "C073", "C074"])
def test_claim_quick_is_consistent(cid):
    v = REGISTRY[cid].run(quick=True)
    assert v.figure is not None and v.summary
    assert v.status == ("holds" if _consistent(cid, v.evidence) else "fails"), (cid, v.evidence)
