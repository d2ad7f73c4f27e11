"""Hypothesis strategy for box sets (degenerate boxes and identical coordinates included)."""
import numpy as np
from hypothesis import strategies as st


@st.composite
def box_sets(draw, min_size=0, max_size=12, integer=False):
    n = draw(st.integers(min_size, max_size))
    coord = st.integers(0, 20).map(float) if integer else st.floats(0, 50, allow_nan=False)
    size = st.integers(0, 10).map(float) if integer else st.one_of(st.just(0.0), st.floats(0, 30))
    rows = [(x, y, x + w, y + h) for x, y, w, h in
            draw(st.lists(st.tuples(coord, coord, size, size), min_size=n, max_size=n))]
    return np.array(rows, dtype=np.float64).reshape(-1, 4)
