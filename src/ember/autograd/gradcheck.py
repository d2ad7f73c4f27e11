"""Numerical gradient checks (central differences), like torch.autograd.gradcheck.

Compares the analytical Jacobian (built row by row with autograd.grad) against
(f(x + eps e_i) - f(x - eps e_i)) / (2 eps), entry by entry: |a - n| <= atol + rtol |n|.
Use float64 inputs; float32 differences are too noisy at eps = 1e-6.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np


class GradcheckError(RuntimeError):
    """Raised when analytical and numerical gradients disagree."""


def _tuple(x: Any) -> tuple:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _outputs(func: Callable, inputs: tuple) -> tuple:
    from .._tensor import Tensor

    return tuple(o for o in _tuple(func(*inputs)) if isinstance(o, Tensor))


def _numerical_jacobian(func: Callable, inputs: tuple, i: int, eps: float) -> list:
    """One (n_in, n_out) matrix per output, for input i."""
    from .grad_mode import no_grad

    x = inputs[i]
    flat = x._data.reshape(-1)  # a view when x is contiguous (we perturb in place)
    if not x._data.flags.c_contiguous:
        raise GradcheckError("gradcheck needs contiguous inputs")
    cols: list = []
    with no_grad():
        for k in range(flat.size):
            orig = flat[k].item()
            flat[k] = orig + eps
            plus = [o._data.astype(np.float64).reshape(-1).copy() for o in _outputs(func, inputs)]
            flat[k] = orig - eps
            minus = [o._data.astype(np.float64).reshape(-1).copy() for o in _outputs(func, inputs)]
            flat[k] = orig
            cols.append([(p - m) / (2 * eps) for p, m in zip(plus, minus)])
    n_out = len(cols[0]) if cols else len(_outputs(func, inputs))
    return [np.stack([c[j] for c in cols]) if cols else np.zeros((0, 0)) for j in range(n_out)]


def _analytical_jacobian(func: Callable, inputs: tuple, i: int) -> list:
    from . import grad as autograd_grad
    from .._tensor import Tensor

    outs = _outputs(func, inputs)
    x = inputs[i]
    jacs = []
    for o in outs:
        J = np.zeros((x.numel(), o.numel()))
        if o.requires_grad:
            for k in range(o.numel()):
                go = np.zeros(o.numel(), dtype=o._data.dtype)
                go[k] = 1
                (g,) = autograd_grad(o, x, Tensor._make(go.reshape(o.shape)), retain_graph=True,
                                     allow_unused=True)
                if g is not None:
                    J[:, k] = g._data.astype(np.float64).reshape(-1)
        jacs.append(J)
    return jacs


def gradcheck(func: Callable, inputs: Any, *, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, raise_exception: bool = True, **_: Any) -> bool:
    """True if every analytical gradient of ``func`` matches central differences."""
    from .._tensor import Tensor

    inputs = _tuple(inputs)
    for idx, x in enumerate(inputs):
        if not (isinstance(x, Tensor) and x.requires_grad):
            continue
        if x.dtype.name != "float64":
            import warnings

            warnings.warn(f"gradcheck: input {idx} is {x.dtype.name}, not float64; the check is "
                          "unreliable", stacklevel=2)
        num = _numerical_jacobian(func, inputs, idx, eps)
        ana = _analytical_jacobian(func, inputs, idx)
        for j, (n, a) in enumerate(zip(num, ana)):
            bad = np.abs(a - n) > atol + rtol * np.abs(n)
            if bad.any():
                k = np.unravel_index(np.argmax(np.abs(a - n)), a.shape)
                msg = (f"Jacobian mismatch for output {j} with respect to input {idx}: max error "
                       f"{np.abs(a - n).max():.3g} at {k}: analytical {a[k]!r} vs numerical {n[k]!r}")
                if raise_exception:
                    raise GradcheckError(msg)
                return False
    return True


def gradgradcheck(func: Callable, inputs: Any, grad_outputs: Any = None, *, eps: float = 1e-6,
                  atol: float = 1e-5, rtol: float = 1e-3, raise_exception: bool = True,
                  seed: int = 0, **_: Any) -> bool:
    """Check second derivatives: gradcheck of (inputs, v) -> autograd.grad(func, inputs, v,
    create_graph=True) with random cotangents v."""
    from . import grad as autograd_grad
    from .._tensor import Tensor

    inputs = _tuple(inputs)
    outs = _outputs(func, inputs)
    rng = np.random.default_rng(seed)
    if grad_outputs is None:
        grad_outputs = tuple(Tensor._make(rng.standard_normal(o.shape).astype(o._data.dtype))
                             .requires_grad_() for o in outs if o.requires_grad)
    grad_outputs = _tuple(grad_outputs)
    diff = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    n = len(inputs)

    def first_grad(*args: Any) -> tuple:
        ins, vs = args[:n], args[n:]
        o = [t for t in _outputs(func, ins) if t.requires_grad]
        gs = autograd_grad(o, [ins[i] for i in diff], vs, create_graph=True, allow_unused=True)
        return tuple(g for g in gs if g is not None)

    return gradcheck(first_grad, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
