"""Smoke test of every benchmark workload: one training step in ember and in torch from the same
initial weights (torch's state_dict copied into ember) gives the same loss, and the updated
weights agree (issue 11: timing is never asserted)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import ember
from ember.utils.benchmark import workloads as W
from tolerances import TOL, assert_close

MODELS = [("mlp", W.mlp, (16, 784), 10), ("lenet5", W.lenet5, (8, 1, 28, 28), 10),
          ("bn_cnn", W.bn_cnn, (4, 3, 32, 32), 10), ("resnet18_cifar", W.resnet18_cifar, (2, 3, 32, 32), 10),
          ("lstm_lm", W.lstm_lm, (2, 7), 10000), ("encoder_layer", W.encoder_layer, (2, 8, 256), 10)]


def _copy(tm, em):
    em.load_state_dict({k: ember.tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})


@pytest.mark.parametrize("name,build,shape,classes", MODELS, ids=[m[0] for m in MODELS])
def test_one_step_same_loss_and_update(name, build, shape, classes):
    tm, em = build(torch), build(ember)
    _copy(tm, em)
    rng = np.random.default_rng(0)
    if name == "lstm_lm":
        x = rng.integers(0, 10000, shape)
        y = rng.integers(0, classes, shape[0] * shape[1])
    else:
        x = rng.standard_normal(shape).astype(np.float32)
        y = rng.integers(0, classes, shape[0])
    losses = []
    for L, m in ((torch, tm), (ember, em)):
        opt = L.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
        loss = L.nn.CrossEntropyLoss()(m(L.tensor(x)), L.tensor(y))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert_close(losses[1], losses[0], **TOL["float32_deep"], name=f"{name} loss")
    tsd = tm.state_dict()
    for k, v in em.state_dict().items():
        assert_close(v, tsd[k].detach(), **TOL["float32_reduce"], name=f"{name}:{k}")
