from experiments_helpers import run_claim


def test_c121_fixed_size():
    v = run_claim("C121")
    assert v.status == "holds"
    assert v.evidence["fixed_shapes"] and v.evidence["gradient_routed_to_single_max"]
