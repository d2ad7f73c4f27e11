"""The backward engine: reverse-mode differentiation over the recorded graph.

``run_backward`` walks the nodes reachable from the roots in reverse topological order, calls each
node's ``backward`` (under grad mode ``create_graph``) and either accumulates into the leaves'
``.grad`` (``Tensor.backward``) or returns the gradients of chosen inputs (``autograd.grad``).
"""
from __future__ import annotations

from typing import Any, Sequence

from . import anomaly_mode
from . import function as _function
from .grad_mode import _grad_enabled


def _topo_order(roots: Sequence[Any]) -> list:
    """Nodes reachable from ``roots`` in post-order (every node after all nodes it depends on)."""
    order: list = []
    seen: set = set()
    stack = [(n, False) for n in roots]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        for t in node.inputs:
            fn = getattr(t, "grad_fn", None)
            if fn is not None and fn not in seen:
                stack.append((fn, False))
    return order


def _add(a: Any, b: Any) -> Any:
    return b if a is None else a + b


def _run_hooks(t: Any, g: Any) -> Any:
    for hook in t._hooks or ():
        r = hook(g)
        if r is not None:
            g = r
    return g


def _check_grad(node: Any, i: int, inp: Any, g: Any) -> Any:
    Tensor = _function._Tensor
    if not isinstance(g, Tensor):
        g = Tensor._make(g)
    if g.shape != inp.shape:
        raise RuntimeError(f"Function {node.name()} returned an invalid gradient at index {i} - got "
                           f"{list(g.shape)} but expected shape compatible with {list(inp.shape)}")
    if g.dtype is not inp.dtype and inp.dtype.is_floating_point:
        g = g.to(inp.dtype)
    if anomaly_mode.is_anomaly_enabled():
        xp = g._xp()
        if not bool(xp.isfinite(g._data).all()):
            where = f"\nForward call that created it:\n{node._trace}" if node._trace else ""
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output."
                               + where)
    return g


def _call_backward(node: Any, grads: list, create_graph: bool) -> tuple:
    Tensor = _function._Tensor
    if node._released:
        node.saved_tensors  # raises the "backward through the graph a second time" error
    if node.materialize_grads:
        for i, g in enumerate(grads):
            if g is None:
                o = node.outputs[i]() if node.outputs[i] is not None else None
                if o is not None:
                    grads[i] = Tensor._make(o._xp().zeros_like(o._data))
    token = _grad_enabled.set(create_graph)  # the backward runs in grad mode create_graph
    try:
        out = node.fn.backward(node, *grads)
    finally:
        _grad_enabled.reset(token)
    out = out if isinstance(out, tuple) else (out,)
    if len(out) < len(node.inputs):
        if len(out) == 0 or any(isinstance(a, Tensor) for a in node.inputs[len(out):]):
            raise RuntimeError(f"function {node.name()} returned an incorrect number of gradients "
                               f"(expected {len(node.inputs)}, got {len(out)})")
    return out


def run_backward(roots: Sequence[Any], root_grads: Sequence[Any], retain_graph: bool,
                 create_graph: bool, inputs: Sequence[Any] | None = None,
                 accumulate: bool = True) -> dict:
    """Backpropagate ``root_grads`` from ``roots``.

    With ``accumulate`` the leaves' ``.grad`` are updated (only those in ``inputs`` when given);
    otherwise the gradients of ``inputs`` are returned as ``{id(tensor): grad}``.
    """
    targets = {id(t): t for t in inputs} if inputs is not None else None
    captured: dict = {}
    leaf_grads: dict = {}
    buffers: dict = {}
    root_nodes = []
    for t, g in zip(roots, root_grads):
        if t.grad_fn is None:
            leaf_grads[id(t)] = (t, _add(leaf_grads.get(id(t), (t, None))[1], g))
        else:
            buf = buffers.setdefault(t.grad_fn, [None] * len(t.grad_fn.outputs))
            buf[t._output_nr] = _add(buf[t._output_nr], g)
            root_nodes.append(t.grad_fn)
    order = _topo_order(root_nodes)
    needed = _needed_nodes(order, targets) if (targets is not None and not accumulate) else None
    for node in reversed(order):
        grads = buffers.pop(node, None)
        if grads is None or (needed is not None and node not in needed):
            continue
        for i, ref in enumerate(node.outputs):
            t = ref() if ref is not None else None
            if t is None or grads[i] is None:
                continue
            if t._hooks:
                grads[i] = _run_hooks(t, grads[i])
            if t._retains_grad and accumulate:
                g = grads[i] if create_graph else grads[i].detach()
                t.grad = g if t.grad is None else t.grad + g
            if targets is not None and id(t) in targets:
                captured[id(t)] = _add(captured.get(id(t)), grads[i])
        in_grads = _call_backward(node, grads, create_graph)
        for i, inp in enumerate(node.inputs):
            if i >= len(in_grads) or in_grads[i] is None or not node.needs_input_grad[i]:
                continue
            g = _check_grad(node, i, inp, in_grads[i])
            if inp.grad_fn is None:
                prev = leaf_grads.get(id(inp), (inp, None))[1]
                leaf_grads[id(inp)] = (inp, _add(prev, g))
            else:
                buf = buffers.setdefault(inp.grad_fn, [None] * len(inp.grad_fn.outputs))
                buf[inp._output_nr] = _add(buf[inp._output_nr], g)
        if not retain_graph:
            node.release()
    for key, (leaf, g) in leaf_grads.items():
        if leaf._hooks:
            g = _run_hooks(leaf, g)
        if targets is not None and key in targets:
            captured[key] = _add(captured.get(key), g)
        if accumulate and (targets is None or key in targets) and leaf.requires_grad:
            _accumulate(leaf, g, create_graph)
    return captured


def _needed_nodes(order: list, targets: dict) -> set:
    """Nodes from which some target tensor is reachable (autograd.grad skips the rest)."""
    needed: set = set()
    target_fns = {t.grad_fn for t in targets.values() if t.grad_fn is not None}
    for node in order:  # post-order: inputs' nodes come first
        if node in target_fns:
            needed.add(node)
            continue
        for t in node.inputs:
            if id(t) in targets or getattr(t, "grad_fn", None) in needed:
                needed.add(node)
                break
    return needed


def _accumulate(leaf: Any, g: Any, create_graph: bool) -> None:
    """AccumulateGrad: .grad = g (first time) or .grad + g, detached unless create_graph."""
    if not create_graph:
        g = g.detach()
    if leaf.grad is None:
        # copy: the same gradient Tensor may reach several leaves (z = x + y)
        leaf.grad = g if create_graph else type(g)._make(g._data.copy())
    elif create_graph:
        leaf.grad = leaf.grad + g
    else:
        leaf.grad._data += g._data
