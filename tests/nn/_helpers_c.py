"""Helpers of the nn part-C tests (normalization, losses): paired tensors and parity runs."""
from __future__ import annotations

import numpy as np
import torch

import ember
from tolerances import TOL, assert_close


def pair(x: np.ndarray, grad: bool = True) -> tuple:
    """The same array as an ember tensor and a torch tensor (both leaves)."""
    if x.dtype.kind in "iub":
        return ember.tensor(x), torch.tensor(x)
    return ember.tensor(x, requires_grad=grad), torch.tensor(x, requires_grad=grad)


def parity(fe, ft, *arrays: np.ndarray, tol: str = "float64", seed: int = 0,
           ngrad: int | None = None) -> None:
    """fe(*ember) vs ft(*torch): forward value and gradients of <out, g> w.r.t. the float inputs
    (the first ``ngrad`` of them when given; the rest are constants such as labels)."""
    ngrad = len(arrays) if ngrad is None else ngrad
    es, ts = zip(*(pair(a, i < ngrad) for i, a in enumerate(arrays)))
    ye, yt = fe(*es), ft(*ts)
    assert_close(ye, yt, **TOL[tol], name="forward")
    g = np.random.default_rng(seed).standard_normal(tuple(yt.shape))
    ge, gt = ember.tensor(g, dtype=ye.dtype), torch.tensor(g, dtype=yt.dtype)
    floats = [i for i, a in enumerate(arrays[:ngrad]) if a.dtype.kind == "f"]
    grads_e = ember.autograd.grad(ye, [es[i] for i in floats], ge, allow_unused=True)
    grads_t = torch.autograd.grad(yt, [ts[i] for i in floats], gt, allow_unused=True)
    for i, a, b in zip(floats, grads_e, grads_t):
        if b is None:
            assert a is None or not np.any(a.numpy()), f"grad[{i}]: torch has none"
            continue
        assert_close(a, b, **TOL[tol], name=f"grad[{i}]")


def sd_from_torch(tmod: torch.nn.Module) -> dict:
    """torch state_dict -> ember tensors."""
    return {k: ember.tensor(v.detach().numpy().copy()) for k, v in tmod.state_dict().items()}
