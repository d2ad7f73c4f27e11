"""Hypothesis strategies shared by the suite (STYLE S11): shapes (incl. 0-d and size-0),
broadcastable pairs, dims, float arrays with per-op domains."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

small_shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=5)
nonempty_shapes = hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5)


@st.composite
def broadcast_pair(draw, min_dims: int = 0, max_dims: int = 4):
    """Two shapes that broadcast together."""
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=min_dims,
                                                     max_dims=max_dims, max_side=4))
    return shapes.input_shapes


@st.composite
def float_arrays(draw, shape=None, domain=(-3.0, 3.0), dtype=np.float64):
    """An array with values in ``domain`` (seeded from hypothesis so failures replay)."""
    shape = draw(small_shapes) if shape is None else shape
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    lo, hi = domain
    return (lo + (hi - lo) * rng.random(shape)).astype(dtype)


@st.composite
def shape_and_dim(draw, min_dims: int = 1):
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=4, min_side=1, max_side=5))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    return shape, dim
