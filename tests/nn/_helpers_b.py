"""Shared helpers of the nn part-B (CNN) tests: the same call on ember and torch, compared."""
from __future__ import annotations

import numpy as np
import torch
from tolerances import TOL, assert_close

import ember


def parity(fe, ft, *arrays: np.ndarray, tol: str = "float64_reduce", multi: bool = False,
           seed: int = 0) -> None:
    """fe(*ember tensors) vs ft(*torch tensors): outputs and the gradients of <out, g>.

    ``multi``: the functions return (values, indices); indices must be equal."""
    es = [ember.tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    ye, yt = fe(*es), ft(*ts)
    if multi:
        (ye, ie), (yt, it) = ye, yt
        np.testing.assert_array_equal(ie.numpy(), it.numpy())
    assert tuple(ye.shape) == tuple(yt.shape), f"shape {tuple(ye.shape)} != {tuple(yt.shape)}"
    assert_close(ye, yt, **TOL[tol], name="forward")
    g = np.random.default_rng(seed).standard_normal(tuple(yt.shape)).astype(arrays[0].dtype)
    ye.backward(ember.tensor(g))
    yt.backward(torch.tensor(g))
    for i, (e, t) in enumerate(zip(es, ts)):
        assert_close(e.grad, t.grad, **TOL[tol], name=f"grad[{i}]")


def randn(*shape: int, seed: int = 0, dtype=np.float64) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def grad_checks(fn, *arrays: np.ndarray, second: bool = True) -> None:
    """float64 gradcheck (and gradgradcheck) of fn at the given points."""
    ts = tuple(ember.tensor(a, requires_grad=True) for a in arrays)
    kw = {k: v for k, v in TOL["gradcheck"].items()}
    assert ember.autograd.gradcheck(fn, ts, **kw)
    if second:
        assert ember.autograd.gradgradcheck(fn, ts, **kw)
