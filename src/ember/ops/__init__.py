"""ember's ops as functions (``ember.exp(x)``…); Tensor methods delegate here."""
from .binary import *  # noqa: F401,F403
from .creation import *  # noqa: F401,F403
from .index import *  # noqa: F401,F403
from .linalg import *  # noqa: F401,F403
from .pad import pad  # noqa: F401
from .random import *  # noqa: F401,F403
from .reduce import *  # noqa: F401,F403
from .shape import *  # noqa: F401,F403
from .unary import *  # noqa: F401,F403


def _dtype_mod():
    from .. import _dtype

    return _dtype


def as_tensor_arg_like(x, ref):
    """A scalar on the left of ``**`` becomes a tensor of the promoted dtype."""
    from .. import _dtype
    from .._tensor import Tensor
    import numpy as np

    if isinstance(x, Tensor):
        return x
    dt = _dtype.result_type(ref, x)
    return Tensor._make(np.asarray(x, dtype=dt.np))


def _public_names() -> list:
    import types

    names = []
    for k, v in list(globals().items()):
        if k.startswith("_") or isinstance(v, types.ModuleType):
            continue
        mod = getattr(v, "__module__", "") or ""
        if (callable(v) and mod.startswith("ember.ops") and not isinstance(v, type)) or \
                k in ("default_generator", "Generator", "values_indices"):
            names.append(k)
    return names


__all__ = _public_names()
