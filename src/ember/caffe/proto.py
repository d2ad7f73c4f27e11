"""The declarative definitions ("prototxt" as a dict or JSON string) and their validation."""
from __future__ import annotations

import json
from typing import Any

_SOLVER_DEFAULTS = {"base_lr": 0.01, "lr_policy": "fixed", "gamma": 0.1, "stepsize": 1000,
                    "stepvalue": [], "power": 1.0, "max_iter": 1000, "momentum": 0.0,
                    "weight_decay": 0.0, "snapshot": 0, "snapshot_prefix": "snapshot"}
_POLICIES = ("fixed", "step", "multistep", "exp", "inv", "poly")


def _load(spec: Any) -> dict:
    if isinstance(spec, str):
        try:
            spec = json.loads(spec)
        except json.JSONDecodeError as e:
            raise ValueError(f"net/solver definition is not valid JSON: {e}") from e
    if not isinstance(spec, dict):
        raise TypeError(f"definition must be a dict or JSON string, got {type(spec).__name__}")
    return spec


def parse_net(spec: Any) -> dict:
    """Validate a net definition: {"name", "inputs": {blob: shape}, "layers": [{"name", "type",
    "bottom": [...], "top": [...], "params": {...}}]} with bottoms defined before use."""
    from .layers import LAYER_TYPES

    net = _load(spec)
    if "layers" not in net or not isinstance(net["layers"], list):
        raise ValueError("net definition needs a 'layers' list")
    known = set(net.get("inputs", {}))
    names = set()
    for i, layer in enumerate(net["layers"]):
        for key in ("name", "type", "top"):
            if key not in layer:
                raise ValueError(f"layer {i} is missing '{key}'")
        if layer["name"] in names:
            raise ValueError(f"duplicate layer name {layer['name']!r}")
        names.add(layer["name"])
        if layer["type"] not in LAYER_TYPES:
            raise ValueError(f"layer {layer['name']!r}: unknown type {layer['type']!r}; registered "
                             f"types: {sorted(LAYER_TYPES)}")
        for b in layer.get("bottom", []):
            if b not in known:
                raise ValueError(f"layer {layer['name']!r}: bottom blob {b!r} is not produced by an "
                                 "earlier layer (nets are defined bottom-up)")
        known.update(layer["top"])
    return net


def parse_solver(spec: Any) -> dict:
    s = dict(_SOLVER_DEFAULTS)
    s.update(_load(spec))
    if s["lr_policy"] not in _POLICIES:
        raise ValueError(f"lr_policy must be one of {_POLICIES}, got {s['lr_policy']!r}")
    if s["base_lr"] <= 0:
        raise ValueError(f"base_lr must be positive, got {s['base_lr']}")
    return s
