"""Identity, Linear, Bilinear, Flatten/Unflatten, Embedding, distances: parity with torch 2.13."""
import math

import numpy as np
import pytest
import torch

import ember
import ember.nn as nn
from _helpers_a import from_torch_sd, run_parity
from tolerances import TOL, assert_close

RNG = np.random.default_rng(0)


def _module_parity(e, t, *shapes, tol="float32_reduce"):
    """Copy torch's weights into e, compare outputs, input grads and parameter grads."""
    e.load_state_dict(from_torch_sd(t))
    xs = [RNG.standard_normal(s).astype(np.float32) for s in shapes]
    run_parity(lambda *a: e(*a), lambda *a: t(*a), *xs, tol=tol)
    for (n, pe), (_, pt) in zip(e.named_parameters(), t.named_parameters()):
        assert_close(pe.grad, pt.grad, **TOL[tol], name=n)


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("shape", [(5, 4), (2, 3, 4), (4,)])
def test_linear_matches_torch(bias, shape):
    e, t = nn.Linear(4, 3, bias=bias), torch.nn.Linear(4, 3, bias=bias)
    assert repr(e) == repr(t) and list(e.state_dict()) == list(t.state_dict())
    _module_parity(e, t, shape)


def test_linear_float64_gradcheck():
    m = nn.Linear(3, 2).double()
    x = ember.randn(4, 3, dtype=ember.float64, requires_grad=True)
    assert ember.autograd.gradcheck(lambda a, w, b: nn.functional.linear(a, w, b), (x, m.weight, m.bias),
                                    **TOL["gradcheck"])
    assert ember.autograd.gradgradcheck(lambda a, w: nn.functional.linear(a, w) ** 2, (x, m.weight),
                                        **TOL["gradcheck"])


def test_linear_default_init_distribution():
    m = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    w, b = m.weight.detach().numpy(), m.bias.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    # U(-b, b): var = b^2 / 3; 120000 samples -> the sample variance is within 2%
    assert abs(w.var() / (bound ** 2 / 3) - 1) < 0.02
    assert nn.Linear(0, 2).bias.abs().max().item() == 0.0  # fan_in 0: bound 0 (torch)


def test_linear_errors():
    with pytest.raises(RuntimeError):
        nn.Linear(4, 3)(ember.randn(2, 5))
    with pytest.raises(ValueError, match="in_features"):
        nn.Linear(-1, 3)


def test_bilinear_and_identity_match_torch():
    e, t = nn.Bilinear(3, 4, 2), torch.nn.Bilinear(3, 4, 2)
    assert repr(e) == repr(t)
    _module_parity(e, t, (5, 3), (5, 4))
    assert abs(e.weight).max().item() <= 1 / math.sqrt(3)
    x = ember.randn(2)
    assert nn.Identity(3, k=1)(x) is x
    with pytest.raises(RuntimeError, match="batch dimensions"):
        e(ember.randn(5, 3), ember.randn(4, 4))


def test_flatten_unflatten():
    x = RNG.standard_normal((2, 3, 4, 5)).astype(np.float32)
    for args in [(), (0, -1), (1, 2), (2,)]:
        assert repr(nn.Flatten(*args)) == repr(torch.nn.Flatten(*args))
        run_parity(nn.Flatten(*args), torch.nn.Flatten(*args), x)
    run_parity(nn.Unflatten(1, (3, 1)), torch.nn.Unflatten(1, (3, 1)), x)
    run_parity(nn.Unflatten(-1, (-1, 5)), torch.nn.Unflatten(-1, (-1, 5)), x)
    assert repr(nn.Unflatten(1, (3, 1))) == repr(torch.nn.Unflatten(1, (3, 1)))
    with pytest.raises(TypeError, match="unflattened_size"):
        nn.Unflatten(1, 3)


@pytest.mark.parametrize("kwargs", [{}, {"padding_idx": 2}, {"padding_idx": -1}, {"scale_grad_by_freq": True},
                                    {"max_norm": 1.0}, {"max_norm": 0.5, "norm_type": 1.0}])
