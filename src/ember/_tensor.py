"""ember.Tensor: one array (numpy or cupy) plus the autograd slots, with PyTorch semantics.

The arithmetic/shape/reduction methods live in ``_tensor_methods.TensorMethods`` (one line each,
delegating to ``ember.ops``); this file holds storage, dtype/device, autograd and conversion.
"""
from __future__ import annotations

import numbers
from typing import Any, Callable

import numpy as np

from . import _backend, _dtype
from ._dtype import dtype as _dtype_cls
from ._tensor_methods import TensorMethods
from .autograd import function as _function
from .autograd.grad_mode import _grad_enabled


_ARRAY_TYPES = (np.ndarray,) if _backend.cp is None else (np.ndarray, _backend.cp.ndarray)


class Size(tuple):
    """torch.Size: a tuple of dimension lengths."""

    def __repr__(self) -> str:
        return f"ember.Size({list(self)})"

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n


class Tensor(TensorMethods):
    """An n-dimensional array with autograd, PyTorch's ``torch.Tensor`` semantics.

    Attributes:
        grad: accumulated gradient (Tensor of the same shape) or None.
        requires_grad: whether operations on this tensor are recorded.
        grad_fn: the node that created it (None for leaves).
    """

    __slots__ = ("_data", "requires_grad", "grad", "grad_fn", "_output_nr", "_version", "_base",
                 "_hooks", "_retains_grad", "__weakref__")
    __array_priority__ = 1000  # numpy scalars/arrays on the left defer to our reflected operators

    def __init__(self, *args: Any, dtype: Any = None, device: Any = None,
                 requires_grad: bool = False) -> None:
        # legacy torch.Tensor(...) constructor: Tensor([1, 2]) (float32 data) or Tensor(2, 3) (shape)
        if len(args) == 1 and not isinstance(args[0], numbers.Integral):
            arr = _to_array(args[0], _dtype.to_dtype(dtype) if dtype else _dtype.get_default_dtype())
        else:
            shape = args[0] if len(args) == 1 and isinstance(args[0], tuple) else args
            arr = np.empty(tuple(int(s) for s in shape), dtype=_dtype.to_dtype(dtype).np)
        if device is not None:
            arr = _backend.to_device(arr, device)
        self._init(arr, requires_grad)

    def _init(self, arr: Any, requires_grad: bool = False) -> None:
        self._data = arr
        self.requires_grad = requires_grad
        self.grad = None
        self.grad_fn = None
        self._output_nr = 0
        self._version = [0]
        self._base = None
        self._hooks = None
        self._retains_grad = False

    @classmethod
    def _make(cls, arr: Any, requires_grad: bool = False) -> "Tensor":
        """Wrap an array without copying or checking (internal fast path)."""
        t = object.__new__(cls)
        if not isinstance(arr, _ARRAY_TYPES):  # numpy scalars from full reductions, lists
            arr = np.asarray(arr)
        t._init(arr, requires_grad)
        return t

    def _view_of(self, arr: Any) -> "Tensor":
        """A Tensor sharing this one's storage and version counter (a view)."""
        t = Tensor._make(arr)
        t._version = self._version
        t._base = self._base if self._base is not None else self
        return t

    # --- storage, dtype, device ----------------------------------------------------------
    @property
    def data(self) -> "Tensor":
        """The same storage as a tensor outside the graph (not version-tracked, like torch)."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, value: "Tensor") -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"Tensor.data must be set to a Tensor, got {type(value).__name__}")
        self._data = value._data

    @property
    def dtype(self) -> _dtype_cls:
        return _dtype._FROM_NP[self._data.dtype]

    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None) -> Any:
        """The shape (ember.Size), or the length of dimension ``dim``."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim

    def numel(self) -> int:
        return int(self._data.size)

    nelement = numel

    def element_size(self) -> int:
        return self._data.itemsize

    @property
    def device(self) -> _backend.device:
        return _backend.device_of(self._data)

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    def is_floating_point(self) -> bool:
        return self.dtype.is_floating_point

    def is_contiguous(self) -> bool:
        return bool(self._data.flags.c_contiguous)

    def stride(self, dim: int | None = None) -> Any:
        st = tuple(s // self._data.itemsize for s in self._data.strides)
        return st if dim is None else st[_wrap_dim(dim, self._data.ndim)]

    def data_ptr(self) -> int:
        return int(self._data.__array_interface__["data"][0]) if isinstance(self._data, np.ndarray) \
            else int(self._data.data.ptr)

    def _xp(self) -> Any:
        return _backend.get_array_module(self._data)

    def _is_view(self) -> bool:
        return self._base is not None

    def type(self, dtype: Any = None) -> Any:
        """Without argument: the type string ('ember.FloatTensor'); with a dtype: a cast."""
        if dtype is None:
            return f"ember.{_TYPE_NAMES[self.dtype.name]}"
        return self.to(_dtype.to_dtype(dtype))

    # --- conversion ----------------------------------------------------------------------
    def to(self, *args: Any, **kwargs: Any) -> "Tensor":
        """to(dtype) / to(device) / to(device, dtype) / to(other): a converted tensor (self if same)."""
        dt, dev = kwargs.pop("dtype", None), kwargs.pop("device", None)
        copy = kwargs.pop("copy", False)
        kwargs.pop("non_blocking", None)
        if kwargs:
            raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
        for a in args:
            if isinstance(a, Tensor):
                dt, dev = a.dtype, a.device
            elif isinstance(a, (_dtype_cls, type)) or (a is not None and not isinstance(a, (str, _backend.device))):
                dt = _dtype.to_dtype(a)
            elif a is not None:
                dev = a
        out = self
        if dev is not None and _backend.device(dev) != self.device:
            out = _ops.to_device(out, _backend.device(dev))
        if dt is not None and _dtype.to_dtype(dt) is not out.dtype:
            out = _ops.to_dtype(out, _dtype.to_dtype(dt))
        if copy and out is self:
            out = self.clone()
        return out

    def cpu(self) -> "Tensor":
        return self.to("cpu")

    def cuda(self, device: Any = None) -> "Tensor":
        return self.to("cuda" if device is None else device if isinstance(device, str) else f"cuda:{device}")

    def numpy(self, force: bool = False) -> np.ndarray:
        """The underlying NumPy array (shares memory). Raises if it requires grad, like torch."""
        if self.requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        if not isinstance(self._data, np.ndarray):
            if force:
                return _backend.to_device(self._data, "cpu")
            raise TypeError("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to "
                            "copy the tensor to host memory first.")
        return self._data

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        arr = _backend.to_device(self._data, "cpu")
        return arr if dtype is None else arr.astype(dtype)

    def item(self) -> Any:
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self) -> Any:
        return _backend.to_device(self._data, "cpu").tolist()

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def __index__(self) -> int:
        if self.dtype.is_floating_point or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Any:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        from ._format import format_tensor

        return format_tensor(self)

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0 and spec:
            return format(self.item(), spec)
        return repr(self)

    # --- autograd ------------------------------------------------------------------------
    def backward(self, gradient: "Tensor | None" = None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs: Any = None) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` (see ember.autograd.backward)."""
        from .autograd import backward

        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> "Tensor":
        """A tensor sharing storage (and version counter) but outside the graph."""
        t = Tensor._make(self._data)
        t._version = self._version
        return t

    def detach_(self) -> "Tensor":
        self.grad_fn = None
        self.requires_grad = False
        return self

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        if not self.is_leaf and not requires_grad:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you "
                               "want to use a computed variable in a subgraph that doesn't require "
                               "differentiation use var_no_grad = var.detach().")
        if requires_grad and not (self.dtype.is_floating_point):
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self.requires_grad = requires_grad
        return self

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor after backward."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            self._retains_grad = True

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def register_hook(self, hook: Callable[["Tensor"], Any]) -> Any:
        """Call ``hook(grad)`` when this tensor's gradient is computed; a return value replaces it."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return _RemovableHandle(self._hooks, hook)

    # --- in-place machinery --------------------------------------------------------------
    def _check_inplace(self) -> None:
        if _grad_enabled.get() and self.requires_grad and self.grad_fn is None:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                               "operation.")

    def _inplace(self, fn: Callable[..., "Tensor"], *args: Any, **kwargs: Any) -> "Tensor":
        """Run the out-of-place ``fn(self, *args)`` and write its result into self's storage.

        When recording, the old value is copied first so saved tensors of earlier ops are not
        clobbered, and self takes the new node as its grad_fn (torch's rebase).
        """
        self._check_inplace()
        record = _grad_enabled.get() and (self.requires_grad or any(
            isinstance(a, Tensor) and a.requires_grad for a in args))
        if not record:
            with _no_grad():
                res = fn(self, *args, **kwargs)
            self._assign(res._data)
            return self
        base = self._base
        if base is not None and base.requires_grad:
            raise RuntimeError("ember: in-place operation on a view of a tensor that requires grad "
                               "is not supported; apply it to the base tensor or use out-of-place ops")
        old = Tensor._make(self._data.copy(), self.requires_grad)
        old.grad_fn, old._output_nr = self.grad_fn, self._output_nr
        if old.grad_fn is not None:  # the old node's output is now `old`
            outs = list(old.grad_fn.outputs)
            outs[old._output_nr] = _weakref(old)
            old.grad_fn.outputs = tuple(outs)  # `old` stays alive as an input of the new node
        res = fn(old, *args, **kwargs)
        self._assign(res._data)
        self.requires_grad = res.requires_grad
        self.grad_fn, self._output_nr = res.grad_fn, res._output_nr
        node = res.grad_fn
        if node is not None:
            outs = list(node.outputs)
            outs[res._output_nr] = _weakref(self)
            node.outputs = tuple(outs)
            if node._saved:  # an op that saved its output (relu_, exp_) now finds it in self
                node._saved = tuple(
                    ("out", _weakref(self), self._version[0])
                    if kind == "out" and val() is res else (kind, val, ver)
                    for kind, val, ver in node._saved)
        return self

    def _assign(self, arr: Any) -> None:
        """Write ``arr`` into our storage (same shape), casting like torch's in-place ops."""
        src_kind, dst_kind = arr.dtype.kind, self._data.dtype.kind
        if (src_kind == "f" and dst_kind in "iub") or (src_kind in "iu" and dst_kind == "b"):
            raise RuntimeError(f"result type {_dtype._FROM_NP[arr.dtype].name} can't be cast to the "
                               f"desired output type {self.dtype.name}")
        if arr.shape != self._data.shape:
            raise RuntimeError(f"output with shape {list(self._data.shape)} doesn't match the "
                               f"broadcast shape {list(arr.shape)}")
        self._data[...] = arr
        self._version[0] += 1


class _RemovableHandle:
    def __init__(self, hooks: list, hook: Any) -> None:
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


def _wrap_dim(dim: int, ndim: int) -> int:
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but "
                         f"got {dim})")
    return dim % n


def _to_array(data: Any, dt: Any) -> np.ndarray:
    if isinstance(data, Tensor):
        return data._data.astype(dt.np)
    return np.array(data, dtype=dt.np)


_TYPE_NAMES = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
               "int64": "LongTensor", "int32": "IntTensor", "int16": "ShortTensor",
               "int8": "CharTensor", "uint8": "ByteTensor", "bool": "BoolTensor"}

from weakref import ref as _weakref  # noqa: E402

from .autograd.grad_mode import no_grad as _no_grad  # noqa: E402

_function._bind_tensor(Tensor)
from . import ops as _ops  # noqa: E402  (ops need Tensor defined first)

from . import _tensor_methods as _tm  # noqa: E402
_tm._ops = _ops
