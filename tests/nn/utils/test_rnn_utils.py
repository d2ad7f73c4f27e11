"""nn.utils.rnn packing helpers vs torch.nn.utils.rnn (values, gradients, errors)."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.utils.rnn as tru
from hypothesis import given, strategies as st

import ember
from ember.nn.utils import rnn as ru
from tolerances import TOL, assert_close

EXACT = dict(rtol=0.0, atol=0.0)


def _seqs(lengths, feat=2, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((n, feat)) for n in lengths]


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("side", ["right", "left"])
def test_pad_sequence_matches_torch(batch_first, side):
    arrs = _seqs([3, 5, 1])
    e = ru.pad_sequence([ember.tensor(a) for a in arrs], batch_first, -1.5, side)
    t = tru.pad_sequence([torch.tensor(a) for a in arrs], batch_first, -1.5, side)
    assert_close(e, t, **EXACT)


@given(st.lists(st.integers(1, 6), min_size=1, max_size=5), st.booleans())
def test_pack_pad_roundtrip_and_grads_match_torch(lengths, batch_first):
    T, B = max(lengths), len(lengths)
    x = np.random.default_rng(B).standard_normal((B, T, 3) if batch_first else (T, B, 3))
    xe, xt = ember.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    pe = ru.pack_padded_sequence(xe, lengths, batch_first, enforce_sorted=False)
    pt = tru.pack_padded_sequence(xt, lengths, batch_first, enforce_sorted=False)
    for a, b in zip(pe, pt):
        assert_close(a, b.detach(), **EXACT)
    ye, le = ru.pad_packed_sequence(pe, batch_first, padding_value=7.0, total_length=T + 1)
    yt, lt = tru.pad_packed_sequence(pt, batch_first, padding_value=7.0, total_length=T + 1)
    assert_close(ye, yt.detach(), **EXACT)
    assert_close(le, lt, **EXACT)
    g = np.arange(np.prod(yt.shape), dtype=np.float64).reshape(yt.shape)
    (ye * ember.tensor(g)).sum().backward()
    (yt * torch.tensor(g)).sum().backward()
    assert_close(xe.grad, xt.grad, **TOL["float64"])


def test_pack_sequence_unpack_sequence():
    arrs = _seqs([4, 2, 3], seed=1)
    pe = ru.pack_sequence([ember.tensor(a) for a in arrs], enforce_sorted=False)
    pt = tru.pack_sequence([torch.tensor(a) for a in arrs], enforce_sorted=False)
    assert_close(pe.data, pt.data, **EXACT)
    for a, b in zip(ru.unpack_sequence(pe), arrs):
        assert_close(a, b, **EXACT)
    padded = ru.pad_sequence([ember.tensor(a) for a in arrs])
    for a, b in zip(ru.unpad_sequence(padded, [4, 2, 3]), arrs):
        assert_close(a, b, **EXACT)


def test_errors_like_torch():
    x = ember.randn(4, 3, 2)
    with pytest.raises(RuntimeError, match="must be sorted in decreasing order when `enforce_sorted` is True"):
        ru.pack_padded_sequence(x, [2, 4, 3])
    with pytest.raises(RuntimeError, match="sorted in decreasing order"):
        tru.pack_padded_sequence(torch.randn(4, 3, 2), [2, 4, 3])
    with pytest.raises(RuntimeError, match="greater than 0"):
        ru.pack_padded_sequence(x, [4, 3, 0])
    p = ru.pack_padded_sequence(x, [4, 3, 2])
    assert p.sorted_indices is None and p.unsorted_indices is None
    with pytest.raises(ValueError, match="total_length=2 and max sequence length being 4"):
        ru.pad_packed_sequence(p, total_length=2)
    with pytest.raises(ValueError, match="padding_side"):
        ru.pad_sequence([x[0]], padding_side="middle")
