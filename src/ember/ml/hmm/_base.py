"""Shared HMM machinery: sequence splitting, E step, Baum-Welch loop, decoding, sampling."""

from __future__ import annotations

import numpy as np

from .._base import BaseEstimator, check_is_fitted, check_positive_int, check_random_state
from ._algorithms import (
    backward_log,
    forward_log,
    posteriors_log,
    safe_log,
    viterbi_log,
    xi_sum_log,
)

__all__ = ["BaseHMM", "split_lengths"]


def split_lengths(X, lengths):
    """Yield the sub-sequences of X given ``lengths`` (None = one sequence)."""
    if lengths is None:
        yield X
        return
    lengths = np.asarray(lengths, dtype=int)
    if lengths.sum() != len(X) or (lengths <= 0).any():
        raise ValueError(
            f"lengths must be positive and sum to n_samples={len(X)}, got sum {lengths.sum()}"
        )
    for s, e in zip(np.cumsum(lengths) - lengths, np.cumsum(lengths)):
        yield X[s:e]


class BaseHMM(BaseEstimator):
    """Baum-Welch (EM) for an HMM with pluggable emissions.

    Parameter letters (hmmlearn's): "s" start probabilities, "t" transitions, plus the emission
    letters of the subclass. ``params`` are updated by ``fit``; ``init_params`` are (re)initialised
    at the start of ``fit`` (use "" to keep parameters you set). Each iteration runs one E step
    (forward-backward over every sequence) and one M step; ``monitor_history_`` records log P(O)
    before each M step, which Baum-Welch never decreases (claim C167).

    Subclasses supply ``_check_input``, ``_log_frame`` (log b_t(j), shape (T, N)),
    ``_init_emissions``, ``_init_stats``, ``_accumulate``, ``_emission_mstep`` and
    ``_sample_emissions``.
    """

    # -- E step ---------------------------------------------------------------------------------
    def _logs(self):
        return safe_log(self.startprob_), safe_log(self.transmat_)

    def _estep(self, X, lengths):
        log_start, log_trans = self._logs()
        stats = {"start": np.zeros(self.n_components), "trans": np.zeros((self.n_components,) * 2)}
        self._init_stats(stats)
        total = 0.0
        seqs = list(split_lengths(X, lengths))
        by_len: dict[int, list] = {}
        for seq in seqs:
            by_len.setdefault(len(seq), []).append(seq)
        for group in by_len.values():  # equal-length sequences run as one batch (B, T, N)
            lf = np.stack([self._log_frame(seq) for seq in group])
            lp, alpha = forward_log(log_start, log_trans, lf)
            beta = backward_log(log_trans, lf)
            gamma = posteriors_log(alpha, beta)
            stats["start"] += gamma[:, 0].sum(0)
            stats["trans"] += xi_sum_log(alpha, beta, log_trans, lf, lp)
            self._accumulate(stats, np.concatenate(group), gamma.reshape(-1, gamma.shape[-1]))
            total += float(np.sum(lp))
        return stats, total

    def _mstep(self, stats):
        if "s" in self.params:
            s = np.maximum(self.startprob_prior - 1 + stats["start"], 0)
            s = np.where(self.startprob_ == 0, 0, s)
            self.startprob_ = s / s.sum()
        if "t" in self.params:
            t = np.maximum(self.transmat_prior - 1 + stats["trans"], 0)
            t = np.where(self.transmat_ == 0, 0, t)
            rows = t.sum(1, keepdims=True)
            self.transmat_ = np.where(rows > 0, t / np.where(rows > 0, rows, 1), self.transmat_)

    # -- estimator API --------------------------------------------------------------------------
    def fit(self, X, lengths=None):
        """Baum-Welch: up to ``n_iter`` EM iterations, stop when log P(O) gains < ``tol``."""
        X = self._check_input(X, fitting=True)
        check_positive_int(self.n_iter, "n_iter")
        rng = check_random_state(self.random_state)
        n = check_positive_int(self.n_components, "n_components")
        if "s" in self.init_params or not hasattr(self, "startprob_"):
            self.startprob_ = np.full(n, 1.0 / n)
        if "t" in self.init_params or not hasattr(self, "transmat_"):
            self.transmat_ = np.full((n, n), 1.0 / n)
        self._init_emissions(X, lengths, rng)
        self.monitor_history_ = []
        self.converged_ = False
        for _ in range(self.n_iter):
            stats, lp = self._estep(X, lengths)
            self._mstep(stats)
            self._emission_mstep(stats)
            self.monitor_history_.append(lp)
            if len(self.monitor_history_) >= 2 and lp - self.monitor_history_[-2] < self.tol:
                self.converged_ = True
                break
        return self

    def _check_fitted_input(self, X):
        check_is_fitted(self, "transmat_")
        return self._check_input(X, fitting=False)

    def score(self, X, lengths=None) -> float:
        """log P(O) summed over sequences (forward algorithm)."""
        X = self._check_fitted_input(X)
        log_start, log_trans = self._logs()
        return float(
            sum(
                forward_log(log_start, log_trans, self._log_frame(s))[0]
                for s in split_lengths(X, lengths)
            )
        )

    def score_samples(self, X, lengths=None):
        """(log P(O), state posteriors gamma (n, N))."""
        X = self._check_fitted_input(X)
        log_start, log_trans = self._logs()
        total, post = 0.0, []
        for seq in split_lengths(X, lengths):
            lf = self._log_frame(seq)
            lp, alpha = forward_log(log_start, log_trans, lf)
            post.append(posteriors_log(alpha, backward_log(log_trans, lf)))
            total += lp
        return total, np.vstack(post)

    def predict_proba(self, X, lengths=None):
        return self.score_samples(X, lengths)[1]

    def decode(self, X, lengths=None, algorithm="viterbi"):
        """(log-probability, state sequence): "viterbi" = best joint path, "map" = argmax gamma_t."""
        X = self._check_fitted_input(X)
        if algorithm == "map":
            lp, post = self.score_samples(X, lengths)
            return lp, np.argmax(post, axis=1)
        if algorithm != "viterbi":
            raise ValueError(f"algorithm must be 'viterbi' or 'map', got {algorithm!r}")
        log_start, log_trans = self._logs()
        total, paths = 0.0, []
        for seq in split_lengths(X, lengths):
            lp, path = viterbi_log(log_start, log_trans, self._log_frame(seq))
            total += lp
            paths.append(path)
        return total, np.concatenate(paths)

    def predict(self, X, lengths=None):
        """Viterbi state sequence, shape (n,)."""
        return self.decode(X, lengths)[1]

    def sample(self, n_samples=1, random_state=None):
        """Draw (observations, states) of length ``n_samples``."""
        check_is_fitted(self, "transmat_")
        rng = check_random_state(random_state if random_state is not None else self.random_state)
        n = check_positive_int(n_samples, "n_samples")
        states = np.empty(n, dtype=np.intp)
        states[0] = rng.choice(self.n_components, p=self.startprob_)
        for t in range(1, n):
            states[t] = rng.choice(self.n_components, p=self.transmat_[states[t - 1]])
        return self._sample_emissions(states, rng), states
