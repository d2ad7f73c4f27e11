"""Isolated-word recognition with one GMM-HMM per word (TOPICS.md 1.23-1.24; claim C168).

Training: for each word, Baum-Welch on that word's feature sequences (e.g. MFCC frames) with a
left-to-right topology (each state loops or moves to the next). Recognition: the word whose model
gives the highest log-likelihood log P(O | word) (forward algorithm), i.e. argmax_w P(O|w) P(w)
with a uniform prior.
"""

from __future__ import annotations

import numpy as np

from ..ml._base import BaseEstimator, ClassifierMixin, check_is_fitted, check_random_state
from ..ml.hmm import GMMHMM, GaussianHMM

__all__ = ["IsolatedWordRecognizer", "left_to_right"]


def left_to_right(n_states: int, self_loop: float = 0.6):
    """(startprob, transmat) of a left-to-right (Bakis) chain; the last state is absorbing."""
    start = np.zeros(n_states)
    start[0] = 1.0
    trans = np.eye(n_states) * self_loop + np.eye(n_states, k=1) * (1 - self_loop)
    trans[-1, -1] = 1.0
    return start, trans


class IsolatedWordRecognizer(ClassifierMixin, BaseEstimator):
    """One HMM per class; ``fit(sequences, labels)`` / ``predict(sequences)``.

    Args:
        n_states: HMM states per word. Default: 3.   n_mix: Gaussians per state (1 = GaussianHMM
        with diagonal covariance). Default: 2.   n_iter: Baum-Welch iterations. Default: 20.
        topology: "left-to-right" or "ergodic".   random_state: seed.

    Shape: each sequence is an array (T_i, d) of frames; lengths may differ.
    """

    def __init__(
        self, n_states=3, n_mix=2, *, n_iter=20, topology="left-to-right", random_state=None
    ):
        self.n_states = n_states
        self.n_mix = n_mix
        self.n_iter = n_iter
        self.topology = topology
        self.random_state = random_state

    def _model(self, rng):
        seed = int(rng.integers(2**31 - 1))
        keep = "" if self.topology == "left-to-right" else "st"
        if self.n_mix == 1:
            m = GaussianHMM(
                self.n_states,
                n_iter=self.n_iter,
                tol=1e-4,
                random_state=seed,
                init_params="mc" + keep,
            )
        else:
            m = GMMHMM(
                self.n_states,
                self.n_mix,
                n_iter=self.n_iter,
                tol=1e-4,
                random_state=seed,
                init_params="mcw" + keep,
            )
        if self.topology == "left-to-right":
            m.startprob_, m.transmat_ = left_to_right(self.n_states)
        elif self.topology != "ergodic":
            raise ValueError(
                f"topology must be 'left-to-right' or 'ergodic', got {self.topology!r}"
            )
        return m

    def fit(self, sequences, y):
        y = np.asarray(y)
        if len(sequences) != len(y):
            raise ValueError(f"got {len(sequences)} sequences but {len(y)} labels")
        rng = check_random_state(self.random_state)
        self.classes_ = np.unique(y)
        self.models_ = []
        for c in self.classes_:
            seqs = [np.asarray(s, dtype=np.float64) for s, lab in zip(sequences, y) if lab == c]
            m = self._model(rng)
            m.fit(np.vstack(seqs), [len(s) for s in seqs])
            self.models_.append(m)
        return self

    def decision_function(self, sequences):
        """log P(O | word) for every sequence and word, shape (n, K)."""
        check_is_fitted(self, "models_")
        return np.array(
            [[m.score(np.asarray(s, dtype=np.float64)) for m in self.models_] for s in sequences]
        )

    def predict(self, sequences):
        return self.classes_[np.argmax(self.decision_function(sequences), axis=1)]
