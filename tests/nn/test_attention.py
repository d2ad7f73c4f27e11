"""Seq2seq attention modules (Bahdanau, Luong, variants) and positional encodings vs their formulas."""
from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.nn as nn
from tolerances import TOL, assert_close

RNG = np.random.default_rng(0)
Q, K = RNG.standard_normal((2, 4)), RNG.standard_normal((2, 6, 5))
MASK = np.ones((2, 6), bool)
MASK[1, 4:] = False


def _softmax(s, mask):
    s = np.where(mask, s, -np.inf)
    e = np.exp(s - s.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _w(lin):
    return lin.weight.detach().numpy().astype(np.float64)


def _run(m):
    m = m.double()
    c, w = m(ember.tensor(Q), ember.tensor(K), mask=ember.tensor(MASK))
    return m, c.detach().numpy(), w.detach().numpy()


def test_bahdanau_matches_formula():
    m, c, w = _run(nn.BahdanauAttention(4, 5, 3))
    e = np.tanh((Q @ _w(m.query_proj).T)[:, None] + K @ _w(m.key_proj).T + m.key_proj.bias.detach().numpy())
    ref = _softmax((e @ _w(m.v).T)[..., 0], MASK)
    assert_close(w, ref, **TOL["float64"])
    assert_close(c, np.einsum("bs,bsd->bd", ref, K), **TOL["float64"])
    assert np.all(w[1, 4:] == 0)


@pytest.mark.parametrize("score", ["dot", "general", "concat"])
def test_luong_scores_match_formula(score):
    keys = K[..., :4] if score == "dot" else K
    m = nn.LuongAttention(4, keys.shape[-1], score=score).double()
    c, w = m(ember.tensor(Q), ember.tensor(keys), mask=ember.tensor(MASK))
    if score == "dot":
        s = np.einsum("bd,bsd->bs", Q, keys)
    elif score == "general":
        s = np.einsum("bd,bsd->bs", Q, keys @ _w(m.W).T)
    else:
        cat = np.concatenate([np.repeat(Q[:, None], 6, 1), keys], -1)
        s = (np.tanh(cat @ _w(m.W).T + m.W.bias.detach().numpy()) @ _w(m.v).T)[..., 0]
    assert_close(w, _softmax(s, MASK), **TOL["float64"])
    assert_close(c, np.einsum("bs,bsd->bd", _softmax(s, MASK), keys), **TOL["float64"])


def test_hard_attention_one_hot_with_straight_through_gradient():
    m = nn.LuongAttention(4, 5).double().eval()
    soft = nn.LuongAttention(4, 5).double()
    soft.load_state_dict(m.state_dict())
    qe = ember.tensor(Q, requires_grad=True)
    m.mode = "hard"
    _, w = m(qe, ember.tensor(K), mask=ember.tensor(MASK))
    wn = w.detach().numpy()
    assert set(np.round(wn.ravel(), 12)) <= {0.0, 1.0} and np.all(wn.sum(-1) == 1)
    g = RNG.standard_normal(w.shape)
    (w * ember.tensor(g)).sum().backward()
    qs = ember.tensor(Q, requires_grad=True)
    (soft(qs, ember.tensor(K), mask=ember.tensor(MASK))[1] * ember.tensor(g)).sum().backward()
    assert_close(qe.grad, qs.grad, **TOL["float64"])


def test_local_attention_zero_outside_window_and_monotonic_moves_forward():
    _, _, w = _run(nn.BahdanauAttention(4, 5, 3, mode="local", window=1))
    assert np.all((w > 0).sum(-1) <= 3) and np.all(w[1, 4:] == 0)
    m = nn.LuongAttention(4, 5, mode="monotonic").double()
    prev = np.zeros((2, 6))
    prev[:, 2] = 1.0
    _, w = m(ember.tensor(Q), ember.tensor(K), mask=ember.tensor(MASK), prev_weights=ember.tensor(prev))
    w = w.detach().numpy()
    assert np.all(w[:, [0, 1, 4, 5]] == 0) and np.allclose(w.sum(-1), 1)
    with pytest.raises(ValueError, match="mode must be one of"):
        nn.BahdanauAttention(4, 5, 3, mode="sparse")


def test_positional_encodings():
    pe = nn.SinusoidalPositionalEncoding(6, max_len=10)
    out = pe(ember.zeros(7, 2, 6)).numpy()
    pos, i = np.arange(7)[:, None], np.arange(3)[None, :]
    ang = pos / 10000 ** (2 * i / 6)
    assert_close(out[:, 0, 0::2], np.sin(ang), **TOL["float32"])
    assert_close(out[:, 1, 1::2], np.cos(ang), **TOL["float32"])
    assert "pe" not in pe.state_dict()
    lp = nn.LearnedPositionalEncoding(6, max_len=8, batch_first=True)
    x = ember.randn(2, 5, 6)
    assert_close(lp(x) - x, np.broadcast_to(lp.weight[:5].detach().numpy(), (2, 5, 6)), **TOL["float32"])
    lp(x).sum().backward()
    assert np.all(lp.weight.grad.numpy()[5:] == 0) and np.all(lp.weight.grad.numpy()[:5] == 2)
    with pytest.raises(ValueError, match="exceeds max_len"):
        lp(ember.randn(2, 9, 6))
