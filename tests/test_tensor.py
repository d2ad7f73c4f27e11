"""Tensor basics vs torch: dtypes and promotion, creation, conversion, repr, errors."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import ember
from strategies import broadcast_pair, float_arrays, shape_and_dim
from tolerances import TOL, assert_close

DTYPES = ["float16", "float32", "float64", "uint8", "int8", "int16", "int32", "int64", "bool"]


def _make(lib, name, ndim):
    data = [1, 0] if ndim else 1
    return lib.tensor(data, dtype=getattr(lib, name))


@pytest.mark.parametrize("a,b", list(itertools.product(DTYPES, DTYPES)))
def test_binary_promotion_matches_torch(a, b):
    for nda, ndb in [(1, 1), (1, 0), (0, 1)]:
        e = _make(ember, a, nda) + _make(ember, b, ndb) if not (a == b == "bool") else None
        t = _make(torch, a, nda) + _make(torch, b, ndb) if e is not None else None
        if e is not None:
            assert e.dtype.name == str(t.dtype).replace("torch.", ""), (a, b, nda, ndb)


@pytest.mark.parametrize("name", DTYPES)
@pytest.mark.parametrize("scalar", [2, 2.5, True])
def test_scalar_promotion_matches_torch(name, scalar):
    e = _make(ember, name, 1) * scalar
    t = _make(torch, name, 1) * scalar
    assert e.dtype.name == str(t.dtype).replace("torch.", "")


def test_true_division_of_ints_gives_float():
    assert (ember.tensor([1, 2]) / 2).dtype == ember.float32
    assert (ember.tensor([3, 4]) // 2).tolist() == [1, 2]


@pytest.mark.parametrize("data", [[1, 2], [1.0, 2], [[True, False]], 3, 2.5,
                                  np.array([1, 2], dtype=np.int32), np.array([1.0])])
def test_tensor_dtype_inference(data):
    e, t = ember.tensor(data), torch.tensor(data)
    assert e.dtype.name == str(t.dtype).replace("torch.", "")
    assert e.tolist() == t.tolist()


def test_creation_functions_match_torch():
    for fn in ["zeros", "ones", "empty"]:
        assert getattr(ember, fn)(2, 3).shape == (2, 3)
        assert getattr(ember, fn)((2, 3), dtype=ember.int32).dtype == ember.int32
    assert ember.full((2,), 7).dtype == ember.int64
    assert ember.full((2,), 7.0).dtype == ember.float32
    assert_close(ember.arange(0, 1, 0.1), torch.arange(0, 1, 0.1), **TOL["float32"])
    assert ember.arange(5).dtype == ember.int64
    assert ember.arange(1, 10, 3).tolist() == torch.arange(1, 10, 3).tolist()
    assert_close(ember.linspace(-1, 1, 7), torch.linspace(-1, 1, 7), **TOL["float32"])
    assert_close(ember.logspace(0, 2, 5), torch.logspace(0, 2, 5), **TOL["float32_reduce"])
    assert ember.eye(2, 3).tolist() == torch.eye(2, 3).tolist()
    x = ember.randn(2, 3, dtype=ember.float64)
    assert ember.zeros_like(x).dtype == ember.float64 and ember.ones_like(x).shape == (2, 3)
    assert ember.full_like(x, 3).tolist() == [[3.0] * 3] * 2


def test_from_numpy_shares_memory_and_as_tensor():
    a = np.arange(3.0)
    t = ember.from_numpy(a)
    a[0] = 10
    assert t[0].item() == 10 and t.dtype == ember.float64
    assert ember.as_tensor(a)._data is a
    with pytest.raises(TypeError, match="np.ndarray"):
        ember.from_numpy([1, 2])


def test_random_is_seeded_and_has_right_distribution():
    ember.manual_seed(0)
    a = ember.randn(1000)
    ember.manual_seed(0)
    b = ember.randn(1000)
    assert ember.equal(a, b)
    assert abs(a.mean().item()) < 0.1 and abs(a.std().item() - 1) < 0.1
    u = ember.rand(1000)
    assert 0 <= u.min().item() and u.max().item() < 1
    r = ember.randint(3, 7, (100,))
    assert r.min().item() >= 3 and r.max().item() < 7 and r.dtype == ember.int64
    assert sorted(ember.randperm(6).tolist()) == list(range(6))
    g = ember.Generator().manual_seed(1)
    assert ember.equal(ember.rand(3, generator=g), ember.rand(3, generator=ember.Generator().manual_seed(1)))
    p = ember.bernoulli(ember.full((2000,), 0.3))
    assert abs(p.mean().item() - 0.3) < 0.05
    n = ember.normal(2.0, 3.0, size=(4000,))
    assert abs(n.mean().item() - 2) < 0.2 and abs(n.std().item() - 3) < 0.2
    m = ember.multinomial(ember.tensor([0.0, 1.0, 0.0]), 2, replacement=True)
    assert m.tolist() == [1, 1]


def test_rng_state_roundtrip():
    ember.manual_seed(3)
    s = ember.get_rng_state()
    a = ember.rand(4)
    ember.set_rng_state(s)
    assert ember.equal(a, ember.rand(4))


def test_repr_like_torch():
    assert repr(ember.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert repr(ember.tensor([1, 2])) == "tensor([1, 2])"
    assert "requires_grad=True" in repr(ember.ones(2, requires_grad=True))
    assert "dtype=ember.float64" in repr(ember.ones(2, dtype=ember.float64))
    assert "grad_fn=<MulBackward0>" in repr(ember.ones(2, requires_grad=True) * 2)
    assert repr(ember.Size([2, 3])) == "ember.Size([2, 3])"


def test_item_tolist_numpy_and_conversions():
    x = ember.tensor([[1.5]])
    assert x.item() == 1.5 and float(x) == 1.5 and int(ember.tensor(3)) == 3
    with pytest.raises(RuntimeError, match="cannot be converted to Scalar"):
        ember.ones(2).item()
    with pytest.raises(RuntimeError, match="Use tensor.detach"):
        ember.ones(2, requires_grad=True).numpy()
    assert np.asarray(ember.ones(2)).tolist() == [1.0, 1.0]
    assert ember.ones(2).long().dtype == ember.int64 and ember.ones(2).double().dtype == ember.float64
    assert ember.ones(2).to(ember.float16).dtype == ember.float16
    assert ember.ones(2).type() == "ember.FloatTensor"
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(ember.ones(2))


def test_device_api_and_cuda_error():
    x = ember.ones(2)
    assert x.device == ember.device("cpu") and x.to("cpu") is x and x.cpu() is x
    assert str(ember.device("cuda:1")) == "cuda:1"
    if not ember.cuda.is_available():
        with pytest.raises(RuntimeError, match="CUDA"):
            x.cuda()
    with pytest.raises(RuntimeError, match="device type"):
        ember.device("tpu")


def test_views_share_memory_and_version():
    x = ember.zeros(2, 3)
    v = x.view(3, 2)
    v[0, 0] = 1.0
    assert x[0, 0].item() == 1.0
    assert v._version is x._version and x._version[0] == 1
    t = x.t()
    assert t._base is x
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        t.view(6)
    assert t.reshape(6).shape == (6,)


def test_bad_inputs_name_the_problem():
    with pytest.raises(IndexError, match="Dimension out of range"):
        ember.ones(2, 3).sum(2)
    with pytest.raises(RuntimeError, match="cannot be multiplied"):
        ember.ones(2, 3) @ ember.ones(2, 3)
    with pytest.raises(RuntimeError, match="is invalid for input of size"):
        ember.ones(2, 3).reshape(4, 2)
    with pytest.raises(RuntimeError, match="same dtype"):
        ember.ones(2, 3) @ ember.ones(3, 2, dtype=ember.float64)
    with pytest.raises(RuntimeError, match="Sizes of tensors must match"):
        ember.cat([ember.ones(2, 3), ember.ones(3, 2)])
    with pytest.raises(ValueError, match="broadcast|shape"):
        ember.ones(2, 3) + ember.ones(4)
    with pytest.raises(TypeError, match="must be a Tensor or a number"):
        ember.add(ember.ones(2), "a")
    with pytest.raises(RuntimeError, match="negative dimension"):
        ember.zeros(-1)
    with pytest.raises(RuntimeError, match="Expected dtype int64"):
        ember.ones(3).gather(0, ember.ones(3))


def test_c175_multiplication_family():
    """mul elementwise+broadcast; dot 1-D only; mm strict 2-D; matmul batches; @ == matmul."""
    a, b = ember.randn(2, 3, 4), ember.randn(2, 4, 5)
    assert ember.equal(a @ b, ember.matmul(a, b))
    with pytest.raises(RuntimeError, match="must be a matrix"):
        ember.mm(a, b)
    with pytest.raises(RuntimeError, match="1D tensors expected"):
        ember.dot(a[0], b[0])
    assert (ember.ones(3, 1) * ember.ones(1, 4)).shape == (3, 4)
    v = ember.randn(4)
    assert_close(a @ v, np.matmul(a.numpy(), v.numpy()), **TOL["float32_reduce"])


@given(shapes=broadcast_pair(), data=st.data())
def test_hypothesis_broadcast_binary_ops_match_torch(shapes, data):
    sa, sb = shapes
    a = data.draw(float_arrays(shape=sa, domain=(0.5, 2.0)))
    b = data.draw(float_arrays(shape=sb, domain=(0.5, 2.0)))
    for op in (lambda L, x, y: x * y + x, lambda L, x, y: x / y - y, lambda L, x, y: L.maximum(x, y)):
        ea, eb = ember.tensor(a, requires_grad=True), ember.tensor(b, requires_grad=True)
        ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
        oe, ot = op(ember, ea, eb), op(torch, ta, tb)
        assert_close(oe, ot.detach(), **TOL["float64"])
        oe.sum().backward()
        ot.sum().backward()
        assert_close(ea.grad, ta.grad, **TOL["float64_reduce"])
        assert_close(eb.grad, tb.grad, **TOL["float64_reduce"])


@given(sd=shape_and_dim(), data=st.data(), keepdim=st.booleans())
def test_hypothesis_reductions_match_torch(sd, data, keepdim):
    shape, dim = sd
    x = data.draw(float_arrays(shape=shape))
    for name in ("sum", "mean", "amax", "logsumexp", "softmax", "cumsum"):
        args = (dim,) if name in ("softmax", "cumsum") else (dim, keepdim)
        e = getattr(ember.tensor(x), name)(*args)
        t = getattr(torch.tensor(x), name)(*args)
        assert_close(e, t, **TOL["float64_reduce"])
    if shape[dim] > 1:
        assert_close(ember.tensor(x).var(dim, keepdim=keepdim), torch.tensor(x).var(dim, keepdim=keepdim),
                     **TOL["float64_reduce"])


@given(sd=shape_and_dim(), data=st.data())
def test_hypothesis_shape_ops_roundtrip(sd, data):
    shape, dim = sd
    x = ember.tensor(data.draw(float_arrays(shape=shape)))
    assert ember.equal(x.unsqueeze(dim).squeeze(dim if dim < 0 else dim), x)
    parts = x.chunk(2, dim)
    assert ember.equal(ember.cat(parts, dim), x)
    assert ember.equal(ember.stack(x.unbind(dim), dim), x)
    assert ember.equal(x.flip(dim).flip(dim), x)
    perm = data.draw(st.permutations(range(len(shape))))
    assert ember.equal(x.permute(*perm).permute(*np.argsort(perm).tolist()), x)
