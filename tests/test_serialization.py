"""ember.save / ember.load: safetensors files, nested structures, atomic writes, torch interop."""
from __future__ import annotations

import os

import numpy as np
import pytest
import torch
from safetensors.torch import load_file, save_file

import ember


def test_roundtrip_nested(tmp_path):
    obj = {"model": {"w": ember.randn(2, 3), "b": ember.zeros(3, dtype=ember.float64)},
           "epoch": 3, "lrs": [0.1, 0.01], "name": "lenet", "best": None, "pair": (1, ember.ones(1))}
    p = tmp_path / "ck.safetensors"
    ember.save(obj, p)
    back = ember.load(p)
    assert back["epoch"] == 3 and back["lrs"] == [0.1, 0.01] and back["name"] == "lenet"
    assert back["best"] is None and isinstance(back["pair"], tuple)
    assert ember.equal(back["model"]["w"], obj["model"]["w"])
    assert back["model"]["b"].dtype == ember.float64


def test_flat_state_dict_interoperates_with_safetensors_torch(tmp_path):
    sd = {"fc.weight": ember.randn(4, 3), "fc.bias": ember.randn(4)}
    p = tmp_path / "sd.safetensors"
    ember.save(sd, p)
    t = load_file(str(p))
    assert set(t) == {"fc.weight", "fc.bias"}
    np.testing.assert_array_equal(t["fc.weight"].numpy(), sd["fc.weight"].numpy())
    q = tmp_path / "torch.safetensors"
    save_file({"w": torch.arange(6.0).reshape(2, 3)}, str(q))
    back = ember.load(q)
    assert back["w"].tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


def test_unserializable_object_is_rejected_and_no_file_left(tmp_path):
    p = tmp_path / "bad.safetensors"
    with pytest.raises(TypeError, match="without pickle"):
        ember.save({"f": object()}, p)
    assert not p.exists()


def test_atomic_write_leaves_old_file_on_failure(tmp_path, monkeypatch):
    p = tmp_path / "x.safetensors"
    ember.save({"a": ember.ones(2)}, p)
    import ember.serialization as ser

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(ser.os, "replace", boom)
    with pytest.raises(OSError):
        ember.save({"a": ember.zeros(2)}, p)
    monkeypatch.undo()
    assert ember.load(p)["a"].tolist() == [1.0, 1.0]
    assert [f for f in os.listdir(tmp_path) if f.startswith(".tmp")] == []


def test_corrupt_file_gives_clear_error(tmp_path):
    p = tmp_path / "c.safetensors"
    p.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json")
    with pytest.raises(RuntimeError, match="not a valid safetensors file"):
        ember.load(p)
    with pytest.raises(FileNotFoundError):
        ember.load(tmp_path / "missing.safetensors")
