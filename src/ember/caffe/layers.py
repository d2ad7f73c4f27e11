"""Layer registry: Caffe type name -> builder(params, bottom_shapes) -> (module, top_shapes)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import nn

LAYER_TYPES: dict[str, Callable[..., Any]] = {}


def register_layer(type_name: str) -> Callable:
    """Decorator: make a builder available to nets under ``type_name``."""

    def deco(fn: Callable) -> Callable:
        LAYER_TYPES[type_name] = fn
        return fn

    return deco


def _out(n: int, k: int, s: int, p: int) -> int:
    return (n + 2 * p - k) // s + 1


@register_layer("Convolution")
def _conv(p: dict, shapes: list) -> tuple:
    n, c, h, w = shapes[0]
    k, s, pad, g = p["kernel_size"], p.get("stride", 1), p.get("pad", 0), p.get("group", 1)
    m = nn.Conv2d(c, p["num_output"], k, s, pad, groups=g, bias=p.get("bias_term", True))
    return m, [(n, p["num_output"], _out(h, k, s, pad), _out(w, k, s, pad))]


@register_layer("Pooling")
def _pool(p: dict, shapes: list) -> tuple:
    n, c, h, w = shapes[0]
    k, s = p["kernel_size"], p.get("stride", p["kernel_size"])
    m = nn.MaxPool2d(k, s) if p.get("pool", "MAX") == "MAX" else nn.AvgPool2d(k, s)
    return m, [(n, c, _out(h, k, s, 0), _out(w, k, s, 0))]


@register_layer("InnerProduct")
def _ip(p: dict, shapes: list) -> tuple:
    fan_in = int(np.prod(shapes[0][1:]))
    return nn.Sequential(nn.Flatten(), nn.Linear(fan_in, p["num_output"])), \
        [(shapes[0][0], p["num_output"])]


@register_layer("ReLU")
def _relu(p: dict, shapes: list) -> tuple:
    return nn.ReLU(), [shapes[0]]


@register_layer("Sigmoid")
def _sigmoid(p: dict, shapes: list) -> tuple:
    return nn.Sigmoid(), [shapes[0]]


@register_layer("Dropout")
def _dropout(p: dict, shapes: list) -> tuple:
    return nn.Dropout(p.get("dropout_ratio", 0.5)), [shapes[0]]


@register_layer("SoftmaxWithLoss")
def _softmax_loss(p: dict, shapes: list) -> tuple:
    return nn.CrossEntropyLoss(), [()]


@register_layer("EuclideanLoss")
def _euclid(p: dict, shapes: list) -> tuple:
    class Euclidean(nn.Module):
        """Caffe's EuclideanLoss: sum((a - b)^2) / (2 N)."""

        def forward(self, a, b):
            return ((a - b) ** 2).sum() / (2 * a.shape[0])

    return Euclidean(), [()]


@register_layer("Accuracy")
def _accuracy(p: dict, shapes: list) -> tuple:
    class Accuracy(nn.Module):
        def forward(self, scores, labels):
            return (scores.argmax(1) == labels).float().mean()

    return Accuracy(), [()]
