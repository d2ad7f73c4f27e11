"""Optimizer base class with torch.optim.Optimizer's contract (param_groups, state, state_dict, hooks).

Subclasses follow STYLE S12: the class validates hyper-parameters and owns ``param_groups`` and
``state`` (torch's keys); the arithmetic is one pure function per algorithm that works in place on
the raw arrays (``p._data``, ``p.grad._data``, state tensors' ``_data``).
"""
from __future__ import annotations

import functools
import itertools
from collections import OrderedDict, defaultdict
from copy import deepcopy
from typing import Any, Callable, Iterable

import numpy as np

from .._tensor import Tensor
from ..autograd.grad_mode import enable_grad, no_grad

__all__ = ["Optimizer", "required"]


class _RequiredParameter:
    """Singleton marking a hyper-parameter that has no default (torch.optim.optimizer.required)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


class _Handle:
    """Removable hook handle (torch.utils.hooks.RemovableHandle)."""

    _next_id = itertools.count()

    def __init__(self, hooks: OrderedDict) -> None:
        self._hooks = hooks
        self.id = next(self._next_id)

    def remove(self) -> None:
        self._hooks.pop(self.id, None)


def _with_step_hooks(step: Callable) -> Callable:
    """Run the registered step pre/post hooks around ``step`` (torch's profile_hook_step)."""

    @functools.wraps(step)
    def wrapper(self: "Optimizer", *args: Any, **kwargs: Any) -> Any:
        for hook in list(self._optimizer_step_pre_hooks.values()):
            res = hook(self, args, kwargs)
            if res is not None:
                if not (isinstance(res, tuple) and len(res) == 2):
                    raise RuntimeError(f"{hook} must return None or a tuple of (new_args, new_kwargs), "
                                       f"but got {res}.")
                args, kwargs = res
        out = step(self, *args, **kwargs)
        self._opt_called = True
        for hook in list(self._optimizer_step_post_hooks.values()):
            hook(self, args, kwargs)
        return out

    wrapper._ember_hooked = True
    return wrapper


class Optimizer:
    """Base class of all optimizers: param_groups (per-group options) and per-parameter state.

    Args:
        params: an iterable of Tensors, of ``(name, Tensor)`` pairs, or of dicts defining parameter
            groups (each dict has ``"params"`` plus per-group options).
        defaults: default values of the optimization options, used when a group does not set them.

    Attributes:
        param_groups: list of dicts; ``group["params"]`` is the list of Tensors.
        state: ``defaultdict(dict)`` keyed by parameter Tensor (torch's keys, e.g. ``exp_avg``).

    Notes:
        ``state_dict()`` packs parameters as integer ids exactly like torch, so a state dict saved by a
        torch optimizer for the same model (with torch tensors inside) loads into the ember optimizer
        and vice versa (after converting tensors). Updates run on the numpy arrays in place and bump
        each parameter's version counter, like torch's in-place ops.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "_ember_hooked", False):
            cls.step = _with_step_hooks(step)

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self._optimizer_step_pre_hooks: OrderedDict = OrderedDict()
        self._optimizer_step_post_hooks: OrderedDict = OrderedDict()
        self._optimizer_state_dict_pre_hooks: OrderedDict = OrderedDict()
        self._optimizer_state_dict_post_hooks: OrderedDict = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks: OrderedDict = OrderedDict()
        self._optimizer_load_state_dict_post_hooks: OrderedDict = OrderedDict()
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors "
                            f"or dicts, but got {type(params).__name__}")
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        groups = list(params)
        if len(groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __repr__(self) -> str:
        lines = [self.__class__.__name__ + " ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {group[k]}" for k in sorted(group) if k != "params"]
        return "\n".join(lines) + "\n)"

    # --- parameter groups -----------------------------------------------------------------
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Append a parameter group (dict with "params" and optional per-group options)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the "
                            "ordering of tensors in sets will change between runs. Please use a list instead.")
        params = list(params)
        names = [p[0] for p in params if isinstance(p, tuple)]
        params = [p[1] if isinstance(p, tuple) else p for p in params]
        if names and len(names) != len(params):
            raise ValueError("all optimizer params should be with/without names. Some param names are missing")
        param_group["params"] = params
        if names:
            param_group["param_names"] = names
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is "
                                f"{type(p).__name__}")
            if not (p.is_leaf or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization "
                                 f"parameter {name}")
            param_group.setdefault(name, default)
        seen: set[int] = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                raise ValueError("all optimizer param groups should be with/without names.")
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of all optimized tensors (to None by default, like torch)."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad = p.grad.detach()
                    p.grad._data[...] = 0
                    p.grad._version[0] += 1

    # --- hooks ----------------------------------------------------------------------------
    def _register(self, hooks: OrderedDict, hook: Callable, prepend: bool = False) -> _Handle:
        handle = _Handle(hooks)
        hooks[handle.id] = hook
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        return handle

    def register_step_pre_hook(self, hook: Callable) -> _Handle:
        """``hook(optimizer, args, kwargs) -> None or (args, kwargs)`` run before each ``step``."""
        return self._register(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook: Callable) -> _Handle:
        """``hook(optimizer, args, kwargs) -> None`` run after each ``step``."""
        return self._register(self._optimizer_step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook: Callable, prepend: bool = False) -> _Handle:
        return self._register(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook: Callable, prepend: bool = False) -> _Handle:
        return self._register(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook: Callable, prepend: bool = False) -> _Handle:
        return self._register(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook: Callable, prepend: bool = False) -> _Handle:
        return self._register(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    # --- state dict -----------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: {key: Tensor}}, "param_groups": [{..., "params": [index, ...]}]}``.

        Tensors in ``state`` are the live state tensors (not copies), as in torch.
        """
        for hook in self._optimizer_state_dict_pre_hooks.values():
            hook(self)
        mapping: dict[int, int] = {}
        start = 0
        packed_groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            mapping.update({id(p): i for i, p in enumerate(group["params"], start) if id(p) not in mapping})
            packed["params"] = [mapping[id(p)] for p in group["params"]]
            start += len(packed["params"])
            packed_groups.append(packed)
        packed_state = {(mapping[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        sd = {"state": packed_state, "param_groups": packed_groups}
        for hook in self._optimizer_state_dict_post_hooks.values():
            res = hook(self, sd)
            if res is not None:
                sd = res
        return sd

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load a state dict from ``state_dict()`` (of ember or torch: torch tensors are converted).

        Raises:
            ValueError: the number of groups or of parameters per group differs.
        """
        state_dict = state_dict.copy()
        for hook in self._optimizer_load_state_dict_pre_hooks.values():
            res = hook(self, state_dict)
            if res is not None:
                state_dict = res
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size "
                             "of optimizer's group")
        id_map = dict(zip(itertools.chain.from_iterable(g["params"] for g in saved_groups),
                          itertools.chain.from_iterable(g["params"] for g in groups)))
        state: defaultdict = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = {key: _cast(param, val, key) for key, val in v.items()}
            else:
                state[k] = v
        new_groups = []
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
            new_groups.append(saved)
        self.__setstate__({"state": state, "param_groups": new_groups})
        for hook in self._optimizer_load_state_dict_post_hooks.values():
            hook(self)


def _to_ember(value: Any) -> Any:
    """Convert a foreign tensor (e.g. torch) to an ember Tensor; leave other values alone."""
    if isinstance(value, Tensor) or not (hasattr(value, "detach") and hasattr(value, "numpy")):
        return value
    return Tensor._make(np.array(value.detach().cpu().numpy()))


def _cast(param: Tensor, value: Any, key: Any = None) -> Any:
    """Deep-copy ``value`` with tensors cast to ``param``'s dtype (except "step", as torch)."""
    value = _to_ember(value)
    if isinstance(value, Tensor):
        arr = value._data.copy()
        if key != "step" and param._data.dtype.kind == "f":
            arr = arr.astype(param._data.dtype)
        return Tensor._make(arr)
    if isinstance(value, dict):
        return {k: _cast(param, v, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast(param, v) for v in value)
    return value


class _ElementwiseOptimizer(Optimizer):
    """Shared ``step`` of the first-order optimizers: closure, then ``_update`` per parameter.

    Subclasses implement ``_update(p, state, group)``: create the state lazily (torch's keys) and
    call the algorithm's pure array function, which writes ``p._data`` in place.
    """

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one update; ``closure`` (optional) re-evaluates the model and returns the loss."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                for p in _params_with_grad(group, type(self).__name__):
                    state = self.state[p]
                    self._update(p, state, group)
                    p._version[0] += 1
                    if not state:  # e.g. SGD without momentum keeps no state (torch leaves none)
                        del self.state[p]
        return loss


# --- helpers shared by the first-order optimizers ------------------------------------------
def _check(ok: bool, message: str) -> None:
    """Raise ValueError(message) unless ``ok`` (torch-style hyper-parameter validation)."""
    if not ok:
        raise ValueError(message)


def _check_betas(betas: Any) -> None:
    for i in (0, 1):
        _check(0.0 <= betas[i] < 1.0, f"Invalid beta parameter at index {i}: {betas[i]} "
                                      "(expected 0 <= beta < 1)")


def _reject_unsupported(differentiable: bool = False, fused: Any = None, capturable: bool = False) -> None:
    """ember has one numpy code path; torch's device-specific switches must stay off/None."""
    if differentiable:
        raise ValueError("differentiable=True is not supported by ember optimizers (got True; expected False)")
    if fused:
        raise ValueError(f"fused=True is not supported by ember optimizers (got {fused}; expected None/False)")
    if capturable:
        raise ValueError("capturable=True (CUDA-graph capture) is not supported by ember (expected False)")


def _params_with_grad(group: dict[str, Any], name: str) -> list[Tensor]:
    """The parameters of ``group`` that have a gradient (others are skipped, as in torch)."""
    out = []
    for p in group["params"]:
        if p.grad is not None:
            if getattr(p.grad, "is_sparse", False):
                raise RuntimeError(f"{name} does not support sparse gradients")
            out.append(p)
    return out


def _zeros_state(p: Tensor, fill: float = 0.0) -> Tensor:
    """A state tensor shaped like ``p`` (torch.zeros_like / full_like)."""
    return Tensor._make(np.full_like(p._data, fill))


def _scalar_state(value: float = 0.0) -> Tensor:
    """A 0-d float32 state tensor (torch 2.x keeps ``step`` and ``mu_product`` this way)."""
    return Tensor._make(np.array(value, dtype=np.float32))


def _incr_step(state: dict[str, Any]) -> float:
    """``state["step"] += 1`` (float32 tensor) and return the new value as a Python float."""
    st = state["step"]._data
    st += 1
    return float(st)


def _effective_grad(param: np.ndarray, grad: np.ndarray, weight_decay: float, maximize: bool) -> np.ndarray:
    """``g = (-grad if maximize else grad) + weight_decay * param`` as a new array (grad untouched)."""
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g + weight_decay * param
    return g


def _bump(p: Tensor) -> None:
    """Record an in-place write to ``p`` (version counter, as ember's in-place ops do)."""
    p._version[0] += 1


def _float(x: Any) -> float:
    return float(x._data) if isinstance(x, Tensor) else float(x)
