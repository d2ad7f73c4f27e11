from experiments_helpers import run_claim


def test_c175_holds_with_all_checks_true():
    v = run_claim("C175")
    assert v.status == "holds"
    assert all(v.evidence.values())
    assert v.figure is not None
