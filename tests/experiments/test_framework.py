from experiments_helpers import run_claim


def test_c175_holds_with_all_checks_true():
    v = run_claim("C175")
    assert v.status == "holds"
    assert all(v.evidence.values())
    assert v.figure is not None


def test_c176_curves_match():
    v = run_claim("C176")
    assert v.status == "holds"
    assert v.evidence["max_abs_curve_difference"] < 1e-4
    assert v.evidence["final_loss_custom"] < v.evidence["final_loss_builtin"] * 1.01
