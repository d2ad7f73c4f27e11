"""A torch state_dict loads into the ember twin of a small CNN and gives the same logits
(and ember's loads back into torch), in eval and train mode, with a safetensors round trip."""
from __future__ import annotations

import numpy as np
import torch
from safetensors.torch import load_file, save_file

import ember
from tolerances import TOL, assert_close


def cnn(L):
    nn = L.nn
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8, 16, 3, stride=2, padding=1, groups=2), nn.BatchNorm2d(16),
                         nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2),
                         nn.Linear(16, 10))


def _train_a_bit(model):
    x = torch.randn(16, 3, 16, 16)
    for _ in range(3):  # so BN running stats are not the defaults
        model(x)
    return model


def test_torch_state_dict_gives_same_logits_in_ember(tmp_path):
    torch.manual_seed(0)
    tm = _train_a_bit(cnn(torch))
    em = cnn(ember)
    res = em.load_state_dict({k: ember.tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})
    assert not res.missing_keys and not res.unexpected_keys
    assert list(em.state_dict()) == list(tm.state_dict())
    x = np.random.default_rng(0).standard_normal((4, 3, 16, 16)).astype(np.float32)
    tm.eval(), em.eval()
    with torch.no_grad():
        ref = tm(torch.tensor(x))
    assert_close(em(ember.tensor(x)), ref, **TOL["float32_reduce"])
    # and back: ember -> safetensors file -> torch
    path = tmp_path / "cnn.safetensors"
    ember.save(em.state_dict(), path)
    tm2 = cnn(torch)
    tm2.load_state_dict(load_file(str(path)))
    tm2.eval()
    with torch.no_grad():
        assert_close(tm2(torch.tensor(x)), ref, **TOL["float32"])


def test_train_mode_batch_statistics_match(tmp_path):
    torch.manual_seed(1)
    tm = cnn(torch)
    path = tmp_path / "t.safetensors"
    save_file({k: v.contiguous() for k, v in tm.state_dict().items()}, str(path))
    em = cnn(ember)
    em.load_state_dict(ember.load(path))
    tm[9].p = em[9].p = 0.0  # dropout off so train mode is deterministic
    x = np.random.default_rng(1).standard_normal((8, 3, 16, 16)).astype(np.float32)
    xt, xe = torch.tensor(x, requires_grad=True), ember.tensor(x, requires_grad=True)
    yt, ye = tm(xt), em(xe)
    assert_close(ye, yt.detach(), **TOL["float32_reduce"])
    yt.square().sum().backward()
    ye.square().sum().backward()
    assert_close(xe.grad, xt.grad, **TOL["float32_reduce"])
    assert_close(em[1].running_var, tm[1].running_var, **TOL["float32_reduce"])
