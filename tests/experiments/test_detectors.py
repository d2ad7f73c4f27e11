import pytest
from experiments_helpers import run_claim


def test_c121_fixed_size():
    v = run_claim("C121")
    assert v.status == "holds"
    assert v.evidence["fixed_shapes"] and v.evidence["gradient_routed_to_single_max"]


def test_c122_shared_conv_is_faster():
    v = run_claim("C122")
    assert v.evidence["speedup"] > 1
    ev = v.evidence
    assert (v.status == "holds") == (ev["conv_speedup"] > 0.25 * ev["proposals"] and ev["speedup"] > 2)


@pytest.mark.slow
def test_c123_multitask_consistent():
    v = run_claim("C123")
    assert 0 <= v.evidence["acc_joint"] <= 1 and 0 <= v.evidence["iou_joint"] <= 1
    if v.status == "depends":
        assert "condition" in v.evidence


@pytest.mark.slow
def test_c124_yolo_grid_consistent():
    v = run_claim("C124")
    assert (v.status == "holds") == (v.evidence["map50"] > 0.8)
