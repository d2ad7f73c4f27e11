"""Trainer: resume from a mid-epoch checkpoint reproduces the uninterrupted run bit for bit."""
import json
import os

import numpy as np
import pytest

import ember
from ember import nn
from ember.utils.data import DataLoader, TensorDataset
from ember.utils.trainer import Trainer, set_trainable


def _setup(tmp, seed=0):
    ember.manual_seed(seed)
    g = np.random.default_rng(0)
    x = ember.tensor(g.normal(size=(40, 5)).astype(np.float32))
    y = ember.tensor(g.integers(0, 3, 40))
    model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 3))
    opt = ember.optim.Adam(model.parameters(), lr=1e-2)
    sched = ember.optim.lr_scheduler.StepLR(opt, 1, 0.5)
    loader = DataLoader(TensorDataset(x, y), batch_size=8, shuffle=True)
    tr = Trainer(model, opt, scheduler=sched, checkpoint_dir=str(tmp), checkpoint_every=3,
                 log_dir=str(tmp), progress=False, clip_grad_norm=1.0)
    return tr, loader


def _params(model):
    return [p.detach().numpy().copy() for p in model.parameters()]


def test_resume_mid_epoch_is_bitwise_identical(tmp_path):
    full, loader = _setup(tmp_path / "a")
    full.fit(loader, epochs=3)
    part, loader = _setup(tmp_path / "b")
    part.fit(loader, epochs=3, max_steps=7)  # killed during epoch 2 (5 steps per epoch)
    assert part.global_step == 7
    resumed, loader = _setup(tmp_path / "b", seed=123)  # fresh process, different RNG state
    resumed.fit(loader, epochs=3, resume=str(tmp_path / "b" / "last.safetensors"))
    for a, b in zip(_params(full.model), _params(resumed.model)):
        np.testing.assert_array_equal(a, b)
    assert resumed.history["train_loss"][-1] == full.history["train_loss"][-1]
    hist = json.load(open(tmp_path / "a" / "history.json"))
    assert hist["epoch"] == [1, 2, 3] and hist["lr"][1] == pytest.approx(5e-3)
    assert os.path.getsize(tmp_path / "a" / "curves.png") > 1000
    assert (tmp_path / "a" / "history.csv").read_text().startswith("train_loss,")


def test_early_stopping_and_evaluate(tmp_path):
    tr, loader = _setup(tmp_path)
    tr.optimizer.param_groups[0]["lr"] = 0.0  # nothing improves after epoch 1
    tr.scheduler = None
    tr.patience = 2
    val = DataLoader(loader.dataset, batch_size=8)  # fixed order: identical val losses
    hist = tr.fit(loader, epochs=10, val_loader=val)
    assert len(hist["epoch"]) == 3
    ev = tr.evaluate(loader)
    assert 0.0 <= ev["accuracy"] <= 1.0 and ev["loss"] > 0


def test_set_trainable_freezes():
    m = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))
    params = set_trainable(m, ["1."])
    assert len(params) == 2 and not m[0].weight.requires_grad and m[1].weight.requires_grad
