"""Dropout modules (torch.nn names), and DropConnect (not in torch, documented below)."""
from __future__ import annotations

from typing import Any

from ..._tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout",
           "DropConnect"]


class _DropoutNd(Module):
    _fn = ""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, self._fn)(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Inverted dropout: in training zero each element with probability p and scale the rest by
    1/(1-p); identity in eval mode. An approximate bagging of weight-sharing sub-networks
    (TOPICS.md §1.8; claims C054-C056 in ember.experiments.regularization).

    Args:
        p: drop probability (the notes' keep probability 0.5 -> p = 0.5, keep 0.8 -> p = 0.2).
        inplace: overwrite the input. Default: False.

    Shape:
        input (*), output same shape.
    """

    _fn = "dropout"


class Dropout1d(_DropoutNd):
    """Drop whole channels of (N, C, L) / (C, L) input."""

    _fn = "dropout1d"


class Dropout2d(_DropoutNd):
    """Drop whole channels of (N, C, H, W) / (C, H, W) input."""

    _fn = "dropout2d"


class Dropout3d(_DropoutNd):
    """Drop whole channels of (N, C, D, H, W) / (C, D, H, W) input."""

    _fn = "dropout3d"


class AlphaDropout(_DropoutNd):
    """Dropout that keeps SELU activations at zero mean / unit variance (see F.alpha_dropout)."""

    _fn = "alpha_dropout"


class FeatureAlphaDropout(_DropoutNd):
    """AlphaDropout with one mask per channel."""

    _fn = "feature_alpha_dropout"


class DropConnect(Module):
    """DropConnect (Wan et al. 2013; not in torch): drop individual *weights* of a wrapped layer.

    In training, each forward replaces ``module.<name>`` by ``W * M / (1 - p)`` with a fresh
    M ~ Bernoulli(1 - p) of W's shape; gradients reach W through the mask (dropped weights get no
    update that step). In eval mode the layer runs with W, which is the notes' mean-field
    inference ``(1 - p) W`` of the unscaled formulation (TOPICS.md §1.8).

    Args:
        module: the layer whose parameter is dropped (e.g. Linear, Conv2d).
        p: drop probability per weight. Default: 0.5.   name: the parameter. Default: "weight".

    Notes:
        state_dict keys are the wrapped module's, prefixed by ``module.``.
    """

    def __init__(self, module: Module, p: float = 0.5, name: str = "weight") -> None:
        super().__init__()
        if not 0 <= p <= 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        if not isinstance(getattr(module, name, None), Tensor):
            raise ValueError(f"DropConnect: module {type(module).__name__} has no tensor attribute {name!r}")
        self.module, self.p, self.name = module, p, name

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        if not self.training or self.p == 0:
            return self.module(*args, **kwargs)
        params = self.module._parameters
        weight = params[self.name]
        params[self.name] = F.drop_connect(weight, self.p, True)
        try:
            return self.module(*args, **kwargs)
        finally:
            params[self.name] = weight

    def extra_repr(self) -> str:
        return f"p={self.p}, name={self.name!r}"
