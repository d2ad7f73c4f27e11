"""Helpers of nn.Module kept out of module.py: to() argument parsing, per-module state-dict
loading (torch's ``_load_from_state_dict`` body) and forward pre-hooks."""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import _backend, _dtype
from ..._tensor import Tensor
from ..parameter import Parameter

_EXTRA = "_extra_state"


def parse_to(args: tuple, kwargs: dict) -> tuple[Any, Any]:
    """(device, dtype) from Module.to's torch-style arguments (either may be None)."""
    dev, dt = kwargs.pop("device", None), kwargs.pop("dtype", None)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
    for a in args:
        if isinstance(a, Tensor):
            dev, dt = a.device, a.dtype
        elif isinstance(a, (str, _backend.device)):
            dev = _backend.device(a)
        elif a is not None:
            dt = _dtype.to_dtype(a)
    return dev, (None if dt is None else _dtype.to_dtype(dt))


def as_tensor(value: Any) -> Any:
    """A checkpoint value as an ember Tensor (numpy arrays and torch tensors are converted)."""
    if isinstance(value, Tensor) or value is None:
        return value
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # e.g. a torch.Tensor
        return Tensor._make(np.array(value.detach().cpu().numpy()))
    if isinstance(value, np.ndarray):
        return Tensor._make(value.copy())
    return value


def load_local(module: Any, state_dict: dict, prefix: str, strict: bool, missing_keys: list,
               unexpected_keys: list, error_msgs: list, assign: bool = False) -> None:
    """Load ``module``'s own parameters and persistent buffers from ``state_dict[prefix + name]``."""
    local = {k: v for k, v in module._parameters.items() if v is not None}
    local.update({k: v for k, v in module._buffers.items()
                  if v is not None and k not in module._non_persistent_buffers_set})
    for name, param in local.items():
        key = prefix + name
        if key not in state_dict:
            if strict:
                missing_keys.append(key)
            continue
        value = as_tensor(state_dict[key])
        if not isinstance(value, Tensor):
            error_msgs.append(f'While copying the parameter named "{key}", expected ember.Tensor or '
                              f"Tensor-like object from checkpoint but received {type(value)}")
            continue
        if tuple(value.shape) != tuple(param.shape):
            error_msgs.append(f"size mismatch for {key}: copying a param with shape {value.shape} "
                              f"from checkpoint, the shape in current model is {param.shape}.")
            continue
        try:
            if assign:
                if isinstance(param, Parameter) and not isinstance(value, Parameter):
                    value = Parameter(value, requires_grad=param.requires_grad)
                setattr(module, name, value)
            else:
                param.copy_(value)
        except Exception as ex:  # dtype/device failures: reported like torch, not raised here
            error_msgs.append(f'While copying the parameter named "{key}", whose dimensions in the '
                              f"model are {param.shape} and whose dimensions in the checkpoint are "
                              f"{value.shape}, an exception occurred : {ex.args}.")
    extra_key = prefix + _EXTRA
    if module._has_extra_state():
        if extra_key in state_dict:
            module.set_extra_state(state_dict[extra_key])
        elif strict:
            missing_keys.append(extra_key)
    if strict:
        for key in state_dict:
            if not key.startswith(prefix) or key == extra_key:
                continue
            parts = key[len(prefix):].split(".", 1)
            if (len(parts) > 1 and parts[0] not in module._modules) or \
                    (len(parts) == 1 and parts[0] not in local):
                unexpected_keys.append(key)


def run_pre_hooks(module: Any, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """Run forward pre-hooks; a non-None result replaces args (or (args, kwargs) with_kwargs)."""
    for hid, hook in list(module._forward_pre_hooks.items()):
        if hid in module._forward_pre_hooks_with_kwargs:
            r = hook(module, args, kwargs)
            if r is not None:
                if not (isinstance(r, tuple) and len(r) == 2):
                    raise RuntimeError("forward pre-hook must return None or a tuple of (new_args, "
                                       f"new_kwargs), but got {r}.")
                args, kwargs = r
        else:
            r = hook(module, args)
            if r is not None:
                args = r if isinstance(r, tuple) else (r,)
    return args, kwargs
