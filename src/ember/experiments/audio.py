"""Claims C166-C170 and C172 (TOPICS.md 2.19): Viterbi, Baum-Welch, GMM-HMM vs single-Gaussian HMM,
MFCC separability, LPC, WFST decoding. C171 (CTC) and C173 (DNN-HMM hybrid) need the neural
sequence stack and live with the sequence experiments."""

from __future__ import annotations

import itertools

import numpy as np
from matplotlib.figure import Figure

from ember.audio import mfcc
from ember.audio.lpc import lpc, lpc_residual
from ember.audio.recognizer import IsolatedWordRecognizer
from ember.audio.synth import VOWEL_FORMANTS, ar_process, vowel
from ember.audio.wfst import EPS, WFST, compose, linear_acceptor, shortest_path
from ember.experiments import Verdict, claim
from ember.ml.hmm import CategoricalHMM, viterbi_log


@claim("C166", "Viterbi returns the most likely HMM state path", topics="2.19")
def viterbi_brute_force(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    trials, mismatches, max_err = (5 if quick else 30), 0, 0.0
    for t in range(trials):
        N, T = 3 + t % 2, 8
        s, A, B = (
            rng.dirichlet(np.ones(N)),
            rng.dirichlet(np.ones(N), N),
            rng.dirichlet(np.ones(5), N),
        )
        lf = np.log(B[:, rng.integers(0, 5, T)].T)
        paths = np.array(list(itertools.product(range(N), repeat=T)))  # (N^T, T)
        scores = (
            np.log(s)[paths[:, 0]]
            + lf[np.arange(T), paths].sum(1)
            + np.log(A)[paths[:, :-1], paths[:, 1:]].sum(1)
        )
        lp, path = viterbi_log(np.log(s), np.log(A), lf)
        mismatches += int(not np.array_equal(path, paths[np.argmax(scores)]))
        max_err = max(max_err, abs(lp - scores.max()))
    ev = {"trials": trials, "path_mismatches": mismatches, "max_score_error": float(max_err)}
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.bar(["mismatched paths", "max |score err| x1e12"], [mismatches, max_err * 1e12])
    holds = mismatches == 0 and max_err < 1e-10
    return Verdict(
        "holds" if holds else "fails",
        ev,
        fig,
        f"Viterbi equals brute-force enumeration in all {trials} HMMs (max score error {max_err:.1e}).",
    )


def _perm_error(est, true):
    """Smallest max-abs error over state permutations of (transmat, emissionprob)."""
    best = np.inf
    for p in itertools.permutations(range(len(true[0]))):
        p = list(p)
        err = max(np.abs(est[0][np.ix_(p, p)] - true[0]).max(), np.abs(est[1][p] - true[1]).max())
        best = min(best, err)
    return float(best)


@claim(
    "C167", "Baum-Welch never decreases the likelihood and recovers HMM parameters", topics="2.19"
)
def baum_welch(quick: bool) -> Verdict:
    true = CategoricalHMM(3, n_features=4)
    true.startprob_ = np.array([0.5, 0.3, 0.2])
    true.transmat_ = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.15, 0.05, 0.8]])
    true.emissionprob_ = np.array(
        [[0.7, 0.1, 0.1, 0.1], [0.1, 0.7, 0.1, 0.1], [0.05, 0.05, 0.2, 0.7]]
    )
    n_seq, T = (15, 200) if quick else (50, 400)
    seqs = [true.sample(T, random_state=i)[0] for i in range(n_seq)]
    X, lengths = np.vstack(seqs), [T] * n_seq
    fits = [
        CategoricalHMM(
            3, n_features=4, n_iter=40 if quick else 200, tol=-np.inf, random_state=s
        ).fit(X, lengths)
        for s in range(3)
    ]
    best = max(fits, key=lambda m: m.monitor_history_[-1])
    drops = min(float(np.min(np.diff(m.monitor_history_))) for m in fits)
    err = _perm_error((best.transmat_, best.emissionprob_), (true.transmat_, true.emissionprob_))
    ev = {
        "largest_loglik_drop": max(0.0, -drops),
        "max_param_error": err,
        "true_loglik": true.score(X, lengths),
        "fitted_loglik": best.score(X, lengths),
    }
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    for m in fits:
        ax.plot(m.monitor_history_)
    ax.set_xlabel("Baum-Welch iteration")
    ax.set_ylabel("log P(O)")
    holds = ev["largest_loglik_drop"] <= 1e-8 and err < 0.1
    return Verdict(
        "holds" if holds else "fails",
        ev,
        fig,
        f"Log-likelihood never decreased beyond round-off (largest drop {ev['largest_loglik_drop']:.1e}); parameters "
        f"recovered to {err:.3f} (max abs, up to state permutation).",
    )


