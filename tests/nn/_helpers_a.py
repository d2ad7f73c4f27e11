"""Shared helpers of the nn part-A tests: torch <-> ember weight transfer and parity runs."""
from __future__ import annotations

import numpy as np
import torch

import ember
from tolerances import TOL, assert_close


def to_torch_sd(module: ember.nn.Module) -> dict:
    """ember state_dict -> torch tensors (through numpy)."""
    return {k: torch.from_numpy(v.numpy().copy()) for k, v in module.state_dict().items()}


def from_torch_sd(tmod: torch.nn.Module) -> dict:
    """torch state_dict -> ember tensors (through numpy)."""
    return {k: ember.tensor(v.detach().numpy().copy()) for k, v in tmod.state_dict().items()}


def pair(x: np.ndarray) -> tuple:
    """The same array as a grad-requiring ember tensor and torch tensor."""
    return ember.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)


def run_parity(fe, ft, *arrays: np.ndarray, tol: str = "float32", seed_grad: int = 0) -> None:
    """fe(*ember tensors) vs ft(*torch tensors): values and input gradients of <out, g>."""
    es, ts = zip(*(pair(a) for a in arrays))
    ye, yt = fe(*es), ft(*ts)
    assert_close(ye, yt, **TOL[tol], name="forward")
    g = np.random.default_rng(seed_grad).standard_normal(tuple(yt.shape)).astype(arrays[0].dtype)
    (ye * ember.tensor(g)).sum().backward()
    (yt * torch.tensor(g)).sum().backward()
    for i, (e, t) in enumerate(zip(es, ts)):
        if t.grad is None:
            assert e.grad is None or not np.any(e.grad.numpy()), f"grad {i}: torch has none"
            continue
        assert_close(e.grad, t.grad, **TOL[tol], name=f"grad[{i}]")
