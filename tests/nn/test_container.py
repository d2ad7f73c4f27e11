"""Containers: indexing, mutation, state_dict keys and repr compared with torch."""
from collections import OrderedDict

import numpy as np
import pytest
import torch

import ember
import ember.nn as nn
from _helpers_a import from_torch_sd
from tolerances import TOL, assert_close


def test_sequential_indexing_slicing_and_keys():
    e = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    t = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    assert len(e) == 3 and isinstance(e[-1], nn.Linear) and isinstance(e[1:], nn.Sequential)
    assert list(e[1:].state_dict()) == list(t[1:].state_dict()) == ["2.weight", "2.bias"]
    assert repr(e) == repr(t).replace("torch.", "")
    e.load_state_dict(from_torch_sd(t))
    x = np.random.default_rng(0).standard_normal((4, 2)).astype(np.float32)
    assert_close(e(ember.tensor(x)), t(torch.tensor(x)), **TOL["float32_reduce"])
    with pytest.raises(IndexError, match="out of range"):
        e[3]


def test_sequential_mutation_matches_torch():
    def build(lib):
        return lib.nn.Sequential(lib.nn.Linear(1, 1), lib.nn.ReLU(), lib.nn.Tanh())

    e, t = build(ember), build(torch)
    for m in (e, t):
        nnm = ember.nn if m is e else torch.nn
        m.append(nnm.Sigmoid())
        m.insert(1, nnm.Identity())
        del m[2]
        m.extend([nnm.ReLU()])
        m[0] = nnm.Linear(1, 2)
    assert [type(m).__name__ for m in e] == [type(m).__name__ for m in t]
    assert list(e._modules) == list(t._modules)
    assert list(e.state_dict()) == list(t.state_dict())
    assert type(e.pop(1)).__name__ == type(t.pop(1)).__name__
    assert len(e + e) == 2 * len(e) and len(e * 2) == 2 * len(e)


def test_sequential_ordered_dict():
    e = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 2)), ("act", nn.ReLU())]))
    assert list(e.state_dict()) == ["fc.weight", "fc.bias"] and e.act is e[1]


def test_module_list():
    ml = nn.ModuleList([nn.Linear(2, 2), nn.ReLU()])
    ml.append(nn.Linear(2, 2))
    ml += [nn.Tanh()]
    assert len(ml) == 4 and isinstance(ml[1:3], nn.ModuleList)
    assert list(ml.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    ml.insert(0, nn.Identity())
    assert isinstance(ml[0], nn.Identity) and list(ml._modules) == ["0", "1", "2", "3", "4"]
    del ml[0]
    assert isinstance(ml[0], nn.Linear)
    assert len(list(ml.parameters())) == 4
    with pytest.raises(TypeError, match="not a Module subclass"):
        ml.append(3)


def test_module_dict():
    md = nn.ModuleDict({"a": nn.Linear(2, 2), "b": nn.ReLU()})
    md["c"] = nn.Tanh()
    assert list(md.keys()) == ["a", "b", "c"] and "a" in md and len(md) == 3
    assert list(md.state_dict()) == ["a.weight", "a.bias"]
    assert isinstance(md.pop("b"), nn.ReLU) and list(md) == ["a", "c"]
    md.update([("d", nn.Identity())])
    assert list(md) == ["a", "c", "d"]
    t = torch.nn.ModuleDict({"a": torch.nn.Linear(2, 2)})
    assert repr(nn.ModuleDict({"a": nn.Linear(2, 2)})) == repr(t)


def test_parameter_list_and_dict():
    pl = nn.ParameterList([ember.zeros(2), nn.Parameter(ember.ones(3))])
    assert all(isinstance(p, nn.Parameter) for p in pl) and len(pl) == 2
    pl.append(ember.ones(1))
    assert list(pl.state_dict()) == ["0", "1", "2"]
    assert len(list(pl.parameters())) == 3
    pd = nn.ParameterDict({"w": ember.zeros(2, 2)})
    pd["b"] = ember.zeros(2)
    assert list(pd.state_dict()) == ["w", "b"] and isinstance(pd["b"], nn.Parameter)
    del pd["w"]
    assert list(pd.keys()) == ["b"] and "w" not in pd.state_dict()
    tpl = torch.nn.ParameterList([torch.zeros(2, 3)])
    assert repr(nn.ParameterList([ember.zeros(2, 3)])).replace("ember.", "") == repr(tpl).replace("torch.", "")


def test_container_in_model_state_dict_roundtrip_with_torch():
    class E(nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = nn.ModuleList([nn.Linear(3, 3) for _ in range(2)])
            self.heads = nn.ModuleDict({"cls": nn.Linear(3, 2)})
            self.scales = nn.ParameterList([nn.Parameter(ember.ones(3))])

    class T(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = torch.nn.ModuleList([torch.nn.Linear(3, 3) for _ in range(2)])
            self.heads = torch.nn.ModuleDict({"cls": torch.nn.Linear(3, 2)})
            self.scales = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(3))])

    e, t = E(), T()
    assert list(e.state_dict()) == list(t.state_dict())
    e.load_state_dict(from_torch_sd(t))
    t.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in e.state_dict().items()})
    assert_close(e.heads["cls"].weight, t.heads["cls"].weight, **TOL["float32"])
