"""Model parallelism: different layers on different devices, activations moved between them.

NumPy has one device, so devices are tags: ``transfer(x, "dev1")`` is the explicit copy an
activation makes between devices (an identity in value, recorded in ``PipelineModel.traffic``),
and its backward sends the gradient back. The output equals the single-device model exactly.
"""
from __future__ import annotations

from typing import Any, Sequence

from .._tensor import Tensor
from ..autograd.function import Op
from ..nn import Module, ModuleList


class Transfer(Op):
    """y = x copied to another (virtual) device.   dx = g copied back."""

    @staticmethod
    def forward(ctx, x, device, log):
        if log is not None:
            log.append((device, x.nbytes))
        return x.copy()

    @staticmethod
    def backward(ctx, g):
        return Transfer.apply(g, "back", None), None, None


def transfer(x: Tensor, device: str, log: list | None = None) -> Tensor:
    """Copy activation ``x`` to virtual device ``device`` (appends (device, bytes) to ``log``)."""
    return Transfer.apply(x, device, log)


class PipelineModel(Module):
    """Stages on devices: ``PipelineModel([stage0, stage1], ["dev0", "dev1"])``; forward runs
    stage i on device i and transfers the activation between stages (the notes' example:
    Linear(10, 10) on device 0 feeding Linear(10, 5) on device 1)."""

    def __init__(self, stages: Sequence[Module], devices: Sequence[str]) -> None:
        super().__init__()
        if len(stages) != len(devices):
            raise ValueError(f"PipelineModel: {len(stages)} stages but {len(devices)} devices")
        self.stages = ModuleList(stages)
        self.devices = list(devices)
        self.traffic: list = []

    def forward(self, x: Any) -> Any:
        for stage, dev in zip(self.stages, self.devices):
            x = stage(transfer(x, dev, self.traffic))
        return x
