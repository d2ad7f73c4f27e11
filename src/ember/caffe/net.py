"""Net: builds the layer graph from a definition and runs it bottom-up; backward is autograd."""
from __future__ import annotations

from typing import Any

from .. import nn
from .._tensor import Tensor
from .blob import Blob
from .layers import LAYER_TYPES
from .proto import parse_net


class Net(nn.Module):
    """``Net(definition)``: ``forward(**inputs)`` returns ``{top_name: Blob}`` for every blob;
    ``loss_blobs`` names the tops of *Loss layers; ``backward()`` differentiates their sum."""

    def __init__(self, definition: Any) -> None:
        super().__init__()
        self.definition = parse_net(definition)
        shapes = {k: tuple(v) for k, v in self.definition.get("inputs", {}).items()}
        self.layer_defs = self.definition["layers"]
        self.layers = nn.ModuleDict()
        for ld in self.layer_defs:
            bottoms = [shapes[b] for b in ld.get("bottom", [])]
            module, tops = LAYER_TYPES[ld["type"]](ld.get("params", {}), bottoms)
            self.layers[ld["name"]] = module
            shapes.update(zip(ld["top"], tops))
        self.blob_shapes = shapes
        self.loss_blobs = [ld["top"][0] for ld in self.layer_defs if ld["type"].endswith("Loss")]
        self.blobs: dict = {}

    def forward(self, **inputs: Tensor) -> dict:
        missing = set(self.definition.get("inputs", {})) - set(inputs)
        if missing:
            raise ValueError(f"Net.forward: missing input blobs {sorted(missing)}")
        values = dict(inputs)
        for ld in self.layer_defs:
            out = self.layers[ld["name"]](*[values[b] for b in ld.get("bottom", [])])
            values[ld["top"][0]] = out
            for extra in ld["top"][1:]:  # in-place style tops share the value
                values[extra] = out
        self.blobs = {k: Blob(v) for k, v in values.items() if isinstance(v, Tensor)}
        return self.blobs

    def loss(self) -> Tensor:
        if not self.loss_blobs:
            raise RuntimeError("this net has no *Loss layer")
        total = self.blobs[self.loss_blobs[0]].tensor
        for name in self.loss_blobs[1:]:
            total = total + self.blobs[name].tensor
        return total

    def backward(self) -> None:
        self.loss().backward()
