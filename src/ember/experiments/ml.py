"""Claims C154-C160 (TOPICS.md 2.18, unsupervised part): K-Means(++), silhouette, GMM/EM,
hierarchical clustering, KNN and the curse of dimensionality, PCA. Supervised claims C161-C165 are
in ``ml_supervised``. Every number is computed by the run; ``quick`` shrinks repeats and sizes.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from scipy.special import logsumexp

from ember.experiments import Verdict, claim
from ember.ml.cluster import KMeans, dendrogram, fcluster, linkage
from ember.ml.datasets import make_anisotropic, make_blobs, make_moons
from ember.ml.decomposition import PCA
from ember.ml.metrics import adjusted_rand_score, silhouette_score
from ember.ml.mixture import GaussianMixture
from ember.ml.neighbors import KNeighborsClassifier
from ember.ml.preprocessing import StandardScaler


def _grid_centers(k: int, spacing: float = 10.0) -> np.ndarray:
    side = int(np.ceil(np.sqrt(k)))
    return np.array([[spacing * (i % side), spacing * (i // side)] for i in range(k)], dtype=float)


@claim(
    "C154",
    "K-Means++ initialization gives lower final inertia and fewer iterations than random "
    "initialization",
    topics="2.18",
)
def kmeanspp_vs_random(quick: bool) -> Verdict:
    X, _ = make_blobs(1000, 2, centers=_grid_centers(10), cluster_std=1.0, random_state=0)
    runs = 15 if quick else 50
    res = {}
    for init in ("k-means++", "random"):
        fits = [KMeans(10, init=init, n_init=1, random_state=s).fit(X) for s in range(runs)]
        res[init] = (np.array([f.inertia_ for f in fits]), np.array([f.n_iter_ for f in fits]))
    best = min(r[0].min() for r in res.values())
    ev = {
        f"{k}_{m}": float(f(res[k][i]))
        for k in res
        for i, m, f in ((0, "mean_inertia", np.mean), (1, "mean_iterations", np.mean))
    }
    ev.update({f"{k}_bad_local_optima": int(np.sum(res[k][0] > 1.1 * best)) for k in res})
    ev["restarts"] = runs
    holds = (
        ev["k-means++_mean_inertia"] < ev["random_mean_inertia"]
        and ev["k-means++_mean_iterations"] < ev["random_mean_iterations"]
    )
    fig = Figure(figsize=(5, 3))
    ax = fig.subplots()
    ax.hist([res["k-means++"][0], res["random"][0]], bins=15, label=["k-means++", "random"])
    ax.set_xlabel("final inertia")
    ax.legend()
    return Verdict(
        "holds" if holds else "fails",
        ev,
        fig,
        f"k-means++: mean inertia {ev['k-means++_mean_inertia']:.0f} in {ev['k-means++_mean_iterations']:.1f} "
        f"iterations vs random {ev['random_mean_inertia']:.0f} in {ev['random_mean_iterations']:.1f}.",
    )


@claim("C155", "The silhouette coefficient identifies the right number of clusters", topics="2.18")
def silhouette_choice(quick: bool) -> Verdict:
    X, _ = make_blobs(
        400 if quick else 1000, 2, centers=[[0, 0], [8, 0], [0, 8], [8, 8]], random_state=1
    )
    ks = list(range(2, 9))
    scores = [silhouette_score(X, KMeans(k, n_init=3, random_state=0).fit_predict(X)) for k in ks]
    best = ks[int(np.argmax(scores))]
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.plot(ks, scores, "o-")
    ax.set_xlabel("K")
    ax.set_ylabel("mean silhouette")
    ev = {"k_true": 4, "k_best": best, **{f"silhouette_k{k}": float(s) for k, s in zip(ks, scores)}}
    return Verdict(
        "holds" if best == 4 else "fails", ev, fig, f"Silhouette peaks at K = {best} (truth 4)."
    )


@claim(
    "C156",
    "GMM soft clustering handles elongated/overlapping clusters better than K-Means; EM never "
    "decreases the log-likelihood",
    topics="2.18",
)
def gmm_vs_kmeans(quick: bool) -> Verdict:
    ari_g, ari_k, drops = [], [], []
    for seed in range(3):
        X, y = make_anisotropic(450 if quick else 900, random_state=seed)
        gm = GaussianMixture(3, n_init=2, tol=1e-8, max_iter=300, random_state=seed).fit(X)
        ari_g.append(adjusted_rand_score(y, gm.predict(X)))
        ari_k.append(adjusted_rand_score(y, KMeans(3, n_init=5, random_state=seed).fit_predict(X)))
        drops.append(float(np.min(np.diff(gm.lower_bounds_))) if len(gm.lower_bounds_) > 1 else 0.0)
        if seed == 0:
            history = gm.lower_bounds_
    ev = {
        "ari_gmm": float(np.mean(ari_g)),
        "ari_kmeans": float(np.mean(ari_k)),
        "largest_loglik_drop": float(max(0.0, -min(drops))),
    }
    fig = Figure(figsize=(5, 3))
    ax = fig.subplots()
    ax.plot(history)
    ax.set_xlabel("EM iteration")
    ax.set_ylabel("mean log-likelihood")
    holds = ev["ari_gmm"] > ev["ari_kmeans"] and ev["largest_loglik_drop"] <= 1e-10
    return Verdict(
        "holds" if holds else "fails",
        ev,
        fig,
        f"ARI GMM {ev['ari_gmm']:.2f} vs K-Means {ev['ari_kmeans']:.2f}; log-likelihood never dropped "
        f"by more than {ev['largest_loglik_drop']:.1e}.",
    )


def _soft_kmeans(X, centers, sigma, iters=100):
    """EM for a mixture with equal weights and shared covariance sigma^2 I (only means learned)."""
    for _ in range(iters):
        logits = -((X[:, None] - centers[None]) ** 2).sum(-1) / (2 * sigma**2)
        r = np.exp(logits - logsumexp(logits, axis=1, keepdims=True))
        centers = (r.T @ X) / np.maximum(r.sum(0)[:, None], 1e-300)
    return np.argmax(r, axis=1)


@claim("C157", "K-Means is a hard-assignment special case of EM", topics="2.18")
def kmeans_is_hard_em(quick: bool) -> Verdict:
    X, _ = make_blobs(300 if quick else 800, 2, centers=4, cluster_std=2.5, random_state=3)
    init = X[np.random.default_rng(0).choice(len(X), 4, replace=False)]
    km = KMeans(4, init=init, n_init=1, tol=0).fit(X)
    sigmas = [4.0, 2.0, 1.0, 0.3, 0.05, 0.001]
    agree = [
        float(np.mean(_soft_kmeans(X, init.copy(), s, 60 if quick else 200) == km.labels_))
        for s in sigmas
    ]
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.semilogx(sigmas, agree, "o-")
    ax.set_xlabel("shared sigma")
    ax.set_ylabel("agreement with K-Means")
    ev = {f"agreement_sigma_{s}": a for s, a in zip(sigmas, agree)}
    return Verdict(
        "holds" if agree[-1] == 1.0 else "fails",
        ev,
        fig,
        f"Agreement with K-Means grows to {100 * agree[-1]:.2f}% as sigma -> {sigmas[-1]} "
        f"({100 * agree[0]:.1f}% at sigma = {sigmas[0]}).",
    )


@claim("C158", "Hierarchical clustering recovers nested cluster structure", topics="2.18")
def hierarchical(quick: bool) -> Verdict:
    Xb, yb = make_blobs(200 if quick else 500, 2, centers=_grid_centers(4, 12), random_state=4)
    Xm, ym = make_moons(200 if quick else 500, noise=0.05, random_state=4)
    ev = {}
    for method in ("single", "complete", "average", "ward"):
        ev[f"blobs_ari_{method}"] = adjusted_rand_score(yb, fcluster(linkage(Xb, method), 4))
        ev[f"moons_ari_{method}"] = adjusted_rand_score(ym, fcluster(linkage(Xm, method), 2))
    fig = Figure(figsize=(8, 3))
    a1, a2 = fig.subplots(1, 2)
    dendrogram(linkage(Xb[:30], "average"), ax=a1)
    a1.set_title("average linkage, 30 blob points")
    a2.scatter(*Xm.T, c=fcluster(linkage(Xm, "single"), 2), s=5)
    a2.set_title("single linkage on MOONS")
    holds = min(ev["blobs_ari_average"], ev["blobs_ari_complete"]) > 0.9 and ev[
        "moons_ari_single"
    ] > max(ev["moons_ari_average"], ev["moons_ari_complete"])
    return Verdict(
        "holds" if holds else "fails",
        ev,
        fig,
        f"Blobs: ARI average {ev['blobs_ari_average']:.2f}, complete {ev['blobs_ari_complete']:.2f}; "
        f"moons: single {ev['moons_ari_single']:.2f} vs average {ev['moons_ari_average']:.2f}.",
    )


@claim(
    "C159",
    "KNN suffers from the curse of dimensionality and is sensitive to feature scaling",
    topics="2.18",
)
def knn_curse(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    n = 400 if quick else 1000
    dims = [0, 10, 50, 200] if quick else [0, 5, 10, 25, 50, 100, 200]
    accs = []
    base, y = make_moons(2 * n, noise=0.2, random_state=0)
    for extra in dims:
        X = np.hstack([base, rng.normal(size=(2 * n, extra))])
        accs.append(KNeighborsClassifier(5).fit(X[:n], y[:n]).score(X[n:], y[n:]))
    ds = [2, 10, 100, 1000]
    ratio = []
    for d in ds:
        P = rng.uniform(size=(500, d))
        dist = np.sqrt(((P[1:] - P[0]) ** 2).sum(1))
        ratio.append(float((dist.max() - dist.min()) / dist.min()))
    X = np.hstack([base, rng.normal(size=(2 * n, 2))])
    Xs = X.copy()
    Xs[:, 2] *= 1000.0
    raw = KNeighborsClassifier(5).fit(X[:n], y[:n]).score(X[n:], y[n:])
    scaled = KNeighborsClassifier(5).fit(Xs[:n], y[:n]).score(Xs[n:], y[n:])
    sc = StandardScaler().fit(Xs[:n])
    restored = (
        KNeighborsClassifier(5).fit(sc.transform(Xs[:n]), y[:n]).score(sc.transform(Xs[n:]), y[n:])
    )
    ev = {
        **{f"acc_noise_dims_{d}": a for d, a in zip(dims, accs)},
        **{f"contrast_d{d}": r for d, r in zip(ds, ratio)},
        "acc_unscaled": raw,
        "acc_one_feature_x1000": scaled,
        "acc_after_standardizing": restored,
    }
    fig = Figure(figsize=(8, 3))
    a1, a2 = fig.subplots(1, 2)
    a1.plot(dims, accs, "o-")
    a1.set_xlabel("noise dimensions")
    a1.set_ylabel("KNN accuracy")
    a2.loglog(ds, ratio, "o-")
    a2.set_xlabel("d")
    a2.set_ylabel("(max - min) / min distance")
    holds = (
        accs[0] - accs[-1] > 0.1
        and all(np.diff(ratio) < 0)
        and scaled < raw - 0.1
        and restored > scaled + 0.1
    )
    return Verdict(
        "holds" if holds else "fails",
        ev,
        fig,
        f"Accuracy {accs[0]:.2f} -> {accs[-1]:.2f} with {dims[-1]} noise dims; distance contrast "
        f"{ratio[0]:.1f} -> {ratio[-1]:.2f}; one feature x1000: {scaled:.2f}, standardized {restored:.2f}.",
    )


@claim(
    "C160",
    "PCA yields uncorrelated components ordered by variance and reduces dimension with little loss",
    topics="2.18",
)
def pca_claim(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    n = 500 if quick else 2000
    Z = rng.normal(size=(n, 3)) * [5.0, 3.0, 2.0]
    X = Z @ rng.normal(size=(3, 20)) + 0.1 * rng.normal(size=(n, 20))
    p = PCA().fit(X)
    proj = p.transform(X)
    C = np.cov(proj.T)
    off = float(np.abs(C - np.diag(np.diag(C))).max() / np.diag(C).max())
    p3 = PCA(3).fit(X)
    rec = float(
        np.sum((p3.inverse_transform(p3.transform(X)) - X) ** 2) / np.sum((X - X.mean(0)) ** 2)
    )
    ev = {
        "max_offdiag_cov_relative": off,
        "top3_explained": float(p.explained_variance_ratio_[:3].sum()),
        "variances_sorted": bool(np.all(np.diff(p.explained_variance_) <= 0)),
        "relative_reconstruction_error_k3": rec,
    }
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.bar(range(1, 21), p.explained_variance_ratio_)
    ax.set_xlabel("component")
    ax.set_ylabel("explained variance ratio")
    holds = off < 1e-10 and ev["top3_explained"] > 0.95 and ev["variances_sorted"]
    return Verdict(
        "holds" if holds else "fails",
        ev,
        fig,
        f"Projected covariance off-diagonal {off:.1e}; top 3 components explain "
        f"{100 * ev['top3_explained']:.1f}% (reconstruction error {100 * rec:.2f}%).",
    )
