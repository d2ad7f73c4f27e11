"""CTC decoders: greedy (best path) and prefix beam search.

Both take per-frame log-probabilities (T, C) or (T, N, C) (Tensor or array) and map an alignment to
a labeling by collapsing repeats, then removing blanks ("a a - b" -> "a b"; "a - a" -> "a a").
Greedy decoding takes the arg-max label of every frame (the most probable *alignment*); prefix beam
search keeps the ``beam_width`` most probable *labelings* (prefixes), each with the probability summed
over all its alignments split into "ends in blank" p_b and "ends in a label" p_nb, so it can find a
labeling that no single best path spells out.
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["ctc_collapse", "ctc_greedy_decode", "ctc_prefix_beam_search"]


def _batch(log_probs: Any, input_lengths: Any) -> tuple:
    lp = log_probs.detach().numpy() if hasattr(log_probs, "detach") else np.asarray(log_probs)
    unbatched = lp.ndim == 2
    lp = lp[:, None, :] if unbatched else lp
    if lp.ndim != 3:
        raise ValueError(f"log_probs must be (T, C) or (T, N, C), got shape {lp.shape}")
    T, N, _ = lp.shape
    if input_lengths is None:
        lengths = np.full(N, T)
    else:
        arr = input_lengths.numpy() if hasattr(input_lengths, "numpy") else input_lengths
        lengths = np.atleast_1d(np.asarray(arr, dtype=np.int64))
    if lengths.size != N or lengths.max(initial=0) > T:
        raise ValueError(f"input_lengths must hold {N} values <= T={T}, got {lengths.tolist()}")
    return lp.astype(np.float64), lengths, unbatched


def ctc_collapse(path: Any, blank: int = 0) -> list:
    """Collapse repeated labels, then drop blanks: the CTC many-to-one map B(path)."""
    out, prev = [], None
    for k in (int(v) for v in path):
        if k != prev and k != blank:
            out.append(k)
        prev = k
    return out


def ctc_greedy_decode(log_probs: Any, input_lengths: Any = None, blank: int = 0) -> list:
    """Best-path decoding: B(argmax_k log_probs[t, k]) per sequence.

    Returns a list of label lists (one per batch element; a single list for (T, C) input).
    """
    lp, lengths, unbatched = _batch(log_probs, input_lengths)
    best = lp.argmax(-1)  # (T, N)
    out = [ctc_collapse(best[:lengths[n], n], blank) for n in range(lp.shape[1])]
    return out[0] if unbatched else out


def _logadd(a: float, b: float) -> float:
    return np.logaddexp(a, b)


def _beam_step(beams: dict, lp_t: np.ndarray, blank: int, labels: np.ndarray) -> dict:
    """One frame of prefix beam search over (p_b, p_nb) log-probabilities per prefix."""
    nxt: dict = {}

    def add(prefix: tuple, pb: float = -np.inf, pnb: float = -np.inf) -> None:
        ob, onb = nxt.get(prefix, (-np.inf, -np.inf))
        nxt[prefix] = (_logadd(ob, pb), _logadd(onb, pnb))

    for prefix, (pb, pnb) in beams.items():
        total = _logadd(pb, pnb)
        add(prefix, pb=total + lp_t[blank])
        for c in labels:
            c = int(c)
            if prefix and prefix[-1] == c:
                add(prefix + (c,), pnb=pb + lp_t[c])  # a repeat needs a blank in between
                add(prefix, pnb=pnb + lp_t[c])  # "a a" collapses onto the same prefix
            else:
                add(prefix + (c,), pnb=total + lp_t[c])
    return nxt


def ctc_prefix_beam_search(log_probs: Any, beam_width: int = 8, blank: int = 0, input_lengths: Any = None,
                           prune: float | None = None) -> tuple:
    """Prefix beam search (Hannun et al. 2014, without a language model).

    Args:
        log_probs: (T, C) or (T, N, C) log-probabilities.   beam_width: prefixes kept per frame.
        blank: blank index.   input_lengths: (N,) valid frames (default all T).
        prune: if set, only labels with log-prob >= prune at a frame are extended (speed).

    Returns:
        (labelings, log_probs): per batch element the best label list and its log-probability
        log sum over alignments (plain values for (T, C) input).
    """
    if beam_width < 1:
        raise ValueError(f"beam_width must be >= 1, got {beam_width}")
    lp, lengths, unbatched = _batch(log_probs, input_lengths)
    seqs, scores = [], []
    for n in range(lp.shape[1]):
        beams = {(): (0.0, -np.inf)}
        for t in range(lengths[n]):
            labels = np.array([k for k in range(lp.shape[2]) if k != blank
                               and (prune is None or lp[t, n, k] >= prune)])
            beams = _beam_step(beams, lp[t, n], blank, labels)
            ranked = sorted(beams.items(), key=lambda kv: -_logadd(*kv[1]))
            beams = dict(ranked[:beam_width])
        prefix, (pb, pnb) = max(beams.items(), key=lambda kv: _logadd(*kv[1]))
        seqs.append(list(prefix))
        scores.append(float(_logadd(pb, pnb)))
    return (seqs[0], scores[0]) if unbatched else (seqs, scores)
