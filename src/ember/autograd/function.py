"""Function: one differentiable operation = forward + backward, recorded as a graph node.

Two flavours share one mechanism:

* ``Function`` (public, like ``torch.autograd.Function``): ``forward(ctx, *args)`` receives ember
  Tensors and runs under no_grad; ``backward(ctx, *grads)`` returns one gradient per input.
* ``Op`` (ember's built-in ops): ``forward(ctx, *args)`` receives the raw arrays (numpy/cupy) of
  the Tensor arguments and returns arrays; ``backward`` is written in ember Tensor ops, so
  ``create_graph=True`` differentiates it again (higher-order gradients for free).

``ctx`` is the graph node itself (``tensor.grad_fn``).
"""
from __future__ import annotations

import numbers
import weakref

import numpy as np
from typing import Any

from .grad_mode import _grad_enabled, no_grad
from . import anomaly_mode


class Node:
    """The backward node of one op application; it is also the ``ctx`` handed to forward/backward.

    Attributes:
        inputs: the forward arguments (Tensors and other values), in order.
        needs_input_grad: per argument, whether a gradient is wanted.
        outputs: weak references to the output Tensors (for hooks and retain_grad).
    """

    def __init__(self, fn: type) -> None:
        self.fn = fn
        self.inputs: tuple = ()
        self.needs_input_grad: tuple = ()
        self.outputs: tuple = ()
        self.materialize_grads = True
        self._to_save: tuple | None = None
        self._saved: tuple | None = None
        self._released = False
        self._non_diff: set = set()
        self._trace: Any = None

    # --- the ctx API ---------------------------------------------------------------------
    def save_for_backward(self, *tensors: Any) -> None:
        """Save inputs/outputs (arrays in an Op, Tensors in a Function) for backward."""
        self._to_save = tensors

    @property
    def saved_tensors(self) -> tuple:
        """The saved values as Tensors (inputs and outputs keep their graph for double backward)."""
        if self._released:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved "
                "tensors after they have already been freed). Saved intermediate values of the graph "
                "are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if "
                "you need to backward through the graph a second time or if you need to access saved "
                "tensors after calling backward.")
        if self._saved is None:
            return ()
        out = []
        for kind, val, version in self._saved:
            if kind == "scalar":
                out.append(val)
                continue
            t = val() if kind == "out" else val
            if t is None:
                raise RuntimeError(f"{self.name()}: a saved output tensor was freed before backward")
            if version is not None and t._version[0] != version:
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by an "
                    f"inplace operation: [{t.type()} {list(t.shape)}], which is output "
                    f"{t._output_nr} of {t.grad_fn.name() if t.grad_fn else 'a leaf'}, is at version "
                    f"{t._version[0]}; expected version {version} instead. Hint: the backward of "
                    f"{self.name()} needs it unchanged.")
            out.append(t)
        return tuple(out)

    def mark_non_differentiable(self, *outputs: Any) -> None:
        """Outputs marked here get requires_grad=False (e.g. argmax indices)."""
        self._non_diff.update(id(o) for o in outputs)

    def set_materialize_grads(self, value: bool) -> None:
        """If False, backward may receive None for outputs that got no gradient."""
        self.materialize_grads = bool(value)

    # --- node API ------------------------------------------------------------------------
    def name(self) -> str:
        return f"{self.fn.__name__}Backward0"

    @property
    def next_functions(self) -> tuple:
        return tuple((getattr(t, "grad_fn", None), 0) for t in self.inputs if _is_tensor(t))

    def release(self) -> None:
        """Free saved values (called after backward without retain_graph)."""
        self._saved = None
        self._released = True

    def __repr__(self) -> str:
        return f"<{self.name()} object at {hex(id(self))}>"


def _is_tensor(x: Any) -> bool:
    return isinstance(x, _Tensor)


