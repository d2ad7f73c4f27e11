"""Claims C154-C165 (classical ML) in quick mode: the verdict must follow from the evidence."""

import pytest

import ember.experiments.ml  # noqa: F401  (registers the claims)
import ember.experiments.ml_supervised  # noqa: F401
from ember.experiments import REGISTRY


def _expected(cid, ev):
    if cid == "C154":
        return (
            ev["k-means++_mean_inertia"] < ev["random_mean_inertia"]
            and ev["k-means++_mean_iterations"] < ev["random_mean_iterations"]
        )
    if cid == "C155":
        return ev["k_best"] == ev["k_true"]
    if cid == "C156":
        return ev["ari_gmm"] > ev["ari_kmeans"] and ev["largest_loglik_drop"] <= 1e-10
    if cid == "C157":
        return ev["agreement_sigma_0.001"] == 1.0
    if cid == "C158":
        return min(ev["blobs_ari_average"], ev["blobs_ari_complete"]) > 0.9 and ev[
            "moons_ari_single"
        ] > max(ev["moons_ari_average"], ev["moons_ari_complete"])
    if cid == "C159":
        return (
            ev["acc_noise_dims_0"] - ev["acc_noise_dims_200"] > 0.1
            and ev["contrast_d2"] > ev["contrast_d10"] > ev["contrast_d100"] > ev["contrast_d1000"]
            and ev["acc_one_feature_x1000"] < ev["acc_unscaled"] - 0.1
            and ev["acc_after_standardizing"] > ev["acc_one_feature_x1000"] + 0.1
        )
    if cid == "C160":
        return (
            ev["max_offdiag_cov_relative"] < 1e-10
            and ev["top3_explained"] > 0.95
            and ev["variances_sorted"]
        )
    if cid == "C161":
        return (
            ev["margin_svm"] >= max(ev["margin_perceptron"], ev["margin_logistic"]) - 1e-6
            and ev["circles_acc_xy_r2"] >= 0.99
            and ev["circles_acc_xy"] < 0.8
        )
    if cid == "C165":
        return ev["product"] == 0.0 and abs(ev["sum_of_logs"] - ev["expected_sum_of_logs"]) < 1e-9
    raise KeyError(cid)


@pytest.mark.parametrize(
    "cid", ["C154", "C155", "C156", "C157", "C158", "C159", "C160", "C161", "C165"]
)
def test_binary_claims_consistent(cid):
    v = REGISTRY[cid].run(quick=True)
    assert v.figure is not None and v.summary
    assert v.status == ("holds" if _expected(cid, v.evidence) else "fails"), (cid, v.evidence)


def test_c162_forest_bagging_tree():
    v = REGISTRY["C162"].run(quick=True)
    ev = v.evidence
    ok = (
        ev["test_acc_forest"] >= ev["test_acc_bagging"] - 0.01
        and ev["test_acc_bagging"] > ev["test_acc_tree"]
    )
    assert v.status == (
        "holds" if ok else ("depends" if ev["test_acc_forest"] > ev["test_acc_tree"] else "fails")
    )
    assert v.status != "depends" or "condition" in ev


def test_c163_adaboost_error_and_weights():
    v = REGISTRY["C163"].run(quick=True)
    ev = v.evidence
    trend = (
        ev["final_error"] < ev["first_round_error"]
        and ev["bound_violations"] == 0
        and ev["spearman_alpha_vs_accuracy"] > 0.99
    )
    assert v.status == (
        "holds"
        if trend and ev["rounds_where_error_rose"] == 0
        else ("depends" if trend else "fails")
    )


def test_c164_learning_curves():
    v = REGISTRY["C164"].run(quick=True)
    ev = v.evidence
    small = ev["nb_acc_n10"] > ev["lr_acc_n10"]
    large = ev["lr_acc_n2000"] >= ev["nb_acc_n2000"] - 0.005
    assert v.status == ("holds" if small and large else ("depends" if small else "fails"))
