"""Claims C166-C170 and C172 (speech) in quick mode: the verdict must follow from the evidence."""

import pytest

import ember.experiments.audio  # noqa: F401  (registers the claims)
from ember.experiments import REGISTRY


def _expected(cid, ev):
    if cid == "C166":
        return ev["path_mismatches"] == 0 and ev["max_score_error"] < 1e-10
    if cid == "C167":
        return ev["largest_loglik_drop"] <= 1e-8 and ev["max_param_error"] < 0.1
    if cid == "C168":
        return ev["acc_gmm_hmm"] > ev["acc_single_gaussian_hmm"] + 0.1
    if cid == "C169":
        return ev["nearest_centroid_accuracy"] > 0.9 and ev["mfcc_coefficients"] == 13
    if cid == "C170":
        return (
            ev["max_coefficient_error"] < 0.05
            and abs(ev["residual_var_over_innovation_var"] - 1) < 0.05
        )
    if cid == "C172":
        return ev["matches_exhaustive_search"] == ev["trials"] == ev["decoded_correct"]
    raise KeyError(cid)


@pytest.mark.parametrize("cid", ["C166", "C167", "C168", "C169", "C170", "C172"])
def test_claim_quick_is_consistent(cid):
    v = REGISTRY[cid].run(quick=True)
    assert v.figure is not None and v.summary
    assert v.status == ("holds" if _expected(cid, v.evidence) else "fails"), (cid, v.evidence)
