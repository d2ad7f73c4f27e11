"""Process groups: all_reduce over ranks. ``ProcessGroup`` simulates ``world_size`` ranks inside
one process (each rank contributes its tensors in turn); ``MPIProcessGroup`` uses mpi4py."""
from __future__ import annotations

from enum import Enum
from typing import Any

import numpy as np

from .._tensor import Tensor


class ReduceOp(Enum):
    SUM = "sum"
    AVG = "avg"
    MAX = "max"
    MIN = "min"


def _reduce(arrays: list, op: ReduceOp) -> np.ndarray:
    stack = np.stack(arrays)
    if op is ReduceOp.SUM:
        return stack.sum(0)
    if op is ReduceOp.AVG:
        return stack.mean(0)
    if op is ReduceOp.MAX:
        return stack.max(0)
    return stack.min(0)


class ProcessGroup:
    """In-process simulation of ``world_size`` ranks for all_reduce.

    ``all_reduce_many(per_rank)`` takes one list of tensors per rank and writes the reduced
    value into every rank's tensor in place (what NCCL/MPI all-reduce does).
    """

    def __init__(self, world_size: int) -> None:
        if world_size < 1:
            raise ValueError(f"world_size must be >= 1, got {world_size}")
        self.world_size = world_size
        self.rank = 0

    def all_reduce_many(self, per_rank: list, op: ReduceOp = ReduceOp.SUM) -> None:
        if len(per_rank) != self.world_size:
            raise ValueError(f"all_reduce_many: expected tensors from {self.world_size} ranks, got "
                             f"{len(per_rank)}")
        for group in zip(*per_rank):
            red = _reduce([t._data for t in group], op)
            for t in group:
                t._data[...] = red
                t._version[0] += 1

    def all_reduce(self, tensor: Tensor, op: ReduceOp = ReduceOp.SUM) -> Tensor:
        """Single-rank view: with one participant the reduction is the identity (AVG too)."""
        return tensor


class MPIProcessGroup(ProcessGroup):
    """all_reduce across MPI processes (mpi4py); run with ``mpiexec -n 4 python train.py``."""

    def __init__(self) -> None:
        try:
            from mpi4py import MPI  # type: ignore[import-not-found]
        except ImportError as e:
            raise RuntimeError("MPIProcessGroup needs mpi4py: pip install 'ember[mpi]'") from e
        self._mpi = MPI
        self.comm = MPI.COMM_WORLD
        super().__init__(self.comm.Get_size())
        self.rank = self.comm.Get_rank()

    def all_reduce(self, tensor: Tensor, op: ReduceOp = ReduceOp.SUM) -> Tensor:
        MPI = self._mpi
        buf = np.ascontiguousarray(tensor._data)
        out = np.empty_like(buf)
        mpi_op = {ReduceOp.SUM: MPI.SUM, ReduceOp.AVG: MPI.SUM, ReduceOp.MAX: MPI.MAX,
                  ReduceOp.MIN: MPI.MIN}[op]
        self.comm.Allreduce(buf, out, op=mpi_op)
        if op is ReduceOp.AVG:
            out /= self.world_size
        tensor._data[...] = out
        tensor._version[0] += 1
        return tensor


_default: dict[str, Any] = {"group": None}


def init_process_group(backend: str = "sim", world_size: int = 1) -> ProcessGroup:
    """backend 'sim' (in-process simulation) or 'mpi' (mpi4py)."""
    if backend == "mpi":
        group: ProcessGroup = MPIProcessGroup()
    elif backend == "sim":
        group = ProcessGroup(world_size)
    else:
        raise ValueError(f"init_process_group: backend must be 'sim' or 'mpi', got {backend!r}")
    _default["group"] = group
    return group


def is_initialized() -> bool:
    return _default["group"] is not None


def _group() -> ProcessGroup:
    if _default["group"] is None:
        raise RuntimeError("Default process group has not been initialized, please make sure to "
                           "call init_process_group.")
    return _default["group"]


def get_rank() -> int:
    return _group().rank


def get_world_size() -> int:
    return _group().world_size


def all_reduce(tensor: Tensor, op: ReduceOp = ReduceOp.SUM) -> Tensor:
    return _group().all_reduce(tensor, op)
