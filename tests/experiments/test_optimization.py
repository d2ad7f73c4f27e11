"""Each optimization claim runs in quick mode and its status agrees with its own evidence."""
from __future__ import annotations

import pytest

import ember.experiments as E

IDS = ["C002", "C005", "C006", "C007", "C008", "C010", "C012", "C013", "C016", "C017", "C020", "C021", "C022"]
SLOW = {"C007", "C008", "C010", "C021"}


@pytest.mark.parametrize("cid", [pytest.param(c, marks=pytest.mark.slow) if c in SLOW else c for c in IDS])
def test_claim_quick_status_consistent(cid):
    v = E.get(cid).run(quick=True)
    checks = v.evidence["checks"]
    assert checks and all(isinstance(b, bool) for b in checks.values())
    if all(checks.values()):
        assert v.status == "holds"
    else:
        assert v.status in ("fails", "depends")
    assert v.summary