def test_embedding_matches_torch(kwargs):
    t = torch.nn.Embedding(6, 4, **kwargs)
    e = nn.Embedding(6, 4, **kwargs)
    assert repr(e) == repr(t)
    e.load_state_dict(from_torch_sd(t))
    idx = np.array([[0, 2, 2, 5], [1, 2, 3, 5]])
    ye, yt = e(ember.tensor(idx)), t(torch.tensor(idx))
    assert_close(ye, yt, **TOL["float32"])
    g = RNG.standard_normal(yt.shape).astype(np.float32)
    (ye * ember.tensor(g)).sum().backward()
    (yt * torch.tensor(g)).sum().backward()
    assert_close(e.weight.grad, t.weight.grad, **TOL["float32"])
    assert_close(e.weight, t.weight, **TOL["float32"])  # max_norm renormalised the same rows in place


def test_embedding_init_from_pretrained_and_errors():
    e = nn.Embedding(10, 3, padding_idx=0)
    assert float(e.weight[0].abs().sum()) == 0.0
    w = ember.randn(4, 2)
    fp = nn.Embedding.from_pretrained(w)
    assert not fp.weight.requires_grad and fp(ember.tensor([3])).tolist() == w[3:4].tolist()
    assert nn.Embedding.from_pretrained(w, freeze=False).weight.requires_grad
    with pytest.raises(IndexError, match="index out of range"):
        e(ember.tensor([10]))
    with pytest.raises(RuntimeError, match="indices"):
        e(ember.tensor([1.0]))
    with pytest.raises(ValueError, match="Padding_idx"):
        nn.Embedding(3, 2, padding_idx=3)
    with pytest.raises(ValueError, match="2-dimensional"):
        nn.Embedding.from_pretrained(ember.randn(3))


def test_embedding_double_backward():
    w = ember.randn(5, 3, dtype=ember.float64, requires_grad=True)
    idx = ember.tensor([[0, 4], [4, 1]])
    F = nn.functional
    assert ember.autograd.gradcheck(lambda a: F.embedding(idx, a, scale_grad_by_freq=False), (w,), **TOL["gradcheck"])
    assert ember.autograd.gradgradcheck(lambda a: F.embedding(idx, a) ** 2, (w,), **TOL["gradcheck"])


def test_one_hot_matches_torch():
    idx = np.array([[0, 3], [2, 1]])
    for n in (-1, 5):
        e = nn.functional.one_hot(ember.tensor(idx), n)
        t = torch.nn.functional.one_hot(torch.tensor(idx), n)
        assert e.dtype == ember.int64 and e.tolist() == t.tolist()
    with pytest.raises(RuntimeError, match="smaller than num_classes"):
        nn.functional.one_hot(ember.tensor([3]), 3)
    with pytest.raises(RuntimeError, match="LongTensor"):
        nn.functional.one_hot(ember.tensor([1.0]))


@pytest.mark.parametrize("p", [1.0, 2.0, 3.0, math.inf])
def test_pairwise_distance_matches_torch(p):
    x1, x2 = RNG.standard_normal((5, 4)), RNG.standard_normal((5, 4))
    run_parity(lambda a, b: nn.PairwiseDistance(p)(a, b), lambda a, b: torch.nn.PairwiseDistance(p)(a, b),
               x1, x2, tol="float64")
    run_parity(lambda a, b: nn.functional.pairwise_distance(a, b, p, keepdim=True),
               lambda a, b: torch.nn.functional.pairwise_distance(a, b, p, keepdim=True), x1, x2[0], tol="float64")


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cosine_similarity_matches_torch(dim):
    x1, x2 = RNG.standard_normal((3, 4, 5)), RNG.standard_normal((3, 4, 5))
    run_parity(lambda a, b: nn.CosineSimilarity(dim)(a, b), lambda a, b: torch.nn.CosineSimilarity(dim)(a, b),
               x1, x2, tol="float64")
    a = ember.tensor(x1, requires_grad=True)
    assert ember.autograd.gradcheck(lambda t: nn.functional.cosine_similarity(t, t * 2 + 1, dim), (a,),
                                    **TOL["gradcheck"])
