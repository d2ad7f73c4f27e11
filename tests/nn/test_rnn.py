"""RNN / LSTM / GRU and cells vs torch 2.13 (weights copied through state_dict), staged == fused."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

import ember
import ember.nn as nn
from ember.nn.functional._rnn_cells import rnn_layer_staged
from ember.nn.functional._rnn_fused import rnn_layer_fused
from ember.nn.utils import rnn as ru
from tolerances import TOL, assert_close

CONFIGS = [
    ("RNN", {}), ("RNN", dict(nonlinearity="relu", bias=False)), ("RNN", dict(num_layers=2, bidirectional=True)),
    ("LSTM", {}), ("LSTM", dict(num_layers=2, bidirectional=True, batch_first=True)),
    ("LSTM", dict(proj_size=3, num_layers=2)), ("LSTM", dict(proj_size=2, bidirectional=True, bias=False)),
    ("GRU", {}), ("GRU", dict(num_layers=3, batch_first=True)), ("GRU", dict(bidirectional=True, bias=False)),
]


def _pair(cls: str, kw: dict, dtype=torch.float64, I: int = 4, H: int = 5):
    tm = getattr(torch.nn, cls)(I, H, **kw).to(dtype)
    em = getattr(nn, cls)(I, H, **kw)
    res = em.load_state_dict({k: v.detach().numpy().copy() for k, v in tm.state_dict().items()})
    assert not res.missing_keys and not res.unexpected_keys
    return em.to(ember.float64 if dtype == torch.float64 else ember.float32), tm


def _states(cls: str, tm, B: int, rng) -> list:
    D = 2 if tm.bidirectional else 1
    shape = (tm.num_layers * D, B, tm.proj_size or tm.hidden_size)
    hs = [rng.standard_normal(shape)]
    if cls == "LSTM":
        hs.append(rng.standard_normal((tm.num_layers * D, B, tm.hidden_size)))
    return hs


def _run_both(em, tm, cls, x, hs, dtype=np.float64):
    xe, xt = ember.tensor(x.astype(dtype), requires_grad=True), torch.tensor(x.astype(dtype), requires_grad=True)
    he = [ember.tensor(h.astype(dtype), requires_grad=True) for h in hs]
    ht = [torch.tensor(h.astype(dtype), requires_grad=True) for h in hs]
    oe = em(xe, tuple(he) if cls == "LSTM" else he[0])
    ot = tm(xt, tuple(ht) if cls == "LSTM" else ht[0])
    return (xe, he, oe), (xt, ht, ot)


def _flat(out):
    y, h = out
    return [y] + (list(h) if isinstance(h, tuple) else [h])


def _check_all(e, t, em, tm, tol):
    (xe, he, oe), (xt, ht, ot) = e, t
    rng = np.random.default_rng(1)
    le, lt = 0, 0
    for a, b in zip(_flat(oe), _flat(ot)):
        assert_close(a, b, **TOL[tol], name="output")
        g = rng.standard_normal(tuple(b.shape))
        le = le + (a * ember.tensor(g.astype(a.dtype.np))).sum()
        lt = lt + (b * torch.tensor(g, dtype=b.dtype)).sum()
    le.backward()
    lt.backward()
    assert_close(xe.grad, xt.grad, **TOL[tol], name="dx")
    for a, b in zip(he, ht):
        assert_close(a.grad, b.grad, **TOL[tol], name="dh0")
    tp = dict(tm.named_parameters())
    for name, p in em.named_parameters():
        assert_close(p.grad, tp[name].grad, **TOL[tol], name=f"d{name}")


@pytest.mark.parametrize("cls,kw", CONFIGS, ids=[f"{c}-{k}" for c, k in CONFIGS])
def test_module_matches_torch_float64(cls, kw):
    em, tm = _pair(cls, kw)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 6, 4) if kw.get("batch_first") else (6, 3, 4))
    _check_all(*_run_both(em, tm, cls, x, _states(cls, tm, 3, rng)), em, tm, "float64_reduce")


@pytest.mark.parametrize("cls", ["RNN", "LSTM", "GRU"])
def test_float32_default_state_and_unbatched(cls):
    em, tm = _pair(cls, dict(num_layers=2), dtype=torch.float32)
    x = np.random.default_rng(2).standard_normal((7, 4)).astype(np.float32)  # unbatched (T, I)
    ye, he = em(ember.tensor(x))
    yt, ht = tm(torch.tensor(x))
    assert_close(ye, yt.detach(), **TOL["float32_reduce"], name="y")
    for a, b in zip(_flat((ye, he))[1:], _flat((yt, ht))[1:]):
        assert tuple(a.shape) == tuple(b.shape)
        assert_close(a, b.detach(), **TOL["float32_reduce"], name="h")


@pytest.mark.parametrize("cls,kw", [("LSTM", dict(num_layers=2, bidirectional=True, proj_size=2)),
                                    ("GRU", dict(bidirectional=True, batch_first=True)),
                                    ("RNN", dict(num_layers=2))])
def test_packed_input_matches_torch(cls, kw):
    em, tm = _pair(cls, kw)
    rng = np.random.default_rng(3)
    lengths = [2, 6, 3, 6]
    bf = kw.get("batch_first", False)
    x = rng.standard_normal((4, 6, 4) if bf else (6, 4, 4))
    xe, xt = ember.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    pe = ru.pack_padded_sequence(xe, lengths, batch_first=bf, enforce_sorted=False)
    pt = torch.nn.utils.rnn.pack_padded_sequence(xt, lengths, batch_first=bf, enforce_sorted=False)
    hs = _states(cls, tm, 4, rng)
    he, ht = [ember.tensor(h, requires_grad=True) for h in hs], [torch.tensor(h, requires_grad=True) for h in hs]
    oe, ote = em(pe, tuple(he) if cls == "LSTM" else he[0])
    ot, ott = tm(pt, tuple(ht) if cls == "LSTM" else ht[0])
    assert isinstance(oe, ru.PackedSequence)
    assert_close(oe.batch_sizes, ot.batch_sizes, rtol=0, atol=0, name="batch_sizes")
    assert_close(oe.sorted_indices, ot.sorted_indices, rtol=0, atol=0, name="sorted_indices")
    _check_all((xe, he, (oe.data, ote)), (xt, ht, (ot.data, ott)), em, tm, "float64_reduce")


@given(st.lists(st.integers(1, 5), min_size=1, max_size=4), st.booleans())
def test_packed_lstm_random_lengths(lengths, bidirectional):
    em, tm = _pair("LSTM", dict(bidirectional=bidirectional), I=3, H=2)
    x = np.random.default_rng(len(lengths)).standard_normal((max(lengths), len(lengths), 3))
    pe = ru.pack_padded_sequence(ember.tensor(x), lengths, enforce_sorted=False)
    pt = torch.nn.utils.rnn.pack_padded_sequence(torch.tensor(x), lengths, enforce_sorted=False)
    (oe, (he, ce)), (ot, (ht, ct)) = em(pe), tm(pt)
    ye, le = ru.pad_packed_sequence(oe)
    yt, lt = torch.nn.utils.rnn.pad_packed_sequence(ot)
    for a, b in ((ye, yt), (le, lt), (he, ht), (ce, ct)):
        assert_close(a, b.detach(), **TOL["float64_reduce"])


@pytest.mark.parametrize("mode,proj", [("RNN_TANH", 0), ("RNN_RELU", 0), ("LSTM", 0), ("LSTM", 2), ("GRU", 0)])
@pytest.mark.parametrize("masked", [False, True])
def test_staged_equals_fused_float64(mode, proj, masked):
    """STYLE S4: the fused BPTT op and the staged gate equations agree in value and every gradient."""
    rng = np.random.default_rng(4)
    T, B, I, H = 5, 3, 4, 3
    G = {"LSTM": 4, "GRU": 3}.get(mode, 1)
    Ho = proj or H
    arrs = [rng.standard_normal(s) for s in [(T, B, I), (B, Ho), (B, H), (G * H, I), (G * H, Ho), (G * H,),
                                             (G * H,), (Ho, H)]]
    if mode != "LSTM":
        arrs[2] = None
    if not proj:
        arrs[7] = None
    mask = (np.arange(T)[:, None] < np.array([5, 2, 4])[None, :]).astype(np.float64) if masked else None
    results = []
    for fn in (rnn_layer_fused, rnn_layer_staged):
        ts = [None if a is None else ember.tensor(a, requires_grad=True) for a in arrs]
        outs = fn(mode, *ts, mask=mask)
        loss = sum((o * ember.tensor(np.cos(np.arange(o.numel())).reshape(o.shape))).sum() for o in outs)
        loss.backward()
        results.append(([o.detach() for o in outs], [None if t is None else t.grad for t in ts]))
    (of, gf), (os_, gs) = results
    for a, b in zip(of, os_):
        assert_close(a, b, **TOL["float64"], name="value")
    for i, (a, b) in enumerate(zip(gf, gs)):
        if b is not None:
            assert_close(a, b, **TOL["float64"], name=f"grad[{i}]")


@pytest.mark.parametrize("cls", ["RNNCell", "LSTMCell", "GRUCell"])
def test_cells_match_torch_and_gradcheck(cls):
    tm = getattr(torch.nn, cls)(3, 4).double()
    em = getattr(nn, cls)(3, 4).double()
    em.load_state_dict({k: v.detach().numpy() for k, v in tm.state_dict().items()})
    rng = np.random.default_rng(5)
    x, h, c = rng.standard_normal((2, 3)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4))
    lstm = cls == "LSTMCell"
    te = [ember.tensor(a, requires_grad=True) for a in (x, h, c)]
    tt = [torch.tensor(a, requires_grad=True) for a in (x, h, c)]
    oe = em(te[0], (te[1], te[2]) if lstm else te[1])
    ot = tm(tt[0], (tt[1], tt[2]) if lstm else tt[1])
    oe, ot = (oe if lstm else (oe,)), (ot if lstm else (ot,))
    sum(o.sum() * (k + 1) for k, o in enumerate(oe)).backward()
    sum(o.sum() * (k + 1) for k, o in enumerate(ot)).backward()
    for a, b in zip(oe, ot):
        assert_close(a.detach(), b.detach(), **TOL["float64"], name="value")
    for a, b in zip(te[:3 if lstm else 2], tt):
        assert_close(a.grad, b.grad, **TOL["float64"], name="grad")
    args = tuple(ember.tensor(a, requires_grad=True) for a in ((x, h, c) if lstm else (x, h)))
    f = (lambda x, h, c: em(x, (h, c))[0] * em(x, (h, c))[1]) if lstm else (lambda x, h: em(x, h))
    gc = TOL["gradcheck"]
    assert ember.autograd.gradcheck(f, args, eps=gc["eps"], atol=gc["atol"], rtol=gc["rtol"])
    assert ember.autograd.gradgradcheck(f, args, eps=gc["eps"], atol=gc["atol"], rtol=gc["rtol"])
    unbatched = em(ember.tensor(x[0]))  # (I,) -> (H,)
    assert tuple((unbatched[0] if lstm else unbatched).shape) == (4,)


def test_state_dict_names_order_and_init_range():
    tm = torch.nn.LSTM(3, 8, num_layers=2, bidirectional=True, proj_size=4)
    em = nn.LSTM(3, 8, num_layers=2, bidirectional=True, proj_size=4)
    assert list(em.state_dict()) == list(tm.state_dict())
    for (n, p), (_, q) in zip(em.state_dict().items(), tm.state_dict().items()):
        assert tuple(p.shape) == tuple(q.shape), n
        assert np.abs(p.numpy()).max() <= 1 / np.sqrt(8)
    tm.load_state_dict({k: torch.from_numpy(v.numpy().copy()) for k, v in em.state_dict().items()})
    x = np.random.default_rng(6).standard_normal((4, 2, 3)).astype(np.float32)
    assert_close(em(ember.tensor(x))[0], tm(torch.tensor(x))[0].detach(), **TOL["float32_reduce"])
    assert repr(em) == repr(tm)


def test_dropout_between_layers_only_in_training():
    em, tm = _pair("GRU", dict(num_layers=2, dropout=0.5))
    x = ember.tensor(np.random.default_rng(7).standard_normal((5, 2, 4)))
    ember.manual_seed(0)
    y1 = em(x)[0]
    y2 = em(x)[0]
    assert not np.allclose(y1.detach().numpy(), y2.detach().numpy())
    em.eval()
    tm.eval()
    assert_close(em(x)[0], tm(torch.tensor(x.numpy()))[0].detach(), **TOL["float64_reduce"])


def test_bad_hidden_and_input_shapes():
    m = nn.GRU(4, 5, num_layers=2)
    with pytest.raises(RuntimeError, match=r"Expected hidden size \(2, 3, 5\), got \[1, 3, 5\]"):
        m(ember.randn(6, 3, 4), ember.zeros(1, 3, 5))
    lstm = nn.LSTM(4, 5)
    with pytest.raises(RuntimeError, match=r"Expected hidden\[1\] size \(1, 3, 5\), got \[1, 3, 4\]"):
        lstm(ember.randn(6, 3, 4), (ember.zeros(1, 3, 5), ember.zeros(1, 3, 4)))
    with pytest.raises(RuntimeError, match="input.size\\(-1\\) must be equal to input_size. Expected 4, got 3"):
        m(ember.randn(6, 3, 3))
    with pytest.raises(ValueError, match="proj_size has to be smaller than hidden_size"):
        nn.LSTM(4, 5, proj_size=5)
    with pytest.raises(ValueError, match="only supported for LSTM"):
        nn.RNNBase("GRU", 4, 5, proj_size=2)
    with pytest.raises(RuntimeError, match=r"Expected hidden size \(3, 5\), got \[2, 5\]"):
        nn.RNNCell(4, 5)(ember.randn(3, 4), ember.zeros(2, 5))
