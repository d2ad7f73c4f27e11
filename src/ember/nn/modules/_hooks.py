"""Hook plumbing for nn.Module: removable handles and the full-backward-hook identity nodes.

torch's ``register_full_backward_hook`` wraps a module's tensor inputs and outputs in identity
autograd nodes: the node on the outputs sees ``grad_output``, the node on the inputs sees
``grad_input`` and calls ``hook(module, grad_input, grad_output)``. This file does the same with
``ember.autograd.Function``.
"""
from __future__ import annotations

import itertools
from collections import OrderedDict
from typing import Any, Callable

from ...autograd.function import Function
from ...autograd.grad_mode import _grad_enabled
from ..._tensor import Tensor

_ids = itertools.count()


class RemovableHandle:
    """A handle returned by every ``register_*_hook``; ``remove()`` unregisters the hook.

    Usable as a context manager (the hook is removed on exit), like torch.utils.hooks.RemovableHandle.
    """

    def __init__(self, *dicts: dict) -> None:
        self.id = next(_ids)
        self._dicts = dicts

    def remove(self) -> None:
        for d in self._dicts:
            d.pop(self.id, None)

    def __enter__(self) -> "RemovableHandle":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()


def add_hook(hooks: OrderedDict, hook: Callable, prepend: bool, *extra: dict) -> RemovableHandle:
    """Insert ``hook`` into ``hooks`` (first if ``prepend``) and return its handle."""
    handle = RemovableHandle(hooks, *extra)
    hooks[handle.id] = hook
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


class _Identity(Function):
    """y_i = x_i for every tensor argument; backward calls ``callback(grads)`` (may replace them)."""

    @staticmethod
    def forward(ctx: Any, callback: Callable, *tensors: Tensor) -> tuple:
        ctx.callback = callback
        return tuple(t.view_as(t) for t in tensors)

    @staticmethod
    def backward(ctx: Any, *grads: Any) -> tuple:
        return (None,) + tuple(ctx.callback(grads))


def _tensor_slots(value: Any) -> tuple[list[int], list[Tensor]]:
    items = value if isinstance(value, tuple) else (value,)
    idx = [i for i, v in enumerate(items) if isinstance(v, Tensor) and v.requires_grad]
    return idx, [items[i] for i in idx]


def _replace(value: Any, idx: list[int], new: tuple) -> Any:
    if not isinstance(value, tuple):
        return new[0] if idx else value
    items = list(value)
    for i, t in zip(idx, new):
        items[i] = t
    return tuple(items)


class BackwardHook:
    """One forward call's state for the module's full backward (pre-)hooks."""

    def __init__(self, module: Any, hooks: list, pre_hooks: list) -> None:
        self.module, self.hooks, self.pre_hooks = module, hooks, pre_hooks
        self.grad_output: tuple | None = None
        self.n_inputs = 0
        self.input_seen = False

    def setup_input_hook(self, args: tuple) -> tuple:
        idx, tensors = _tensor_slots(args)
        self.n_inputs = len(tensors)
        if not tensors or not _grad_enabled.get():
            return args
        return _replace(args, idx, _Identity.apply(self._on_input_grad, *tensors))

    def setup_output_hook(self, result: Any) -> Any:
        idx, tensors = _tensor_slots(result)
        if not tensors or not _grad_enabled.get():
            return result
        return _replace(result, idx, _Identity.apply(self._on_output_grad, *tensors))

    def _on_output_grad(self, grads: tuple) -> tuple:
        for hook in self.pre_hooks:
            r = hook(self.module, grads)
            if r is not None:
                grads = tuple(r) if isinstance(r, (tuple, list)) else (r,)
        self.grad_output = grads
        if self.n_inputs == 0:  # nothing upstream needs grad: torch calls the hooks with None inputs
            for hook in self.hooks:
                hook(self.module, (None,), grads)
        return grads

    def _on_input_grad(self, grads: tuple) -> tuple:
        for hook in self.hooks:
            r = hook(self.module, grads, self.grad_output)
            if r is not None:
                r = tuple(r) if isinstance(r, (tuple, list)) else (r,)
                if len(r) != len(grads):
                    raise RuntimeError(f"Backward hook returned an invalid number of grad_input, got "
                                       f"{len(r)}, but expected {len(grads)}")
                grads = r
        return grads
