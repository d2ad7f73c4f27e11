"""ember.autograd: reverse-mode automatic differentiation (torch.autograd's API)."""
from __future__ import annotations

from typing import Any, Sequence

from .anomaly_mode import detect_anomaly, set_detect_anomaly
from .engine import run_backward
from .function import Function, Node, Op
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled,
                        no_grad, set_grad_enabled)

__all__ = ["Function", "Op", "Node", "backward", "grad", "no_grad", "enable_grad",
           "set_grad_enabled", "inference_mode", "is_grad_enabled", "detect_anomaly",
           "set_detect_anomaly", "gradcheck", "gradgradcheck", "functional"]


def _as_seq(x: Any) -> list:
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _root_grads(outputs: list, grad_outputs: list) -> list:
    from .._tensor import Tensor

    grads = []
    for i, out in enumerate(outputs):
        g = grad_outputs[i] if i < len(grad_outputs) else None
        if g is None:
            if out.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            g = Tensor._make(out._xp().ones(out.shape, dtype=out._data.dtype))
        elif not isinstance(g, Tensor):
            g = Tensor._make(out._xp().asarray(g, dtype=out._data.dtype))
        elif g.shape != out.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and "
                               f"output[{i}] has a shape of {out.shape}.")
        grads.append(g)
    return grads


def _check_outputs(outputs: list) -> None:
    for i, o in enumerate(outputs):
        if not o.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a "
                               "grad_fn")


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False, inputs: Any = None) -> None:
    """Accumulate the gradients of ``tensors`` w.r.t. graph leaves into their ``.grad``.

    ``grad_tensors`` is required for non-scalar outputs (the vector of the vector-Jacobian
    product). The graph is freed unless ``retain_graph`` (defaults to ``create_graph``).
    """
    outs = _as_seq(tensors)
    _check_outputs(outs)
    grads = _root_grads(outs, _as_seq(grad_tensors))
    retain = create_graph if retain_graph is None else retain_graph
    ins = _as_seq(inputs) or None
    run_backward(outs, grads, retain, create_graph, inputs=ins, accumulate=True)


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, allow_unused: bool | None = None,
         materialize_grads: bool = False) -> tuple:
    """Return d(outputs)/d(inputs) (vector-Jacobian product with ``grad_outputs``) without
    touching ``.grad``. With ``create_graph=True`` the result is itself differentiable."""
    from .._tensor import Tensor

    outs = _as_seq(outputs)
    ins = _as_seq(inputs)
    for i, t in enumerate(ins):
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise RuntimeError(f"One of the differentiated Tensors (input {i}) does not require grad")
    _check_outputs(outs)
    grads = _root_grads(outs, _as_seq(grad_outputs))
    retain = create_graph if retain_graph is None else retain_graph
    captured = run_backward(outs, grads, retain, create_graph, inputs=ins, accumulate=False)
    result = []
    for i, t in enumerate(ins):
        g = captured.get(id(t))
        if g is None:
            if materialize_grads:
                g = Tensor._make(t._xp().zeros_like(t._data))
            elif not allow_unused:
                raise RuntimeError(f"One of the differentiated Tensors (input {i}) appears to not "
                                   "have been used in the graph. Set allow_unused=True if this is "
                                   "the desired behavior.")
        elif not create_graph:
            g = g.detach()
        result.append(g)
    return tuple(result)


from .gradcheck import GradcheckError, gradcheck, gradgradcheck  # noqa: E402
from . import functional  # noqa: E402
