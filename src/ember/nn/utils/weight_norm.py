"""weight_norm and spectral_norm re-parametrisations (torch.nn.utils' hook-based API).

Both delete ``module.<name>`` from the parameters, register the underlying parameters/buffers
under torch's names (``weight_g``/``weight_v``; ``weight_orig``/``weight_u``/``weight_v``) and
recompute ``module.<name>`` (a plain tensor attribute) in a forward pre-hook.
"""
from __future__ import annotations

from typing import Any

from ... import ops
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ..parameter import Parameter

__all__ = ["weight_norm", "remove_weight_norm", "spectral_norm", "remove_spectral_norm"]


def _norm_except_dim(v: Tensor, dim: int | None) -> Tensor:
    """2-norm over every dim except ``dim`` (kept with size 1 elsewhere); dim=None: the full norm."""
    if dim is None:
        return v.norm()
    dims = tuple(d for d in range(v.dim()) if d != dim % v.dim())
    return v.norm(2, dim=dims, keepdim=True) if dims else v.abs()


class _WeightNorm:
    def __init__(self, name: str, dim: int | None) -> None:
        self.name, self.dim = name, dim

    def compute(self, module: Any) -> Tensor:
        g, v = getattr(module, self.name + "_g"), getattr(module, self.name + "_v")
        return v * (g / _norm_except_dim(v, self.dim))

    def __call__(self, module: Any, inputs: Any) -> None:
        setattr(module, self.name, self.compute(module))


def weight_norm(module: Any, name: str = "weight", dim: int | None = 0) -> Any:
    """w = g * v / ||v|| (Salimans & Kingma 2016), norm over all dims but ``dim``; returns module."""
    weight = getattr(module, name)
    if not isinstance(weight, Parameter):
        raise ValueError(f"weight_norm: module.{name} must be a Parameter")
    fn = _WeightNorm(name, -1 if dim == -1 else dim)
    del module._parameters[name]
    module.register_parameter(name + "_g", Parameter(_norm_except_dim(weight, dim).detach().clone()))
    module.register_parameter(name + "_v", Parameter(weight.detach().clone()))
    setattr(module, name, fn.compute(module))
    module._weight_norm_handle = module.register_forward_pre_hook(fn)
    module._weight_norm_fn = fn
    return module


def remove_weight_norm(module: Any, name: str = "weight") -> Any:
    """Fold g and v back into a plain Parameter ``module.<name>``."""
    return _remove(module, name, "weight_norm", lambda fn: fn.compute(module), (name + "_g", name + "_v"))


def _remove(module: Any, name: str, kind: str, compute: Any, owned: tuple) -> Any:
    """Undo a re-parametrisation: drop its hook and tensors, store the current weight as a Parameter."""
    fn = getattr(module, f"_{kind}_fn", None)
    if fn is None or fn.name != name:
        raise ValueError(f"{kind} of '{name}' not found in {module}")
    with no_grad():
        w = compute(fn).detach().clone()
    getattr(module, f"_{kind}_handle").remove()
    for key in owned:
        delattr(module, key)
    delattr(module, f"_{kind}_handle")
    delattr(module, f"_{kind}_fn")
    object.__getattribute__(module, "__dict__").pop(name, None)
    module.register_parameter(name, Parameter(w))
    return module


def _normalize(x: Tensor, eps: float) -> Tensor:
    return x / x.norm().clamp(min=eps)


class _SpectralNorm:
    def __init__(self, name: str, n_power_iterations: int, dim: int, eps: float) -> None:
        self.name, self.n, self.dim, self.eps = name, n_power_iterations, dim, eps

    def matrix(self, w: Tensor) -> Tensor:
        if self.dim != 0:
            perm = [self.dim] + [d for d in range(w.dim()) if d != self.dim]
            w = w.permute(*perm)
        return w.reshape(w.shape[0], -1)  # (h, w)

    def compute(self, module: Any, do_power_iteration: bool) -> Tensor:
        w = getattr(module, self.name + "_orig")
        u, v = getattr(module, self.name + "_u"), getattr(module, self.name + "_v")
        mat = self.matrix(w)
        if do_power_iteration:
            with no_grad():
                for _ in range(self.n):
                    v.copy_(_normalize(mat.detach().mT @ u, self.eps))
                    u.copy_(_normalize(mat.detach() @ v, self.eps))
        sigma = ops.dot(u.clone(), mat @ v.clone())  # largest singular value estimate
        return w / sigma

    def __call__(self, module: Any, inputs: Any) -> None:
        setattr(module, self.name, self.compute(module, module.training))


def spectral_norm(module: Any, name: str = "weight", n_power_iterations: int = 1, eps: float = 1e-12,
                  dim: int | None = None) -> Any:
    """w = w_orig / sigma(w_orig), sigma by ``n_power_iterations`` of power iteration per training
    forward (Miyato et al. 2018). dim=None: 0, or 1 for ConvTranspose layers (torch)."""
    if n_power_iterations <= 0:
        raise ValueError("Expected n_power_iterations to be positive, but got "
                         f"n_power_iterations={n_power_iterations}")
    if dim is None:
        dim = 1 if type(module).__name__.startswith("ConvTranspose") else 0
    weight = getattr(module, name)
    fn = _SpectralNorm(name, n_power_iterations, dim, eps)
    mat = fn.matrix(weight.detach())
    h, w = mat.shape
    u = _normalize(ops.randn(h, dtype=weight.dtype), eps)
    v = _normalize(ops.randn(w, dtype=weight.dtype), eps)
    del module._parameters[name]
    module.register_parameter(name + "_orig", weight)
    setattr(module, name, weight.detach())
    module.register_buffer(name + "_u", u)
    module.register_buffer(name + "_v", v)
    module._spectral_norm_handle = module.register_forward_pre_hook(fn)
    module._spectral_norm_fn = fn
    return module


def remove_spectral_norm(module: Any, name: str = "weight") -> Any:
    """Replace the re-parametrisation by a plain Parameter holding the current normalised weight."""
    return _remove(module, name, "spectral_norm", lambda fn: fn.compute(module, False),
                   (name + "_orig", name + "_u", name + "_v"))
