"""Claims C137-C153 run in quick mode; each verdict must agree with its own evidence."""
import math

import pytest
from matplotlib.figure import Figure

from ember.experiments import get

ev_rules = {
    "C137": lambda e: e["std_ratio"] >= 3 and e["cdf_max_deviation_from_line"] <= 0.1,
    "C138": lambda e: e["ks_after"] <= 0.25 * e["ks_before"],
    "C139": lambda e: e["bright_changed_pixels"] == 0 and e["dark_local_std_after"] > e["dark_local_std_before"],
    "C140": lambda e: e["hf_fraction_sharpened"] > e["hf_fraction_input"] > e["hf_fraction_smoothed"],
    "C141": lambda e: e["energy_retained"] > 0.9 and e["edge_energy_retained"] < e["variance_retained"],
    "C142": lambda e: e["rise_10_90_gauss5_sigma1"] < e["rise_10_90_mean5"],
    "C144": lambda e: e["false_edge_rate_laplacian"] == max(v for k, v in e.items() if k.startswith("false")),
    "C145": lambda e: e["canny_f"] > e["sobel_f"] and e["canny_thickness"] < e["sobel_thickness"],
    "C146": lambda e: e["recovered_within_one_bin"] == e["lines"],
    "C147": lambda e: e["area_eroded"] <= e["area"] <= e["area_dilated"] and e["specks_after_opening"] == 0,
    "C148": lambda e: e["psnr_bicubic"] >= e["psnr_bilinear"] > e["psnr_nearest"],
    "C149": lambda e: e["psnr_texture_exemplar"] > e["psnr_unique_object_exemplar"] + 5,
    "C150": lambda e: e["acc_hog_svm"] > e["acc_raw_pixel_svm"] and e["hog_length"] == e["formula_length"],
    "C151": lambda e: e["rel_distance_global_L2-Hys"] < 0.2 * e["rel_distance_global_unnormalized"],
    "C152": lambda e: e["identical_codes_after_gamma"] == 1.0 and e["hist_l1_rot90_uniform"] < 1e-9,
    "C153": lambda e: e["repeatability"] > 0.5,
}


def _c143_status(e):
    wins = e["linear_best_on_gaussian_noise"]
    if e["median_margin_on_salt_pepper_db"] <= 1 or not any(wins.values()):
        return "fails"
    return "holds" if all(wins.values()) else "depends"


@pytest.mark.parametrize("cid", [f"C{i}" for i in range(137, 154)])
def test_claim_quick_is_consistent(cid):
    v = get(cid).run(quick=True)
    assert isinstance(v.figure, Figure) and v.summary
    assert all(not (isinstance(x, float) and math.isnan(x)) for x in v.evidence.values())
    if cid == "C143":
        assert v.status == _c143_status(v.evidence)
        if v.status == "depends":
            assert v.evidence["condition"]
    else:
        assert v.status == ("holds" if ev_rules[cid](v.evidence) else "fails")
