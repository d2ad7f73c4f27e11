"""MultiheadAttention, SDPA and the Transformer family vs torch 2.13 (weights via state_dict)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import ember
import ember.nn as nn
import ember.nn.functional as F
from tolerances import TOL, assert_close

TOLK = TOL["float64_reduce"]


def _sd(tm):
    return {k: v.detach().numpy().copy() for k, v in tm.state_dict().items()}


def _grads_match(es, ts, em=None, tm=None):
    for a, b in zip(es, ts):
        assert_close(a.grad, b.grad, **TOLK, name="input grad")
    if em is not None:
        tp = dict(tm.named_parameters())
        for n, p in em.named_parameters():
            assert_close(p.grad, tp[n].grad, **TOLK, name=n)


MHA = [dict(), dict(add_bias_kv=True, add_zero_attn=True), dict(kdim=3, vdim=5, batch_first=True), dict(bias=False)]


@pytest.mark.parametrize("kw", MHA, ids=str)
@pytest.mark.parametrize("mask_kind", ["none", "bool", "float"])
@pytest.mark.parametrize("average", [True, False])
def test_multihead_attention_matches_torch(kw, mask_kind, average):
    tm = torch.nn.MultiheadAttention(8, 2, **kw).double()
    em = nn.MultiheadAttention(8, 2, **kw).double()
    em.load_state_dict(_sd(tm))
    assert list(em.state_dict()) == list(tm.state_dict())
    rng = np.random.default_rng(0)
    bf = kw.get("batch_first", False)
    shp = lambda L, d: (2, L, d) if bf else (L, 2, d)  # noqa: E731
    arrs = [rng.standard_normal(shp(4, 8)), rng.standard_normal(shp(6, kw.get("kdim", 8))),
            rng.standard_normal(shp(6, kw.get("vdim", 8)))]
    kpm = np.zeros((2, 6), bool)
    kpm[1, 4:] = True
    am = {"none": None, "bool": np.triu(np.ones((4, 6), bool), 3), "float": rng.standard_normal((4, 6))}[mask_kind]
    kpm_kind = kpm if mask_kind != "float" else np.where(kpm, -np.inf, 0.0)
    es, ts = [ember.tensor(a, requires_grad=True) for a in arrs], [torch.tensor(a, requires_grad=True) for a in arrs]
    opt = lambda lib, m: None if m is None else lib.tensor(m)  # noqa: E731
    oe, we = em(*es, key_padding_mask=opt(ember, kpm_kind), attn_mask=opt(ember, am), average_attn_weights=average)
    ot, wt = tm(*ts, key_padding_mask=opt(torch, kpm_kind), attn_mask=opt(torch, am), average_attn_weights=average)
    assert_close(oe, ot.detach(), **TOLK, name="out")
    assert_close(we, wt.detach(), **TOLK, name="weights")
    (oe.sum() + (we * we).sum()).backward()
    (ot.sum() + (wt * wt).sum()).backward()
    _grads_match(es, ts, em, tm)


def test_mha_unbatched_need_weights_false_and_errors():
    tm, em = torch.nn.MultiheadAttention(6, 3).double(), nn.MultiheadAttention(6, 3).double()
    em.load_state_dict(_sd(tm))
    x = np.random.default_rng(1).standard_normal((5, 6))
    oe, we = em(ember.tensor(x), ember.tensor(x), ember.tensor(x), need_weights=False)
    ot, _ = tm(torch.tensor(x), torch.tensor(x), torch.tensor(x), need_weights=False)
    assert we is None
    assert_close(oe, ot.detach(), **TOLK)
    with pytest.raises(ValueError, match="divisible by num_heads"):
        nn.MultiheadAttention(7, 2)
    with pytest.raises(RuntimeError, match="Need attn_mask"):
        em(ember.tensor(x), ember.tensor(x), ember.tensor(x), is_causal=True)


@pytest.mark.parametrize("mask", ["none", "bool", "float", "causal"])
def test_sdpa_matches_torch(mask):
    rng = np.random.default_rng(2)
    arrs = [rng.standard_normal((2, 3, 4, 5)), rng.standard_normal((2, 3, 6, 5)), rng.standard_normal((2, 3, 6, 7))]
    m = {"none": None, "causal": None, "float": rng.standard_normal((4, 6)),
         "bool": rng.random((2, 1, 4, 6)) > 0.3}[mask]
    if mask == "bool":
        m[0, 0, 1] = False  # one row with every key masked -> zeros (torch 2.13)
    es, ts = [ember.tensor(a, requires_grad=True) for a in arrs], [torch.tensor(a, requires_grad=True) for a in arrs]
    kw = dict(is_causal=mask == "causal", scale=0.3)
    oe = F.scaled_dot_product_attention(*es, attn_mask=None if m is None else ember.tensor(m), **kw)
    ot = torch.nn.functional.scaled_dot_product_attention(*ts, attn_mask=None if m is None else torch.tensor(m), **kw)
    assert_close(oe, ot.detach(), **TOLK)
    (oe * oe).sum().backward()
    (ot * ot).sum().backward()
    _grads_match(es, ts)


def test_sdpa_dropout_keeps_expectation_shape():
    q = ember.randn(2, 4, 8)
    ember.manual_seed(0)
    a = F.scaled_dot_product_attention(q, q, q, dropout_p=0.5)
    b = F.scaled_dot_product_attention(q, q, q)
    assert a.shape == b.shape and not np.allclose(a.numpy(), b.numpy())
    with pytest.raises(RuntimeError, match="is_causal"):
        F.scaled_dot_product_attention(q, q, q, attn_mask=ember.ones(4, 4), is_causal=True)


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_encoder_decoder_layers_match_torch(norm_first, activation, batch_first):
    kw = dict(dim_feedforward=16, dropout=0.0, norm_first=norm_first, activation=activation, batch_first=batch_first)
    rng = np.random.default_rng(3)
    src, tgt = rng.standard_normal((2, 5, 8)), rng.standard_normal((2, 4, 8))
    if not batch_first:
        src, tgt = src.transpose(1, 0, 2).copy(), tgt.transpose(1, 0, 2).copy()
    kpm = np.zeros((2, 5), bool)
    kpm[0, 3:] = True
    te = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(8, 2, **kw), 2, torch.nn.LayerNorm(8)).double()
    ee = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, **kw), 2, nn.LayerNorm(8)).double()
    ee.load_state_dict(_sd(te))
    xe, xt = ember.tensor(src, requires_grad=True), torch.tensor(src, requires_grad=True)
    me = ee(xe, src_key_padding_mask=ember.tensor(kpm))
    mt = te(xt, src_key_padding_mask=torch.tensor(kpm))
    assert_close(me, mt.detach(), **TOLK, name="memory")
    td = torch.nn.TransformerDecoder(torch.nn.TransformerDecoderLayer(8, 2, **kw), 2).double()
    ed = nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, **kw), 2).double()
    ed.load_state_dict(_sd(td))
    mask = nn.Transformer.generate_square_subsequent_mask(4).double()
    ye = ed(ember.tensor(tgt), me, tgt_mask=mask, memory_key_padding_mask=ember.tensor(kpm), tgt_is_causal=True)
    yt = td(torch.tensor(tgt), mt, tgt_mask=torch.tensor(mask.numpy()), memory_key_padding_mask=torch.tensor(kpm),
            tgt_is_causal=True)
    assert_close(ye, yt.detach(), **TOLK, name="decoder")
    ye.sum().backward()
    yt.sum().backward()
    _grads_match([xe], [xt], ee, te)


def test_transformer_full_model_and_deepcopy():
    tm = torch.nn.Transformer(8, 2, 2, 1, 16, dropout=0.0, activation=torch.nn.functional.gelu).double()
    em = nn.Transformer(8, 2, 2, 1, 16, dropout=0.0, activation=F.gelu).double()
    em.load_state_dict(_sd(tm))
    layers = em.encoder.layers
    assert layers[0].linear1.weight is not layers[1].linear1.weight
    rng = np.random.default_rng(4)
    src, tgt = rng.standard_normal((5, 2, 8)), rng.standard_normal((3, 2, 8))
    mask = nn.Transformer.generate_square_subsequent_mask(3)
    assert_close(mask, torch.nn.Transformer.generate_square_subsequent_mask(3), **TOL["float32"])
    ye = em(ember.tensor(src), ember.tensor(tgt), tgt_mask=mask.double())
    yt = tm(torch.tensor(src), torch.tensor(tgt), tgt_mask=torch.tensor(mask.numpy()).double())
    assert_close(ye, yt.detach(), **TOLK)
    with pytest.raises(RuntimeError, match="batch number"):
        em(ember.tensor(src), ember.tensor(tgt[:, :1]))
