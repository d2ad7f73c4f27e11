"""Data parallelism: replicas on batch shards with gradient all-reduce."""
from __future__ import annotations

import copy
from typing import Any, Callable, Sequence

from .. import ops
from .._tensor import Tensor
from ..nn import Module
from .process_group import ProcessGroup, ReduceOp, _group


class DataParallel(Module):
    """torch.nn.DataParallel: split the batch along ``dim`` over ``device_ids`` replicas, run
    them, concatenate the outputs. The replicas share the wrapped module's parameters, so the
    gradients of a full-batch loss are exactly those of the unsplit model. (BatchNorm sees
    per-replica statistics, as with torch's DataParallel.)"""

    def __init__(self, module: Module, device_ids: Sequence[Any] | None = None,
                 output_device: Any = None, dim: int = 0) -> None:
        super().__init__()
        self.module = module
        self.device_ids = list(device_ids) if device_ids is not None else [0]
        self.dim = dim

    def forward(self, *inputs: Any) -> Tensor:
        n = len(self.device_ids)
        if n == 1:
            return self.module(*inputs)
        shards = [ops.chunk(x, n, self.dim) if isinstance(x, Tensor) else [x] * n for x in inputs]
        outs = [self.module(*args) for args in zip(*shards)]
        return ops.cat(outs, self.dim)


class DistributedDataParallel(Module):
    """torch's DDP: each process holds a replica; after ``backward`` call ``sync_gradients()``
    (torch does it from autograd hooks) to average gradients over the process group."""

    def __init__(self, module: Module, process_group: ProcessGroup | None = None) -> None:
        super().__init__()
        self.module = module
        self._pg = process_group

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        return self.module(*inputs, **kwargs)

    def sync_gradients(self) -> None:
        pg = self._pg or _group()
        for p in self.module.parameters():
            if p.grad is not None:
                pg.all_reduce(p.grad, ReduceOp.AVG)


def data_parallel_step(model: Module, loss_fn: Callable[[Tensor, Tensor], Tensor], x: Tensor,
                       y: Tensor, n_workers: int) -> list:
    """Simulate one synchronous data-parallel step with ``n_workers`` replicas.

    Each worker deep-copies the model, computes the batch-mean loss on its shard and its own
    gradients; the gradients are all-reduced (averaged) and written to ``model``'s ``.grad``.
    Returns the per-worker losses. With equal shards this equals full-batch backward.
    """
    if x.shape[0] % n_workers:
        raise ValueError(f"data_parallel_step: batch {x.shape[0]} is not divisible by "
                         f"n_workers={n_workers}")
    replicas = [copy.deepcopy(model) for _ in range(n_workers)]
    losses = []
    for rep, xs, ys in zip(replicas, ops.chunk(x, n_workers), ops.chunk(y, n_workers)):
        rep.zero_grad()
        loss = loss_fn(rep(xs), ys)
        loss.backward()
        losses.append(loss.item())
    grads = [[p.grad for p in rep.parameters()] for rep in replicas]
    ProcessGroup(n_workers).all_reduce_many(grads, ReduceOp.AVG)
    for p, g in zip(model.parameters(), grads[0]):
        p.grad = g.clone()
    return losses