class Function:
    """Base class for custom differentiable functions (torch.autograd.Function semantics).

    Subclass with two staticmethods and call ``MyFn.apply(*args)``::

        class Exp(Function):
            @staticmethod
            def forward(ctx, x):          # x: Tensor (grad recording is off here)
                y = x.exp()
                ctx.save_for_backward(y)
                return y

            @staticmethod
            def backward(ctx, grad):      # one gradient per forward argument (None if none)
                (y,) = ctx.saved_tensors
                return grad * y
    """

    _raw = False  # Op sets True: forward gets arrays
    _view = False  # view ops set True: outputs share storage with the first argument

    @staticmethod
    def forward(ctx: Node, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("Function subclasses must define a static forward(ctx, ...)")

    @staticmethod
    def backward(ctx: Node, *grads: Any) -> Any:
        raise TypeError("Function subclasses must define a static backward(ctx, *grads)")

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        T = _Tensor
        record = False
        if _grad_enabled.get():
            needs = tuple([isinstance(a, T) and a.requires_grad for a in args])
            record = True in needs
        ctx = Node(cls)
        if cls._raw:
            raw = [a._data if isinstance(a, T) else a for a in args]  # noqa: C416
            out = cls.forward(ctx, *raw, **kwargs)
        else:
            with no_grad():
                out = cls.forward(ctx, *args, **kwargs)
        single = not isinstance(out, tuple)
        outs = (out,) if single else out
        raw_outs = outs
        if cls._raw:
            outs = tuple([T._make(o) if o is not None else None for o in outs])
            if cls._view:  # outputs alias args[0]: share its version counter (torch views)
                src = args[0]
                for o in outs:
                    if o._data.base is not None:
                        o._version = src._version
                        o._base = src._base if src._base is not None else src
        else:
            outs = tuple(_own(o, args) for o in outs)
        if record:
            ctx.inputs = args
            ctx.needs_input_grad = needs
            refs: list[Any] = []
            for i, o in enumerate(outs):
                if o is None or not o.dtype.is_floating_point or id(o) in ctx._non_diff \
                        or (cls._raw and id(o._data) in ctx._non_diff):
                    refs.append(None)
                    continue
                o.requires_grad = True
                o.grad_fn = ctx
                o._output_nr = i
                refs.append(weakref.ref(o))
            ctx.outputs = tuple(refs)
            if ctx._to_save is not None:
                ctx._saved = _resolve_saved(ctx._to_save, args, outs, cls._raw, raw_outs)
            if anomaly_mode.is_anomaly_enabled():
                ctx._trace = anomaly_mode.capture_trace()
        ctx._to_save = None
        return outs[0] if single else outs


class Op(Function):
    """Base class of ember's built-in ops: forward on raw arrays, backward in ember ops."""

    _raw = True


def _own(o: Any, args: tuple) -> Any:
    """A user forward may return one of its inputs: give it a fresh Tensor sharing the data."""
    if isinstance(o, _Tensor) and any(o is a for a in args):
        return o._view_of(o._data)
    if isinstance(o, _Tensor):
        o.grad_fn = None
        o.requires_grad = False
    return o


def _resolve_saved(items: tuple, args: tuple, outs: tuple, raw: bool,
                   raw_outs: tuple | None = None) -> tuple:
    """Map saved arrays/Tensors to (kind, value, version) triples."""
    saved: list[tuple[str, Any, Any]] = []
    for x in items:
        if x is None or (isinstance(x, numbers.Number) and not isinstance(x, np.generic)):
            saved.append(("scalar", x, None))
            continue
        hit = None
        for a in args:
            if isinstance(a, _Tensor) and (a is x or (raw and a._data is x)):
                hit = ("in", a, a._version[0])
                break
        if hit is None and raw_outs is not None:  # numpy ufuncs return scalars for 0-d inputs
            for o_raw, o in zip(raw_outs, outs):
                if o is not None and o_raw is x:
                    hit = ("out", weakref.ref(o), o._version[0])
                    break
        if hit is None:
            for o in outs:
                if o is not None and (o is x or (raw and o._data is x)):
                    hit = ("out", weakref.ref(o), o._version[0])
                    break
        if hit is None:
            t = x if isinstance(x, _Tensor) else _Tensor._make(x)
            hit = ("const", t, None)
        saved.append(hit)
    return tuple(saved)


def _bind_tensor(cls: type) -> None:
    """Called once by ember._tensor to break the import cycle."""
    global _Tensor
    _Tensor = cls


_Tensor: Any = None
