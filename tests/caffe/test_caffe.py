"""Caffe-style Blob/Layer/Net/Solver/Proto built on ember."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

import ember
from ember.caffe import Net, SGDSolver, parse_net, register_layer, LAYER_TYPES

MLP = {"name": "mlp", "inputs": {"data": [32, 1, 4, 4], "label": [32]},
       "layers": [{"name": "ip1", "type": "InnerProduct", "bottom": ["data"], "top": ["ip1"],
                   "params": {"num_output": 16}},
                  {"name": "relu1", "type": "ReLU", "bottom": ["ip1"], "top": ["ip1"]},
                  {"name": "ip2", "type": "InnerProduct", "bottom": ["ip1"], "top": ["ip2"],
                   "params": {"num_output": 3}},
                  {"name": "loss", "type": "SoftmaxWithLoss", "bottom": ["ip2", "label"], "top": ["loss"]},
                  {"name": "acc", "type": "Accuracy", "bottom": ["ip2", "label"], "top": ["acc"]}]}


def _batch(it):
    rng = np.random.default_rng(it % 5)
    y = rng.integers(0, 3, 32)
    x = (rng.standard_normal((32, 1, 4, 4)) * 0.3 + y[:, None, None, None]).astype(np.float32)
    return {"data": ember.tensor(x), "label": ember.tensor(y)}


def test_net_builds_bottom_up_and_trains(tmp_path):
    ember.manual_seed(0)
    net = Net(json.dumps(MLP))
    assert net.blob_shapes["ip2"] == (32, 3) and net.loss_blobs == ["loss"]
    solver = SGDSolver(net, {"base_lr": 0.1, "momentum": 0.9, "lr_policy": "step", "stepsize": 50,
                             "snapshot": 40, "snapshot_prefix": str(tmp_path / "mlp")})
    losses = solver.step(60, _batch)
    assert losses[-1] < 0.5 * losses[0]
    assert net.blobs["acc"].data > 0.8
    assert (tmp_path / "mlp_iter_40.safetensors").exists()
    net.forward(**_batch(0))
    net.backward()
    blob = net.blobs["ip2"]
    assert blob.shape == (32, 3) and blob.count == 96
    assert np.abs(net.layers["ip2"][1].weight.grad.numpy()).sum() > 0


def test_learning_rate_policies():
    net = Net(MLP)
    s = lambda **kw: SGDSolver(net, {"base_lr": 0.1, **kw})  # noqa: E731
    assert s(lr_policy="fixed").learning_rate(500) == 0.1
    assert s(lr_policy="step", gamma=0.5, stepsize=10).learning_rate(25) == pytest.approx(0.025)
    assert s(lr_policy="multistep", gamma=0.1, stepvalue=[5, 8]).learning_rate(9) == pytest.approx(0.001)
    assert s(lr_policy="exp", gamma=0.9).learning_rate(2) == pytest.approx(0.081)
    assert s(lr_policy="inv", gamma=0.1, power=0.75).learning_rate(10) == pytest.approx(0.1 * 2 ** -0.75)
    assert s(lr_policy="poly", power=2, max_iter=100).learning_rate(50) == pytest.approx(0.025)


def test_definition_errors_are_clear():
    bad = {"layers": [{"name": "a", "type": "InnerProduct", "bottom": ["nope"], "top": ["a"]}]}
    with pytest.raises(ValueError, match="bottom blob 'nope'"):
        parse_net(bad)
    with pytest.raises(ValueError, match="unknown type 'Foo'"):
        parse_net({"layers": [{"name": "a", "type": "Foo", "top": ["a"]}]})
    with pytest.raises(ValueError, match="not valid JSON"):
        parse_net("{oops")
    with pytest.raises(ValueError, match="lr_policy"):
        SGDSolver(Net(MLP), {"lr_policy": "cosine"})


def test_register_a_new_layer_caffe_style():
    class Scale2(ember.nn.Module):
        def forward(self, x):
            return x * 2

    @register_layer("Scale2")
    def _scale(p, shapes):
        return Scale2(), [shapes[0]]

    try:
        net = Net({"inputs": {"x": [3]}, "layers": [{"name": "s", "type": "Scale2", "bottom": ["x"],
                                                       "top": ["y"]}]})
        x = ember.tensor([1.0, 2.0, 3.0], requires_grad=True)
        blobs = net(x=x)
        assert blobs["y"].data.tolist() == [2.0, 4.0, 6.0]
        blobs["y"].tensor.sum().backward()
        assert x.grad.tolist() == [2.0, 2.0, 2.0]
    finally:
        LAYER_TYPES.pop("Scale2")
