"""CTC loss vs torch 2.13 and brute-force enumeration; CTC decoders."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember.nn.utils.ctc_decode import ctc_collapse, ctc_greedy_decode, ctc_prefix_beam_search
from tolerances import TOL, assert_close

TG = np.array([[1, 2, 2], [3, 0, 0], [4, 4, 1]])
TL, IL = [3, 1, 3], [7, 4, 6]


def _both(x, targets, il, tl, **kw):
    xe, xt = ember.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    le = F.ctc_loss(xe.log_softmax(2), ember.tensor(targets), il, tl, **kw)
    lt = torch.nn.functional.ctc_loss(xt.log_softmax(2), torch.tensor(targets), il, tl, **kw)
    return xe, xt, le, lt


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("concat", [False, True])
@pytest.mark.parametrize("dtype,tol", [(np.float64, "float64"), (np.float32, "float32_reduce")])
def test_matches_torch_through_log_softmax(reduction, concat, dtype, tol):
    x = np.random.default_rng(0).standard_normal((7, 3, 5)).astype(dtype)
    targets = np.concatenate([TG[i, :TL[i]] for i in range(3)]) if concat else TG
    xe, xt, le, lt = _both(x, targets, IL, TL, reduction=reduction)
    assert_close(le, lt.detach(), **TOL[tol], name="loss")
    g = np.arange(1, le.numel() + 1, dtype=dtype).reshape(tuple(le.shape))
    (le * ember.tensor(g)).sum().backward()
    (lt * torch.tensor(g)).sum().backward()
    assert_close(xe.grad, xt.grad, **TOL[tol], name="d logits")


def test_raw_log_probs_gradient_is_true_gradient():
    """torch's raw-input gradient = ours + exp(log_probs) on valid frames (documented deviation)."""
    lp = np.log(np.random.default_rng(1).dirichlet(np.ones(5), size=(7, 3)))
    le, lt = ember.tensor(lp, requires_grad=True), torch.tensor(lp, requires_grad=True)
    F.ctc_loss(le, ember.tensor(TG), IL, TL, reduction="sum").backward()
    torch.nn.functional.ctc_loss(lt, torch.tensor(TG), IL, TL, reduction="sum").backward()
    valid = (np.arange(7)[:, None] < np.array(IL)[None, :])[..., None]
    assert_close(le.grad.numpy() + valid * np.exp(lp), lt.grad, **TOL["float64"])
    gc = TOL["gradcheck"]
    f = lambda t: F.ctc_loss(t, ember.tensor(TG), IL, TL, reduction="sum")  # noqa: E731
    assert ember.autograd.gradcheck(f, (ember.tensor(lp, requires_grad=True),), eps=gc["eps"],
                                    atol=gc["atol"], rtol=gc["rtol"])


def _brute_force_nll(lp, target, blank=0):
    T, C = lp.shape
    total = 0.0
    for path in itertools.product(range(C), repeat=T):
        if ctc_collapse(path, blank) == list(target):
            total += np.exp(lp[np.arange(T), list(path)].sum())
    return -np.log(total)


@pytest.mark.parametrize("target", [[], [1], [2, 2], [1, 3, 1], [3, 3, 3]])
def test_equals_brute_force_enumeration(target):
    """C171: T = 5, 3 labels + blank; sum over all 4^5 paths."""
    lp = np.log(np.random.default_rng(len(target)).dirichlet(np.ones(4), size=5))
    loss = F.ctc_loss(ember.tensor(lp), ember.tensor(np.array(target, dtype=np.int64)), [5], [len(target)],
                      reduction="sum")
    assert_close(loss, _brute_force_nll(lp, target), **TOL["float64"])


def test_impossible_target_inf_and_zero_infinity():
    lp = np.log(np.full((3, 1, 4), 0.25))
    tg = np.array([[1, 1, 1]])  # needs 5 frames (repeats need blanks between)
    assert np.isinf(F.ctc_loss(ember.tensor(lp), tg, [3], [3], reduction="sum").item())
    t = ember.tensor(lp, requires_grad=True)
    loss = F.ctc_loss(t, tg, [3], [3], reduction="sum", zero_infinity=True)
    loss.backward()
    assert loss.item() == 0.0 and not np.any(t.grad.numpy())
    ref = torch.nn.functional.ctc_loss(torch.tensor(lp), torch.tensor(tg), [3], [3], zero_infinity=True)
    assert ref.item() == 0.0


def test_errors():
    lp = ember.randn(5, 2, 4).log_softmax(2)
    with pytest.raises(RuntimeError, match="input_lengths to have value at most 5, but got value 6"):
        F.ctc_loss(lp, ember.tensor([[1, 2], [1, 1]]), [6, 5], [2, 2])
    with pytest.raises(RuntimeError, match="size at least 3 at dimension 1"):
        F.ctc_loss(lp, ember.tensor([[1, 2], [1, 1]]), [5, 5], [3, 2])
    with pytest.raises(ValueError, match="not a valid value for reduction"):
        F.ctc_loss(lp, ember.tensor([[1, 2], [1, 1]]), [5, 5], [2, 2], reduction="avg")


@given(st.lists(st.tuples(st.integers(1, 6), st.integers(0, 3)), min_size=1, max_size=4), st.integers(0, 9))
def test_random_lengths_match_torch(pairs, seed):
    rng = np.random.default_rng(seed)
    il, tl = [p[0] for p in pairs], [p[1] for p in pairs]
    x = rng.standard_normal((6, len(pairs), 4))
    tg = rng.integers(1, 4, size=(len(pairs), 3))
    _, _, le, lt = _both(x, tg, il, tl, reduction="none", zero_infinity=True)
    assert_close(le, lt.detach(), **TOL["float64"])


def test_module_and_unbatched():
    x = np.random.default_rng(2).standard_normal((6, 5))
    lp = ember.tensor(x).log_softmax(1)
    m = nn.CTCLoss(blank=4, reduction="none")
    got = m(lp, ember.tensor([0, 1, 1]), 6, 3)
    ref = torch.nn.CTCLoss(blank=4, reduction="none")(torch.tensor(x).log_softmax(1), torch.tensor([0, 1, 1]),
                                                      torch.tensor(6), torch.tensor(3))
    assert tuple(got.shape) == tuple(ref.shape) == ()
    assert_close(got, ref, **TOL["float64"])


def test_decoders():
    lp = np.log(np.array([[.6, .3, .1], [.6, .3, .1], [.1, .8, .1], [.1, .8, .1], [.7, .1, .2]]))
    assert ctc_greedy_decode(lp) == [1]
    assert ctc_greedy_decode(np.stack([lp, lp[:, ::-1]], 1), input_lengths=[5, 2]) == [[1], [2]]
    # best labeling by brute force over labelings of length <= 3 vs prefix beam search
    rng = np.random.default_rng(3)
    lp2 = np.log(rng.dirichlet(np.ones(3) * 0.7, size=5))
    cands = [list(c) for k in range(4) for c in itertools.product([1, 2], repeat=k)]
    nll = [_brute_force_nll(lp2, c) for c in cands]
    seq, score = ctc_prefix_beam_search(lp2, beam_width=16)
    assert seq == cands[int(np.argmin(nll))]
    assert_close(score, -min(nll), **TOL["float64"])
    with pytest.raises(ValueError, match="beam_width"):
        ctc_prefix_beam_search(lp2, beam_width=0)
