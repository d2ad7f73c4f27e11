"""WFST composition / shortest path vs exhaustive search; GMM-HMM isolated-word recogniser."""

import itertools

import numpy as np
import pytest

from ember.audio import mfcc
from ember.audio.recognizer import IsolatedWordRecognizer, left_to_right
from ember.audio.synth import VOWEL_FORMANTS, vowel
from ember.audio.wfst import EPS, WFST, compose, linear_acceptor, shortest_path


def _transducer(arcs, n_states, finals):
    T = WFST()
    for _ in range(n_states):
        T.add_state()
    for a in arcs:
        T.add_arc(*a)
    for f in finals:
        T.set_final(f)
    return T


def test_compose_and_shortest_path_against_enumeration():
    # A: accepts strings over {1, 2} of length 3 with per-position costs; B rewrites 1->5 (cost .5), 2->6 (0)
    cost = np.array([[0.1, 2.0], [1.5, 0.2], [0.3, 0.4]])
    A = linear_acceptor(cost)
    B = _transducer([(0, 1, 5, 0.5, 0), (0, 2, 6, 0.0, 0)], 1, [0])
    best, ins, outs = shortest_path(compose(A, B))
    brute = min(
        (sum(cost[t, s - 1] + (0.5 if s == 1 else 0.0) for t, s in enumerate(seq)), seq)
        for seq in itertools.product([1, 2], repeat=3)
    )
    assert abs(best - brute[0]) < 1e-12 and tuple(ins) == brute[1]
    assert outs == [{1: 5, 2: 6}[s] for s in ins]


def test_epsilon_output_arcs_and_unreachable_final():
    A = _transducer([(0, 1, EPS, 1.0, 1), (1, 2, 7, 1.0, 2)], 3, [2])
    B = _transducer([(0, 7, 9, 0.5, 1)], 2, [1])
    cost, ins, outs = shortest_path(compose(A, B))
    assert (cost, ins, outs) == (2.5, [1, 2], [9])
    assert shortest_path(_transducer([], 2, [1]))[0] == np.inf
    with pytest.raises(ValueError, match="negative arc weight"):
        shortest_path(_transducer([(0, 1, 1, -1.0, 1)], 2, [1]))


def test_left_to_right_topology():
    s, A = left_to_right(4, 0.7)
    assert s[0] == 1 and np.allclose(A.sum(1), 1) and np.allclose(np.tril(A, -1), 0)


@pytest.mark.parametrize("n_mix", [1, 2])
def test_recognizer_classifies_synthetic_vowels(n_mix):
    rng = np.random.default_rng(0)
    seqs, labels = [], []
    for v in "aiu":
        for _ in range(6):
            sig = vowel(
                VOWEL_FORMANTS[v], f0=rng.uniform(90, 200), duration=0.2, noise=0.05, rng=rng
            )
            seqs.append(mfcc(sig, winfunc="hamming"))
            labels.append(v)
    rec = IsolatedWordRecognizer(3, n_mix, n_iter=8, random_state=0).fit(seqs[::2], labels[::2])
    assert rec.score(seqs[1::2], labels[1::2]) >= 0.85
    assert rec.decision_function(seqs[:2]).shape == (2, 3)
