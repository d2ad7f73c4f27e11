"""torch.autograd.functional: vjp, jvp, jacobian, hessian, hvp, vhp.

All build on reverse mode: jvp uses the double-vjp trick (the vjp is linear in its cotangent,
so differentiating it w.r.t. the cotangent gives J v).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np


def _tuple(x: Any) -> tuple:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _prep(inputs: Any) -> tuple:
    return tuple(x.detach().requires_grad_(True) for x in _tuple(inputs))


def _unpack(xs: tuple, was_tuple: bool) -> Any:
    return xs if was_tuple else xs[0]


def _zeros_for_none(gs: tuple, xs: tuple) -> tuple:
    from .._tensor import Tensor

    return tuple(g if g is not None else Tensor._make(x._xp().zeros_like(x._data))
                 for g, x in zip(gs, xs))


def vjp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """(func(inputs), v^T J)."""
    from . import grad

    was_tuple = isinstance(inputs, (tuple, list))
    xs = _prep(inputs)
    out = func(*xs)
    outs = _tuple(out)
    gs = grad(outs, xs, _tuple(v) if v is not None else None, create_graph=create_graph,
              allow_unused=True)
    out_d = out if create_graph else (tuple(o.detach() for o in outs) if isinstance(out, tuple)
                                      else out.detach())
    return out_d, _unpack(_zeros_for_none(gs, xs), was_tuple)


def jvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """(func(inputs), J v) via the double-vjp trick."""
    from . import grad
    from .._tensor import Tensor

    xs = _prep(inputs)
    outs = _tuple(func(*xs))
    us = tuple(Tensor._make(o._xp().zeros_like(o._data)).requires_grad_(True) for o in outs)
    gs = grad(outs, xs, us, create_graph=True, allow_unused=True)
    pairs = [(g, vi) for g, vi in zip(gs, _tuple(v) if v is not None else
                                      tuple(Tensor._make(np.ones(x.shape, x._data.dtype)) for x in xs))
             if g is not None]
    jv = grad([p[0] for p in pairs], us, [p[1] for p in pairs], create_graph=create_graph,
              allow_unused=True)
    jv = _zeros_for_none(jv, outs)
    res = tuple(o if create_graph else o.detach() for o in outs)
    return _unpack(res, len(outs) > 1), _unpack(jv, len(outs) > 1)


def jacobian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
             vectorize: bool = False, strategy: str = "reverse-mode") -> Any:
    """J[i][j] of shape out_i.shape + in_j.shape (nested like torch for tuple inputs/outputs)."""
    from . import grad
    from .._tensor import Tensor
    from ..ops import stack

    was_tuple = isinstance(inputs, (tuple, list))
    xs = _prep(inputs)
    out = func(*xs)
    outs = _tuple(out)
    result = []
    for o in outs:
        rows: list[list] = [[] for _ in xs]
        for k in range(o.numel()):
            e = np.zeros(o.numel(), dtype=o._data.dtype)
            e[k] = 1
            gs = grad(o, xs, Tensor._make(e.reshape(o.shape)), retain_graph=True,
                      create_graph=create_graph, allow_unused=True) if o.requires_grad else \
                (None,) * len(xs)
            for j, g in enumerate(_zeros_for_none(gs, xs)):
                rows[j].append(g)
        per_in = tuple(stack(r).reshape(tuple(o.shape) + tuple(x.shape)) if r else
                       Tensor._make(np.zeros(tuple(o.shape) + tuple(x.shape), x._data.dtype))
                       for r, x in zip(rows, xs))
        result.append(per_in if was_tuple else per_in[0])
    return tuple(result) if isinstance(out, tuple) else result[0]


def hessian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
            vectorize: bool = False, outer_jacobian_strategy: str = "reverse-mode") -> Any:
    """Hessian of a scalar function: jacobian of its gradient."""
    from . import grad

    was_tuple = isinstance(inputs, (tuple, list))

    def gradient(*xs: Any) -> Any:
        out = func(*xs)
        if out.numel() != 1:
            raise RuntimeError("The function given to hessian should return a single element Tensor")
        gs = _zeros_for_none(grad(out, xs, create_graph=True, allow_unused=True), xs)
        return gs if was_tuple else gs[0]

    return jacobian(gradient, inputs, create_graph=create_graph)


def vhp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """(func(inputs), v^T H)."""
    from . import grad

    was_tuple = isinstance(inputs, (tuple, list))
    xs = _prep(inputs)
    out = func(*xs)
    gs = _zeros_for_none(grad(out, xs, create_graph=True, allow_unused=True), xs)
    pairs = [(g, vi, x) for g, vi, x in zip(gs, _tuple(v), xs) if g.requires_grad]
    hv = grad([p[0] for p in pairs], xs, [p[1] for p in pairs], create_graph=create_graph,
              allow_unused=True) if pairs else (None,) * len(xs)
    return (out if create_graph else out.detach()), _unpack(_zeros_for_none(hv, xs), was_tuple)


def hvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """(func(inputs), H v); the Hessian is symmetric so this equals vhp."""
    return vhp(func, inputs, v, create_graph, strict)
