"""Seq2seq encoder-decoder: shapes, teacher forcing, greedy/beam decoding, learning a reversal."""
from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from ember.models import Decoder, Encoder, Seq2Seq, make_reversal_data


def _model(attention=None, cell="gru"):
    ember.manual_seed(0)
    return Seq2Seq(Encoder(9, 8, 16, cell=cell), Decoder(9, 8, 16, cell=cell, attention=attention))


@pytest.mark.parametrize("attention,cell", [(None, "gru"), ("bahdanau", "lstm"), ("luong", "rnn")])
def test_shapes_and_teacher_forcing(attention, cell):
    m = _model(attention, cell)
    src, tgt, L = make_reversal_data(4, 3, 6, 6, seed=1)
    a = m(ember.tensor(src), ember.tensor(tgt), 1.0, src_lengths=L)
    b = m(ember.tensor(src), ember.tensor(tgt), 1.0, src_lengths=L)
    assert tuple(a.shape) == (4, 7, 9)
    np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())  # full teacher forcing: deterministic
    c = m(ember.tensor(src), ember.tensor(tgt), 0.0, src_lengths=L)  # free running: first step identical
    np.testing.assert_array_equal(a.detach().numpy()[:, 0], c.detach().numpy()[:, 0])
    tokens, attn = m.greedy_decode(ember.tensor(src), 5, src_lengths=L)
    assert tuple(tokens.shape) == (4, 5) and (attn is None) == (attention is None)
    if attn is not None:
        w = attn.numpy()
        assert np.allclose(w.sum(-1), 1) and np.all(w.transpose(0, 2, 1)[np.arange(6)[None, :] >= L[:, None]] == 0)
    a.sum().backward()


def test_beam_one_equals_greedy_and_errors():
    m = _model("luong")
    src, _, L = make_reversal_data(3, 3, 5, 6, seed=2)
    greedy, _ = m.greedy_decode(ember.tensor(src), 6, src_lengths=L)
    for b, (toks, score) in enumerate(m.beam_search(ember.tensor(src), 1, 6, src_lengths=L)):
        g = list(greedy.numpy()[b])
        g = g[:g.index(2)] if 2 in g else g
        assert toks == g and score <= 0
    with pytest.raises(ValueError, match="beam_size"):
        m.beam_search(ember.tensor(src), 0)
    with pytest.raises(ValueError, match="attention must be"):
        Decoder(9, 8, 16, attention="additive")


def test_learns_short_reversal():
    m = _model("luong")
    src, tgt, L = make_reversal_data(256, 2, 3, 4, seed=0)
    opt = ember.optim.Adam(m.parameters(), lr=2e-2)
    losses = []
    for step in range(40):
        i = np.random.default_rng(step).integers(0, 256, 32)
        lg = m(ember.tensor(src[i, :3]), ember.tensor(tgt[i, :4]), 1.0, src_lengths=L[i])
        loss = F.cross_entropy(lg.reshape(-1, 9), ember.tensor(tgt[i, :4]).reshape(-1), ignore_index=0)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert np.mean(losses[-5:]) < 0.5 * np.mean(losses[:5])
