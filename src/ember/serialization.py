"""ember.save / ember.load: tensors and (nested) state dicts in safetensors files — never pickle.

A state dict (flat ``{name: Tensor}``) is written as-is, so files round-trip with
``safetensors.torch``. Nested dicts/lists (optimizer state, checkpoints with epoch numbers) are
flattened to dotted keys with a JSON description of the structure in the file's metadata.
Writes are atomic: a temp file in the same folder, then ``os.replace``.
"""
from __future__ import annotations

import json
import numbers
import os
import tempfile
from typing import Any

import numpy as np

_META_KEY = "ember_structure"


def _flatten(obj: Any, prefix: str, tensors: dict) -> Any:
    from ._tensor import Tensor

    if isinstance(obj, Tensor):
        key = prefix or "tensor"
        tensors[key] = np.require(obj.detach().cpu().numpy(), requirements="C")  # keeps 0-d shapes
        return {"__tensor__": key}
    if isinstance(obj, np.ndarray):
        tensors[prefix] = np.require(obj, requirements="C")
        return {"__ndarray__": prefix}
    if isinstance(obj, dict):
        for k in obj:
            if not isinstance(k, (str, numbers.Integral)):
                raise TypeError(f"save(): dict keys must be str or int, got {type(k).__name__}")
        return {"__dict__": [[k, _flatten(v, f"{prefix}.{k}" if prefix else str(k), tensors)]
                             for k, v in obj.items()]}
    if isinstance(obj, (list, tuple)):
        tag = "__list__" if isinstance(obj, list) else "__tuple__"
        return {tag: [_flatten(v, f"{prefix}.{i}" if prefix else str(i), tensors)
                      for i, v in enumerate(obj)]}
    if obj is None or isinstance(obj, (str, bool, numbers.Number)):
        return {"__value__": obj.item() if isinstance(obj, np.generic) else obj}
    raise TypeError(f"save(): cannot serialize object of type {type(obj).__name__} without "
                    "pickle; use tensors, numbers, strings, lists and dicts")


def _unflatten(desc: Any, tensors: dict) -> Any:
    from ._tensor import Tensor

    if "__tensor__" in desc:
        return Tensor._make(tensors[desc["__tensor__"]])
    if "__ndarray__" in desc:
        return tensors[desc["__ndarray__"]]
    if "__dict__" in desc:
        return {k: _unflatten(v, tensors) for k, v in desc["__dict__"]}
    if "__list__" in desc:
        return [_unflatten(v, tensors) for v in desc["__list__"]]
    if "__tuple__" in desc:
        return tuple(_unflatten(v, tensors) for v in desc["__tuple__"])
    return desc["__value__"]


def save(obj: Any, f: Any) -> None:
    """Write ``obj`` (a Tensor, or nested dict/list of tensors and plain values) to path ``f``."""
    from safetensors.numpy import save as st_save

    path = os.fspath(f)
    tensors: dict = {}
    desc = _flatten(obj, "", tensors)
    blob = st_save(tensors, metadata={_META_KEY: json.dumps(desc)})
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".safetensors")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load(f: Any, map_location: Any = None, weights_only: bool = True) -> Any:
    """Read what ``save`` wrote (or any safetensors file: a flat {name: Tensor} dict)."""
    from safetensors import safe_open
    from safetensors.numpy import load as st_load

    path = os.fspath(f)
    if not os.path.exists(path):
        raise FileNotFoundError(f"load(): no such file: {path}")
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        tensors = st_load(data)
        with safe_open(path, framework="numpy") as sf:
            meta = sf.metadata() or {}
    except Exception as e:  # safetensors raises its own error types on corrupt headers
        raise RuntimeError(f"load(): {path} is not a valid safetensors file ({e})") from e
    if _META_KEY in meta:
        obj = _unflatten(json.loads(meta[_META_KEY]), tensors)
    else:
        from ._tensor import Tensor

        obj = {k: Tensor._make(v) for k, v in tensors.items()}
    if map_location is not None:
        obj = _map(obj, map_location)
    return obj


def _map(obj: Any, loc: Any) -> Any:
    from ._tensor import Tensor

    if isinstance(obj, Tensor):
        return obj.to(loc)
    if isinstance(obj, dict):
        return {k: _map(v, loc) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(_map(v, loc) for v in obj)
    return obj
