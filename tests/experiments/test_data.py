from ember.experiments import get


def test_c004_quick_consistent():
    v = get("C004").run(quick=True)
    assert v.status == "holds"
    assert v.evidence["len_bs100_drop0"] == 3000 == v.evidence["iterated_bs100_drop0"]
    assert v.evidence["len_bs128_drop1"] == 300_000 // 128
    assert v.evidence["len_bs128_drop0"] == 300_000 // 128 + 1
