"""Tensor's math methods and operators, one line each, delegating to ``ember.ops``.

``_ops`` is bound by ember._tensor once the ops exist (they need Tensor defined first).
"""
from __future__ import annotations

from typing import Any

_ops: Any = None


def _inplace(name: str):
    def method(self, *args: Any, **kwargs: Any):
        fn = getattr(_ops, name)
        return self._inplace(lambda t, *a, **k: fn(t, *a, **k), *args, **kwargs)

    method.__name__ = name + "_"
    method.__doc__ = f"In-place version of {name}()."
    return method


class TensorMethods:
    __slots__ = ()

    # arithmetic operators ------------------------------------------------------------------
    def __add__(self, other): return _ops.add(self, other)
    def __radd__(self, other): return _ops.add(other, self)
    def __sub__(self, other): return _ops.sub(self, other)
    def __rsub__(self, other): return _ops.sub(other, self)
    def __mul__(self, other): return _ops.mul(self, other)
    def __rmul__(self, other): return _ops.mul(other, self)
    def __truediv__(self, other): return _ops.div(self, other)
    def __rtruediv__(self, other): return _ops.div(other, self)
    def __floordiv__(self, other): return _ops.floor_divide(self, other)
    def __rfloordiv__(self, other): return _ops.floor_divide(other, self)
    def __mod__(self, other): return _ops.remainder(self, other)
    def __rmod__(self, other): return _ops.remainder(other, self)
    def __pow__(self, other): return _ops.pow(self, other)
    def __rpow__(self, other): return _ops.pow(_ops.as_tensor_arg_like(other, self), self)
    def __matmul__(self, other): return _ops.matmul(self, other)
    def __rmatmul__(self, other): return _ops.matmul(other, self)
    def __neg__(self): return _ops.neg(self)
    def __pos__(self): return self
    def __abs__(self): return _ops.abs(self)
    def __invert__(self): return _ops.bitwise_not(self)
    def __and__(self, other): return _ops.bitwise_and(self, other)
    def __or__(self, other): return _ops.bitwise_or(self, other)
    def __xor__(self, other): return _ops.bitwise_xor(self, other)
    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__
    def __eq__(self, other): return _ops.eq(self, other)  # noqa: E704
    def __ne__(self, other): return _ops.ne(self, other)
    def __lt__(self, other): return _ops.lt(self, other)
    def __le__(self, other): return _ops.le(self, other)
    def __gt__(self, other): return _ops.gt(self, other)
    def __ge__(self, other): return _ops.ge(self, other)
    __hash__ = object.__hash__

    def __iadd__(self, other): return self.add_(other)
    def __isub__(self, other): return self.sub_(other)
    def __imul__(self, other): return self.mul_(other)
    def __itruediv__(self, other): return self.div_(other)
    def __getitem__(self, key): return _ops.getitem(self, key)
    def __setitem__(self, key, value): _ops.setitem(self, key, value)

    # elementwise ----------------------------------------------------------------------------
    def add(self, other, *, alpha=1): return _ops.add(self, other, alpha=alpha)
    def sub(self, other, *, alpha=1): return _ops.sub(self, other, alpha=alpha)
    def mul(self, other): return _ops.mul(self, other)
    def div(self, other, *, rounding_mode=None): return _ops.div(self, other, rounding_mode=rounding_mode)
    def pow(self, exponent): return _ops.pow(self, exponent)
    def remainder(self, other): return _ops.remainder(self, other)
    def fmod(self, other): return _ops.fmod(self, other)
    def floor_divide(self, other): return _ops.floor_divide(self, other)
    def atan2(self, other): return _ops.atan2(self, other)
    def maximum(self, other): return _ops.maximum(self, other)
    def minimum(self, other): return _ops.minimum(self, other)
    def clamp(self, min=None, max=None): return _ops.clamp(self, min, max)
    clip = clamp
    def clamp_min(self, min): return _ops.clamp(self, min=min)
    def clamp_max(self, max): return _ops.clamp(self, max=max)
    def lerp(self, end, weight): return _ops.lerp(self, end, weight)
    def addcmul(self, t1, t2, *, value=1): return _ops.addcmul(self, t1, t2, value=value)
    def addcdiv(self, t1, t2, *, value=1): return _ops.addcdiv(self, t1, t2, value=value)
    def where(self, condition, other): return _ops.where(condition, self, other)
    def masked_fill(self, mask, value): return _ops.masked_fill(self, mask, value)
    def masked_select(self, mask): return _ops.masked_select(self, mask)
    def exp(self): return _ops.exp(self)
    def exp2(self): return _ops.exp2(self)
    def expm1(self): return _ops.expm1(self)
    def log(self): return _ops.log(self)
    def log2(self): return _ops.log2(self)
    def log10(self): return _ops.log10(self)
    def log1p(self): return _ops.log1p(self)
    def sqrt(self): return _ops.sqrt(self)
    def rsqrt(self): return _ops.rsqrt(self)
    def reciprocal(self): return _ops.reciprocal(self)
    def square(self): return _ops.square(self)
    def abs(self): return _ops.abs(self)
    absolute = abs
    def neg(self): return _ops.neg(self)
    negative = neg
    def sign(self): return _ops.sign(self)
    def sgn(self): return _ops.sign(self)
    def sin(self): return _ops.sin(self)
    def cos(self): return _ops.cos(self)
    def tan(self): return _ops.tan(self)
    def asin(self): return _ops.asin(self)
    def acos(self): return _ops.acos(self)
    def atan(self): return _ops.atan(self)
    def sinh(self): return _ops.sinh(self)
    def cosh(self): return _ops.cosh(self)
    def tanh(self): return _ops.tanh(self)
    def sigmoid(self): return _ops.sigmoid(self)
    def relu(self): return _ops.relu(self)
    def erf(self): return _ops.erf(self)
    def erfinv(self): return _ops.erfinv(self)
    def floor(self): return _ops.floor(self)
    def ceil(self): return _ops.ceil(self)
    def round(self, *, decimals=0): return _ops.round(self, decimals=decimals)
    def trunc(self): return _ops.trunc(self)
    def frac(self): return _ops.frac(self)
    def eq(self, other): return _ops.eq(self, other)
    def ne(self, other): return _ops.ne(self, other)
    def lt(self, other): return _ops.lt(self, other)
    def le(self, other): return _ops.le(self, other)
    def gt(self, other): return _ops.gt(self, other)
    def ge(self, other): return _ops.ge(self, other)
    def equal(self, other): return _ops.equal(self, other)
    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False): return _ops.isclose(self, other, rtol, atol, equal_nan)
    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False): return _ops.allclose(self, other, rtol, atol, equal_nan)
    def logical_and(self, other): return _ops.logical_and(self, other)
    def logical_or(self, other): return _ops.logical_or(self, other)
    def logical_xor(self, other): return _ops.logical_xor(self, other)
    def logical_not(self): return _ops.logical_not(self)
    def isnan(self): return _ops.isnan(self)
    def isinf(self): return _ops.isinf(self)
    def isfinite(self): return _ops.isfinite(self)

    # reductions -----------------------------------------------------------------------------
    def sum(self, dim=None, keepdim=False, *, dtype=None): return _ops.sum(self, dim, keepdim, dtype=dtype)
    def nansum(self, dim=None, keepdim=False): return _ops.nansum(self, dim, keepdim)
    def mean(self, dim=None, keepdim=False, *, dtype=None): return _ops.mean(self, dim, keepdim, dtype=dtype)
    def prod(self, dim=None, keepdim=False, *, dtype=None): return _ops.prod(self, dim, keepdim, dtype=dtype)
    def max(self, dim=None, keepdim=False): return _ops.max(self, dim, keepdim)
    def min(self, dim=None, keepdim=False): return _ops.min(self, dim, keepdim)
    def amax(self, dim=(), keepdim=False): return _ops.amax(self, dim, keepdim)
    def amin(self, dim=(), keepdim=False): return _ops.amin(self, dim, keepdim)
    def argmax(self, dim=None, keepdim=False): return _ops.argmax(self, dim, keepdim)
    def argmin(self, dim=None, keepdim=False): return _ops.argmin(self, dim, keepdim)
    def var(self, dim=None, *args, unbiased=None, keepdim=False, correction=None):
        return _ops.var(self, dim, *args, unbiased=unbiased, keepdim=keepdim, correction=correction)
    def std(self, dim=None, *args, unbiased=None, keepdim=False, correction=None):
        return _ops.std(self, dim, *args, unbiased=unbiased, keepdim=keepdim, correction=correction)
    def logsumexp(self, dim, keepdim=False): return _ops.logsumexp(self, dim, keepdim)
    def norm(self, p="fro", dim=None, keepdim=False, dtype=None): return _ops.norm(self, p, dim, keepdim, dtype)
    def cumsum(self, dim, *, dtype=None): return _ops.cumsum(self, dim, dtype=dtype)
    def cumprod(self, dim, *, dtype=None): return _ops.cumprod(self, dim, dtype=dtype)
    def all(self, dim=None, keepdim=False): return _ops.all(self, dim, keepdim)
    def any(self, dim=None, keepdim=False): return _ops.any(self, dim, keepdim)
    def count_nonzero(self, dim=None): return _ops.count_nonzero(self, dim)
    def softmax(self, dim, dtype=None): return _ops.softmax(self, dim, dtype)
    def log_softmax(self, dim, dtype=None): return _ops.log_softmax(self, dim, dtype)
    def sort(self, dim=-1, descending=False, stable=False): return _ops.sort(self, dim, descending, stable)
    def argsort(self, dim=-1, descending=False, stable=False): return _ops.argsort(self, dim, descending, stable)
    def topk(self, k, dim=-1, largest=True, sorted=True): return _ops.topk(self, k, dim, largest, sorted)
    def kthvalue(self, k, dim=-1, keepdim=False): return _ops.kthvalue(self, k, dim, keepdim)
    def median(self, dim=None, keepdim=False): return _ops.median(self, dim, keepdim)

    # shape ----------------------------------------------------------------------------------
    def view(self, *shape): return _ops.view(self, *shape)
    def view_as(self, other): return _ops.view(self, other.shape)
    def reshape(self, *shape): return _ops.reshape(self, *shape)
    def reshape_as(self, other): return _ops.reshape(self, other.shape)
    def permute(self, *dims): return _ops.permute(self, *dims)
    def transpose(self, dim0, dim1): return _ops.transpose(self, dim0, dim1)
    swapaxes = swapdims = transpose
    def t(self): return _ops.t(self)
    def movedim(self, source, destination): return _ops.movedim(self, source, destination)
    @property
    def T(self): return _ops.permute(self, tuple(reversed(range(self.ndim))))
    @property
    def mT(self):
        if self.ndim < 2:
            raise RuntimeError(f"tensor.mT is only supported on matrices or batches of matrices. Got {self.ndim}-D tensor.")
        return _ops.transpose(self, -2, -1)
    def squeeze(self, dim=None): return _ops.squeeze(self, dim)
    def unsqueeze(self, dim): return _ops.unsqueeze(self, dim)
    def flatten(self, start_dim=0, end_dim=-1): return _ops.flatten(self, start_dim, end_dim)
    def unflatten(self, dim, sizes): return _ops.unflatten(self, dim, sizes)
    def expand(self, *sizes): return _ops.expand(self, *sizes)
    def expand_as(self, other): return _ops.expand(self, other.shape)
    def broadcast_to(self, shape): return _ops.broadcast_to(self, shape)
    def repeat(self, *sizes): return _ops.repeat(self, *sizes)
    def tile(self, dims): return _ops.tile(self, dims)
    def repeat_interleave(self, repeats, dim=None): return _ops.repeat_interleave(self, repeats, dim)
    def split(self, split_size, dim=0): return _ops.split(self, split_size, dim)
    def chunk(self, chunks, dim=0): return _ops.chunk(self, chunks, dim)
    def tensor_split(self, indices_or_sections, dim=0): return _ops.tensor_split(self, indices_or_sections, dim)
    def unbind(self, dim=0): return _ops.unbind(self, dim)
    def flip(self, *dims): return _ops.flip(self, dims[0] if len(dims) == 1 else dims)
    def roll(self, shifts, dims=None): return _ops.roll(self, shifts, dims)
    def narrow(self, dim, start, length): return _ops.narrow(self, dim, start, length)
    def select(self, dim, index): return _ops.select(self, dim, index)
    def gather(self, dim, index): return _ops.gather(self, dim, index)
    def scatter(self, dim, index, src=None, value=None, reduce=None): return _ops.scatter(self, dim, index, src, value, reduce)
    def scatter_add(self, dim, index, src): return _ops.scatter_add(self, dim, index, src)
    def index_select(self, dim, index): return _ops.index_select(self, dim, index)
    def index_add(self, dim, index, source, *, alpha=1): return _ops.index_add(self, dim, index, source, alpha=alpha)
    def index_put(self, indices, values, accumulate=False): return _ops.index_put(self, indices, values, accumulate)
    def take(self, index): return _ops.take(self, index)
    def nonzero(self, *, as_tuple=False): return _ops.nonzero(self, as_tuple=as_tuple)
    def argwhere(self): return _ops.argwhere(self)
    def tril(self, diagonal=0): return _ops.tril(self, diagonal)
    def triu(self, diagonal=0): return _ops.triu(self, diagonal)
    def diagonal(self, offset=0, dim1=0, dim2=1): return _ops.diagonal(self, offset, dim1, dim2)
    def diag(self, diagonal=0): return _ops.diag(self, diagonal)
    def trace(self): return _ops.trace(self)
    def contiguous(self, memory_format=None): return self if self._data.flags.c_contiguous else _ops.clone(self)
    def clone(self, *, memory_format=None): return _ops.clone(self)

    # linear algebra -------------------------------------------------------------------------
    def matmul(self, other): return _ops.matmul(self, other)
    def mm(self, mat2): return _ops.mm(self, mat2)
    def bmm(self, mat2): return _ops.bmm(self, mat2)
    def mv(self, vec): return _ops.mv(self, vec)
    def dot(self, other): return _ops.dot(self, other)
    def outer(self, other): return _ops.outer(self, other)
    def inverse(self): return _ops.inv(self)
    def det(self): return _ops.det(self)

    # dtype shortcuts ------------------------------------------------------------------------
    def float(self): return self.to(_ops._dtype_mod().float32)
    def double(self): return self.to(_ops._dtype_mod().float64)
    def half(self): return self.to(_ops._dtype_mod().float16)
    def int(self): return self.to(_ops._dtype_mod().int32)
    def long(self): return self.to(_ops._dtype_mod().int64)
    def short(self): return self.to(_ops._dtype_mod().int16)
    def char(self): return self.to(_ops._dtype_mod().int8)
    def byte(self): return self.to(_ops._dtype_mod().uint8)
    def bool(self): return self.to(_ops._dtype_mod().bool)
    def type_as(self, other): return self.to(other.dtype)
    def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
        return _ops.tensor(data, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)
    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        return _ops.zeros(*size, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)
    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        return _ops.ones(*size, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)
    def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False):
        return _ops.full(size, fill_value, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)
    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        return self.new_zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)

    # in-place versions (recorded in the graph when grads are on) ------------------------------
    add_ = _inplace("add")
    sub_ = _inplace("sub")
    mul_ = _inplace("mul")
    div_ = _inplace("div")
    pow_ = _inplace("pow")
    clamp_ = _inplace("clamp")
    clip_ = clamp_
    lerp_ = _inplace("lerp")
    addcmul_ = _inplace("addcmul")
    addcdiv_ = _inplace("addcdiv")
    masked_fill_ = _inplace("masked_fill")
    exp_ = _inplace("exp")
    log_ = _inplace("log")
    sqrt_ = _inplace("sqrt")
    abs_ = _inplace("abs")
    neg_ = _inplace("neg")
    tanh_ = _inplace("tanh")
    sigmoid_ = _inplace("sigmoid")
    relu_ = _inplace("relu")
    floor_ = _inplace("floor")
    ceil_ = _inplace("ceil")
    round_ = _inplace("round")
    maximum_ = _inplace("maximum")
    minimum_ = _inplace("minimum")
    scatter_ = _inplace("scatter")
    scatter_add_ = _inplace("scatter_add")
    index_add_ = _inplace("index_add")
    index_put_ = _inplace("index_put")

    def zero_(self):
        return self.fill_(0)

    def fill_(self, value):
        """Set every element to ``value`` (a number or 0-d tensor)."""
        return self._inplace(_ops.copy_from, value if hasattr(value, "_data") else _ops.scalar_tensor(value, self))

    def copy_(self, src, non_blocking=False):
        """Copy ``src`` (broadcast, cast, moved across devices) into self; gradient flows to src."""
        return self._inplace(_ops.copy_from, src)

    def uniform_(self, a=0.0, b=1.0, *, generator=None):
        return self._fill_random(_ops.rand(self.shape, generator=generator, dtype=self.dtype) * (b - a) + a)

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        return self._fill_random(_ops.randn(self.shape, generator=generator, dtype=self.dtype) * std + mean)

    def bernoulli_(self, p=0.5, *, generator=None):
        return self._fill_random(_ops.bernoulli(self, p, generator=generator))

    def random_(self, from_=0, to=None, *, generator=None):
        return self._fill_random(_ops.randint(from_, to, self.shape, generator=generator))

    def exponential_(self, lambd=1.0, *, generator=None):
        u = _ops.rand(self.shape, generator=generator, dtype=_ops._dtype_mod().float64)
        return self._fill_random(-(1 - u).log() / lambd)

    def _fill_random(self, values):
        self._check_inplace()
        self._assign(values._data.astype(self._data.dtype))
        return self
