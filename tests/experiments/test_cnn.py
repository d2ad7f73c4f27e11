"""Every §2.7 claim (C075-C091) runs in quick mode and its status agrees with its evidence."""
from __future__ import annotations

import numpy as np
import pytest
from tolerances import TOL, assert_close

import ember
import ember.nn.functional as F
from ember.experiments import get
from ember.experiments.cnn import reference_conv2d_nhwc, rf_backward, rf_forward

EXACT = ["C075", "C077", "C078", "C079", "C080", "C082", "C084", "C085", "C086", "C087", "C088",
         "C089", "C090", "C091"]


@pytest.mark.parametrize("cid", EXACT)
def test_exact_claims_hold_with_consistent_evidence(cid):
    v = get(cid).run(quick=True)
    if cid == "C088":  # exactness is required; its speed-up part is timing-dependent on a loaded CI
        assert v.status in ("holds", "depends"), (cid, v.summary, v.evidence)
    else:
        assert v.status == "holds", (cid, v.summary, v.evidence)
    ev = v.evidence
    checks = {
        "C075": lambda: ev["rf_two_3x3"] == 5 and ev["rf_three_3x3"] == 7 and ev["params_two_3x3_C64"] == 73728
        and ev["params_one_5x5_C64"] == 102400,
        "C077": lambda: ev["shape_mismatches"] == 0 and ev["max_abs_err_vs_loop"] < 1e-10,
        "C078": lambda: ev["agree"] == ev["stacks"],
        "C079": lambda: ev["max_abs_diff"] < 1e-10,
        "C080": lambda: ev["param_ratio"] == 4 and ev["max_abs_diff"] < 1e-10,
        "C082": lambda: ev["depthwise"] == 2304 and ev["pointwise"] == 65536 and round(ev["ratio"], 3) == 0.115,
        "C084": lambda: (ev["rf_d1"], ev["rf_d2"], ev["rf_d4"]) == (3, 5, 9),
        "C085": lambda: ev["max_rel_inner_product_gap"] < 1e-10 and ev["stride2_output_of_8x8"] == [16, 16],
        "C086": lambda: ev["zero_offset_err"] < 1e-10 and ev["integer_offset_shift_err"] < 1e-10,
        "C087": lambda: ev["conv_params"] == 606 and ev["mlp_784_30_params"] == 23550,
        "C088": lambda: all(c["max_err"] < 1e-10 for c in ev["cases"]) and (v.status == "depends" or all(c["speedup"] >= 10 for c in ev["cases"])),
        "C089": lambda: ev["mac_reduction"] == 4 and ev["shift_change_pool"] < ev["shift_change_no_pool"],
        "C090": lambda: ev["max_param_diff_no_bn"] < 1e-10 < ev["max_param_diff_bn"],
        "C091": lambda: ev["max_output_diff"] == 0 and ev["max_grad_diff"] < 1e-12,
    }
    assert checks[cid](), (cid, ev)


@pytest.mark.parametrize("cid", ["C076", "C081", "C083"])
def test_measured_claims_status_matches_evidence(cid):
    v = get(cid).run(quick=True)
    ev = v.evidence
    if v.status == "depends":
        assert "condition" in ev
    if cid == "C076":
        assert (v.status == "holds") == (ev["mean_acc_two_3x3"] >= ev["mean_acc_one_5x5"])
        assert abs(ev["params_two_3x3"] - ev["params_one_5x5"]) / ev["params_one_5x5"] < 0.05
    elif cid == "C081":
        assert v.status == "depends" and ev["groups4"]["params"] < ev["groups1"]["params"]
    else:
        a = ev["analytic_64x64"]
        assert (a["conv1"]["params"], a["conv1"]["macs"], a["conv1"]["working_set"]) == (589824, 2415919104, 2686976)
        assert (a["conv2"]["macs"], a["conv2"]["working_set"]) == (9437184, 2099456)
        assert (a["conv3"]["macs"], a["conv3"]["working_set"]) == (9437184, 133376)
        ok = ev["speedup_conv1_over_conv2"] < 64 and ev["conv3"]["seconds"] < ev["conv2"]["seconds"]
        assert (v.status == "holds") == ok


def test_reference_loop_conv_and_rf_formulas():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 7, 6, 3)), rng.standard_normal((3, 2, 3, 4))
    ref = reference_conv2d_nhwc(x, w, 2, 1)
    y = F.conv2d(ember.tensor(x.transpose(0, 3, 1, 2)), ember.tensor(w.transpose(3, 2, 0, 1)), None, 2, 1)
    assert_close(ref.transpose(0, 3, 1, 2), y, **TOL["float64"], name="loop conv vs im2col")
    spec = [(3, 1, 1), (2, 2, 1), (3, 1, 2), (3, 2, 1)]
    assert rf_forward(spec) == rf_backward(spec) == 1 + 2 + 1 * 1 + 4 * 2 + 2 * 2
