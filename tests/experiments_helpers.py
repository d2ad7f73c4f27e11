"""Shared check for claim tests: run quick, verify the verdict is well-formed."""
from __future__ import annotations


def run_claim(claim_id: str):
    from ember.experiments import Verdict, get

    c = get(claim_id)
    v = c.run(quick=True)
    assert isinstance(v, Verdict)
    assert v.status in ("holds", "fails", "depends")
    assert v.evidence, f"{claim_id}: no evidence recorded"
    return v
