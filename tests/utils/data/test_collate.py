"""default_collate / default_convert parity with torch.utils.data (types, dtypes, values)."""
import collections

import numpy as np
import pytest
import torch
import torch.utils.data as tud

import ember
from ember.utils.data import default_collate, default_convert

Point = collections.namedtuple("Point", "x y")


def _same(ours, theirs):
    """Recursive structural + value + dtype equality between ember and torch batches."""
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, ember.Tensor), type(ours)
        assert tuple(ours.shape) == tuple(theirs.shape)
        assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    elif isinstance(theirs, dict):
        assert type(ours) is type(theirs) and list(ours) == list(theirs)
        for k in theirs:
            _same(ours[k], theirs[k])
    elif isinstance(theirs, (list, tuple)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _same(a, b)
    else:
        assert ours == theirs


def _pair(sample_fn, n=3):
    rng = np.random.default_rng(0)
    samples = [sample_fn(rng) for _ in range(n)]
    return samples


CASES = {
    "float": lambda r: float(r.normal()),
    "int": lambda r: int(r.integers(10)),
    "bool": lambda r: bool(r.integers(2)),
    "str": lambda r: "abc"[int(r.integers(3))],
    "np_f32": lambda r: r.normal(size=(2, 3)).astype(np.float32),
    "np_u8": lambda r: r.integers(0, 255, (4,)).astype(np.uint8),
    "np_scalar": lambda r: np.float64(r.normal()),
    "np_int_scalar": lambda r: np.int32(r.integers(5)),
    "tuple": lambda r: (r.normal(size=2).astype(np.float32), int(r.integers(10))),
    "list": lambda r: [float(r.normal()), float(r.normal())],
    "dict": lambda r: {"img": r.normal(size=(1, 2)), "label": int(r.integers(3)), "name": "a"},
    "namedtuple": lambda r: Point(r.normal(size=2), int(r.integers(3))),
    "nested": lambda r: {"a": (int(r.integers(3)), {"b": [float(r.normal())]})},
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_default_collate_matches_torch(case):
    samples = _pair(CASES[case])
    theirs = tud.default_collate(samples)
    ours = default_collate(list(samples))
    _same(ours, theirs)



def test_collate_ember_tensors_like_torch_tensors():
    rng = np.random.default_rng(1)
    arrs = [rng.normal(size=(3, 2)).astype(np.float32) for _ in range(4)]
    ours = default_collate([(ember.tensor(a), ember.tensor(i)) for i, a in enumerate(arrs)])
    theirs = tud.default_collate([(torch.tensor(a), torch.tensor(i)) for i, a in enumerate(arrs)])
    _same(ours, theirs)


def test_collate_errors():
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([[1, 2], [1]])
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([np.zeros(2), np.zeros(3)])
    with pytest.raises(TypeError, match="found"):
        default_collate([np.array(["a"], dtype=object)] * 2)
    with pytest.raises(TypeError, match="set"):
        default_collate([{1}, {2}])
    with pytest.raises(ValueError, match="empty"):
        default_collate([])


def test_default_convert_matches_torch():
    data = {"a": np.arange(3), "b": (np.float32(2.0), "s"), "c": Point(np.ones(2), 1)}
    _same(default_convert(data), tud.default_convert(data))