def _word_sequences(word, rng, n, T=30):
    """State k emits from a 2-component mixture at +-c_k along a word-specific diagonal: equal means
    and equal per-axis variances for both words, so only a mixture model can tell them apart."""
    centers = np.array([[3.0, 3.0], [3.0, -3.0]])[word]
    offsets = np.array([[0.0, 0.0], [8.0, 0.0], [0.0, 8.0]])
    out = []
    for _ in range(n):
        states = np.sort(rng.integers(0, 3, T))
        sign = rng.choice([-1.0, 1.0], T)[:, None]
        out.append(offsets[states] + sign * centers + 0.6 * rng.standard_normal((T, 2)))
    return out


@claim(
    "C168",
    "GMM-HMM models recognize sequences better than single-Gaussian HMMs when emissions are "
    "multimodal",
    topics="2.19",
)
def gmm_hmm_vs_gaussian(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    n = 10 if quick else 40
    train = [_word_sequences(w, rng, n) for w in (0, 1)]
    test = [_word_sequences(w, rng, n) for w in (0, 1)]
    Xtr, ytr = train[0] + train[1], [0] * n + [1] * n
    Xte, yte = test[0] + test[1], [0] * n + [1] * n
    acc = {}
    for name, mix in (("single_gaussian_hmm", 1), ("gmm_hmm", 2)):
        rec = IsolatedWordRecognizer(3, mix, n_iter=15, random_state=0).fit(Xtr, ytr)
        acc[name] = rec.score(Xte, yte)
    ev = {f"acc_{k}": float(v) for k, v in acc.items()}
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.bar(list(acc), list(acc.values()))
    ax.set_ylabel("test accuracy")
    holds = acc["gmm_hmm"] > acc["single_gaussian_hmm"] + 0.1
    return Verdict(
        "holds" if holds else "fails",
        ev,
        fig,
        f"Accuracy: GMM-HMM {acc['gmm_hmm']:.2f} vs single-Gaussian HMM {acc['single_gaussian_hmm']:.2f}.",
    )


@claim("C169", "MFCCs separate spectrally different sounds", topics="2.19")
def mfcc_vowels(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    per = 8 if quick else 30
    feats, labels, shape = [], [], None
    for v, formants in VOWEL_FORMANTS.items():
        for _ in range(per):
            sig = vowel(formants, f0=rng.uniform(80, 250), duration=0.3, noise=0.05, rng=rng)
            m = mfcc(sig, winfunc="hamming")
            shape = m.shape
            feats.append(m[:, 1:].mean(0))  # c0 (energy) carries loudness only
            labels.append(v)
    F, y = np.array(feats), np.array(labels)
    train = np.arange(len(y)) % 2 == 0
    cents = {v: F[train & (y == v)].mean(0) for v in VOWEL_FORMANTS}
    pred = np.array([min(cents, key=lambda v: np.sum((f - cents[v]) ** 2)) for f in F[~train]])
    acc = float(np.mean(pred == y[~train]))
    ev = {"nearest_centroid_accuracy": acc, "mfcc_frames": shape[0], "mfcc_coefficients": shape[1]}
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    for v in VOWEL_FORMANTS:
        ax.scatter(F[y == v, 0], F[y == v, 1], s=8, label=v)
    ax.set_xlabel("mean c1")
    ax.set_ylabel("mean c2")
    ax.legend(fontsize=6)
    holds = acc > 0.9 and shape[1] == 13
    return Verdict(
        "holds" if holds else "fails",
        ev,
        fig,
        f"Nearest-centroid accuracy on mean MFCCs of 5 synthetic vowels: {acc:.2f}; MFCC shape {shape}.",
    )


@claim("C170", "LPC recovers the coefficients of an autoregressive process", topics="2.19")
def lpc_ar(quick: bool) -> Verdict:
    coeffs = np.array([0.75, -0.5, 0.25, -0.1])
    sigma = 0.5
    errs, ratios = [], []
    for seed in range(3):
        x = ar_process(coeffs, 20000 if quick else 100000, sigma=sigma, rng=seed)
        a, err = lpc(x, 4)
        errs.append(float(np.abs(a - coeffs).max()))
        ratios.append(float(np.var(lpc_residual(x, a)) / sigma**2))
    ev = {
        "max_coefficient_error": max(errs),
        "residual_var_over_innovation_var": float(np.mean(ratios)),
    }
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.bar(np.arange(4) - 0.2, coeffs, 0.4, label="true")
    ax.bar(np.arange(4) + 0.2, a, 0.4, label="LPC")
    ax.legend()
    holds = max(errs) < 0.05 and abs(ev["residual_var_over_innovation_var"] - 1) < 0.05
    return Verdict(
        "holds" if holds else "fails",
        ev,
        fig,
        f"LPC(4) coefficients within {max(errs):.3f} of the truth; residual variance "
        f"{ev['residual_var_over_innovation_var']:.3f} x the innovation variance.",
    )


PHONES = {"a": 1, "b": 2, "c": 3, "d": 4}
WORDS = {1: "ab", 2: "cd", 3: "ad"}  # no word-internal or cross-word repeated phones


def _lexicon() -> WFST:
    """L: phones -> words; the word is emitted on its first phone, each phone may repeat (self loop)."""
    L = WFST()
    start = L.add_state()
    L.set_final(start)
    for wid, phones in WORDS.items():
        prev = start
        for i, ph in enumerate(phones):
            q = L.add_state()
            L.add_arc(prev, PHONES[ph], wid if i == 0 else EPS, 0.0, q)
            L.add_arc(q, PHONES[ph], EPS, 0.0, q)
            prev = q
        L.add_arc(prev, EPS, EPS, 0.0, start)
    return L


def _grammar(bigram) -> WFST:
    """G: word bigram acceptor; state = previous word (0 = sentence start), costs -log P(w | prev)."""
    G = WFST()
    for _ in range(len(WORDS) + 1):
        G.add_state()
    for prev in range(len(WORDS) + 1):
        G.set_final(prev)
        for w in WORDS:
            G.add_arc(prev, w, w, -np.log(bigram[prev, w - 1]), w)
    return G


def _exhaustive(cost, bigram):
    """Min over all frame labelings: collapse repeats, parse into words, add the bigram cost."""
    best = (np.inf, None)
    inv = {v: k for k, v in PHONES.items()}
    lex = {p: w for w, p in WORDS.items()}
    for lab in itertools.product(range(4), repeat=len(cost)):
        s = "".join(inv[l + 1] for i, l in enumerate(lab) if i == 0 or lab[i - 1] != l)
        if len(s) % 2 or any(s[i : i + 2] not in lex for i in range(0, len(s), 2)):
            continue
        words = [lex[s[i : i + 2]] for i in range(0, len(s), 2)]
        c = cost[np.arange(len(cost)), lab].sum() + sum(
            -np.log(bigram[p, w - 1]) for p, w in zip([0] + words, words)
        )
        if c < best[0]:
            best = (float(c), words)
    return best


@claim("C172", "WFST composition + shortest path decodes a toy lexicon/grammar", topics="2.19")
def wfst_decode(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    bigram = np.array([[0.5, 0.3, 0.2], [0.2, 0.6, 0.2], [0.6, 0.2, 0.2], [0.3, 0.3, 0.4]])
    trials, correct, agree = (2 if quick else 5), 0, 0
    for _ in range(trials):
        truth = [int(w) for w in rng.integers(1, 4, 2)]
        frames = [PHONES[p] - 1 for w in truth for p in WORDS[w] for _ in range(rng.integers(1, 3))]
        # noisy but informative posteriors: the acoustic margin per frame (~ln 8) exceeds the bigram's
        # largest cost difference (ln 3), so the MAP word sequence is the spoken one
        post = np.full((len(frames), 4), 0.02) + rng.uniform(0, 0.08, (len(frames), 4))
        post[np.arange(len(frames)), frames] += 0.8
        cost = -np.log(post / post.sum(1, keepdims=True))
        graph = compose(compose(linear_acceptor(cost), _lexicon()), _grammar(bigram))
        c, _, words = shortest_path(graph)
        bc, bwords = _exhaustive(cost, bigram)
        correct += int(words == truth)
        agree += int(words == bwords and abs(c - bc) < 1e-9)
    ev = {"trials": trials, "decoded_correct": correct, "matches_exhaustive_search": agree}
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.imshow(cost.T, aspect="auto")
    ax.set_xlabel("frame")
    ax.set_ylabel("phone (cost)")
    holds = agree == trials and correct == trials
    return Verdict(
        "holds" if holds else "fails",
        ev,
        fig,
        f"Shortest path through lattice o L o G matched exhaustive search in {agree}/{trials} utterances "
        f"and decoded {correct}/{trials} correctly.",
    )
