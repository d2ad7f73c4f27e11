"""ember._backend: the one place choosing numpy/cupy; device objects; mixing devices errors.
CUDA tests run only where cupy and a GPU exist (skip cleanly otherwise)."""
from __future__ import annotations

import types

import numpy as np
import pytest

import ember
from ember import _backend

needs_cuda = pytest.mark.skipif(not _backend.cuda_is_available(), reason="needs cupy and a GPU")
DEVICES = ["cpu", pytest.param("cuda", marks=needs_cuda)]


def test_numpy_is_the_default_backend():
    assert _backend.get_array_module(np.ones(2)) is np
    assert _backend.get_array_module() is np
    assert ember.ones(2)._xp() is np


def test_mixing_devices_raises(monkeypatch):
    class FakeGPUArray(np.ndarray):
        pass

    monkeypatch.setattr(_backend, "cp", types.SimpleNamespace(ndarray=FakeGPUArray))
    gpu = np.ones(2).view(FakeGPUArray)
    with pytest.raises(RuntimeError, match="same device"):
        _backend.get_array_module(np.ones(2), gpu)


def test_device_objects():
    assert ember.device("cuda:0") == "cuda:0" and ember.device("cpu") != ember.device("cuda")
    assert repr(ember.device("cuda", 1)) == "device(type='cuda', index=1)"
    with pytest.raises(RuntimeError, match="Invalid device string"):
        ember.device("cuda:x")
    with pytest.raises(TypeError, match="device"):
        ember.device(3)


def test_default_device_from_environment(monkeypatch):
    monkeypatch.setenv("EMBER_DEVICE", "cpu")
    assert _backend.default_device() == ember.device("cpu")


@pytest.mark.parametrize("device", DEVICES)
def test_ops_and_backward_on_each_device(device):
    x = ember.randn(3, 4).to(device).requires_grad_()
    y = (x.exp() * 2).sum()
    y.backward()
    assert x.grad.device == ember.device(device)
    assert np.allclose(np.asarray(x.grad.cpu()), 2 * np.exp(np.asarray(x.detach().cpu())))


@needs_cuda
def test_cuda_roundtrip_and_numpy_error():
    x = ember.ones(2).cuda()
    assert x.is_cuda and x.cpu().tolist() == [1.0, 1.0]
    with pytest.raises(TypeError, match="cuda"):
        x.numpy()
