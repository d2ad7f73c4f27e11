"""nn.Module: registration, iteration, state_dict (torch keys), modes, conversion, hooks, errors."""
import copy
from collections import OrderedDict

import numpy as np
import pytest
import torch

import ember
import ember.nn as nn
from _helpers_a import from_torch_sd
from tolerances import TOL, assert_close


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 4)
        self.register_buffer("running", ember.zeros(4))
        self.register_buffer("scratch", ember.ones(2), persistent=False)
        self.scale = nn.Parameter(ember.ones(1))

    def forward(self, x):
        return self.fc(x) * self.scale + self.running


class TBlock(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(3, 4)
        self.register_buffer("running", torch.zeros(4))
        self.register_buffer("scratch", torch.ones(2), persistent=False)
        self.scale = torch.nn.Parameter(torch.ones(1))

    def forward(self, x):
        return self.fc(x) * self.scale + self.running


def make_pair():
    e = nn.Sequential(Block(), nn.Linear(4, 2))
    t = torch.nn.Sequential(TBlock(), torch.nn.Linear(4, 2))
    return e, t


def test_registration_and_names_match_torch():
    e, t = make_pair()
    assert [n for n, _ in e.named_parameters()] == [n for n, _ in t.named_parameters()]
    assert [n for n, _ in e.named_buffers()] == [n for n, _ in t.named_buffers()]
    assert [n for n, _ in e.named_modules()] == [n for n, _ in t.named_modules()]
    assert [n for n, _ in e.named_children()] == [n for n, _ in t.named_children()]
    assert list(e.state_dict()) == list(t.state_dict())
    assert isinstance(e.state_dict(), OrderedDict)
    assert [n for n, _ in e[0].named_parameters(prefix="p", recurse=False)] == ["p.scale"]


def test_load_torch_state_dict_gives_same_output():
    e, t = make_pair()
    t[0].running.fill_(0.5)
    res = e.load_state_dict(from_torch_sd(t))
    assert res.missing_keys == [] and res.unexpected_keys == []
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    assert_close(e(ember.tensor(x)), t(torch.tensor(x)), **TOL["float32_reduce"])
    # torch tensors are accepted directly (converted through numpy)
    e2, _ = make_pair()
    e2.load_state_dict(t.state_dict())
    assert_close(e2[1].weight, t[1].weight, **TOL["float32"])


def test_load_state_dict_copies_in_place_and_keep_vars():
    e, _ = make_pair()
    w = e[1].weight
    sd = {k: v.clone() + 1 for k, v in e.state_dict().items()}
    e.load_state_dict(sd)
    assert e[1].weight is w and w.requires_grad and w.grad_fn is None
    assert e.state_dict(keep_vars=True)["1.weight"] is w
    assert e.state_dict()["1.weight"] is not w


def test_load_state_dict_errors():
    e, _ = make_pair()
    sd = e.state_dict()
    del sd["1.bias"]
    sd["extra.weight"] = ember.zeros(1)
    with pytest.raises(RuntimeError, match=r'Missing key\(s\) in state_dict: "1.bias"') as ei:
        e.load_state_dict(sd)
    assert '"extra.weight"' in str(ei.value)
    res = e.load_state_dict(sd, strict=False)
    assert res.missing_keys == ["1.bias"] and res.unexpected_keys == ["extra.weight"]
    bad = e.state_dict()
    bad["1.weight"] = ember.zeros(3, 3)
    with pytest.raises(RuntimeError, match="size mismatch for 1.weight"):
        e.load_state_dict(bad, strict=False)


def test_load_state_dict_assign():
    e, _ = make_pair()
    new = {k: v.clone() for k, v in e.state_dict().items()}
    e.load_state_dict(new, assign=True)
    assert e[1].weight._data is new["1.weight"]._data and isinstance(e[1].weight, nn.Parameter)


def test_train_eval_apply_requires_grad_zero_grad():
    e, _ = make_pair()
    assert e.training and e.eval() is e and not e[0].fc.training
    e.train()
    assert e[0].fc.training
    seen = []
    e.apply(lambda m: seen.append(type(m).__name__))
    assert seen == ["Linear", "Block", "Linear", "Sequential"]
    e(ember.randn(2, 3)).sum().backward()
    assert e[1].weight.grad is not None
    e.zero_grad(set_to_none=False)
    assert float(e[1].weight.grad.abs().sum()) == 0.0
    e.zero_grad()
    assert e[1].weight.grad is None
    e.requires_grad_(False)
    assert not any(p.requires_grad for p in e.parameters())
    with pytest.raises(ValueError, match="boolean"):
        e.train("yes")


def test_to_double_keeps_parameter_identity():
    e, _ = make_pair()
    w = e[1].weight
    e.double()
    assert e[1].weight is w and w.dtype == ember.float64 and e[0].running.dtype == ember.float64
    e.to(ember.float32)
    assert w.dtype == ember.float32
    e.to("cpu", dtype=ember.float64)
    assert w.dtype == ember.float64
    with pytest.raises(TypeError, match="floating point"):
        e.to(ember.int64)


def test_getattr_setattr_delattr_dir():
    m = Block()
    assert "fc" in dir(m) and "running" in dir(m) and "scale" in dir(m)
    with pytest.raises(TypeError, match="parameter 'scale'"):
        m.scale = ember.ones(1)
    with pytest.raises(TypeError, match="child module 'fc'"):
        m.fc = 3
    m.running = ember.full((4,), 2.0)  # buffers accept plain tensors
    assert "running" in m.state_dict()
    m.extra = nn.Buffer(ember.zeros(1), persistent=False)
    assert "extra" in dict(m.named_buffers()) and "extra" not in m.state_dict()
    del m.fc
    assert "fc.weight" not in m.state_dict()
    with pytest.raises(AttributeError, match="no attribute 'missing'"):
        m.missing
    m.scale = None
    assert "scale" not in m.state_dict()


def test_register_errors():
    m = nn.Module()
    with pytest.raises(KeyError, match="contain"):
        m.register_buffer("a.b", ember.zeros(1))
    with pytest.raises(TypeError, match="buffer 'x'"):
        m.register_buffer("x", 3)
    with pytest.raises(TypeError, match="parameter 'p'"):
        m.register_parameter("p", ember.zeros(1))
    m.w = 1
    with pytest.raises(KeyError, match="already exists"):
        m.register_buffer("w", ember.zeros(1))
    with pytest.raises(ValueError, match="non-leaf"):
        m.register_parameter("q", _nonleaf_param())

    class NoInit(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(ember.zeros(1))
    with pytest.raises(AttributeError, match="before Module.__init__"):
        NoInit()


def _nonleaf_param():
    p = nn.Parameter(ember.zeros(1))
    q = p * 2
    q.__class__ = nn.Parameter
    return q


def test_shared_parameters_and_remove_duplicate():
    lin = nn.Linear(2, 2)
    seq = nn.Sequential(lin, lin)
    assert len(list(seq.parameters())) == 2
    assert len(list(seq.named_parameters(remove_duplicate=False))) == 4
    assert list(seq.state_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias"]


def test_get_submodule_and_parameter():
    e, _ = make_pair()
    assert e.get_submodule("0.fc") is e[0].fc
    assert e.get_parameter("0.fc.weight") is e[0].fc.weight
    assert e.get_buffer("0.running") is e[0].running
    with pytest.raises(AttributeError, match="has no attribute `nope`"):
        e.get_submodule("0.nope")
    with pytest.raises(AttributeError, match="is not an nn.Parameter"):
        e.get_parameter("0.running")


def test_forward_hooks():
    m = nn.Linear(3, 2)
    calls = []
    h1 = m.register_forward_pre_hook(lambda mod, args: (args[0] * 0,))
    h2 = m.register_forward_hook(lambda mod, args, out: out + 1)
    h3 = m.register_forward_hook(lambda mod, args, kw, out: calls.append(kw), with_kwargs=True)
    y = m(ember.randn(4, 3))
    assert_close(y, (m.bias + 1).expand(4, 2).detach(), **TOL["float32"])
    assert calls == [{}]
    h1.remove(), h2.remove(), h3.remove()
    x = ember.randn(4, 3)
    assert_close(m(x), x @ m.weight.detach().mT + m.bias.detach(), **TOL["float32_reduce"])
    order = []
    m.register_forward_hook(lambda *a: order.append("b"))
    m.register_forward_hook(lambda *a: order.append("a"), prepend=True)
    m(x)
    assert order == ["a", "b"]


def test_forward_hook_always_call_on_error():
    m = nn.Linear(3, 2)
    seen = []
    m.register_forward_hook(lambda mod, args, out: seen.append(out), always_call=True)
    with pytest.raises(RuntimeError):
        m(ember.randn(4, 5))
    assert seen == [None]


def _grads_with_hooks(lib, nnmod, x, sd=None):
    m = nnmod.Sequential(nnmod.Linear(3, 4), nnmod.Tanh()).double()
    if sd is not None:
        m.load_state_dict(sd)
    got = {}

    def hook(mod, gin, gout):
        got["gin"] = [g.detach().numpy().copy() for g in gin]
        got["gout"] = [g.detach().numpy().copy() for g in gout]
        return tuple(g * 2 for g in gin)
    m[0].register_full_backward_hook(hook)
    xt = lib.tensor(x, requires_grad=True)
    m(xt).sum().backward()
    return m, got, xt.grad.numpy()


def test_full_backward_hook_matches_torch():
    x = np.random.default_rng(1).standard_normal((5, 3))
    t_m, t_got, t_gx = _grads_with_hooks(torch, torch.nn, x)
    e_m, e_got, e_gx = _grads_with_hooks(ember, nn, x, sd=t_m.state_dict())
    assert_close(e_got["gout"][0], t_got["gout"][0], **TOL["float64"])
    assert_close(e_got["gin"][0], t_got["gin"][0], **TOL["float64"])
    assert_close(e_gx, t_gx, **TOL["float64"])  # the hook doubled grad_input in both
    assert_close(e_m[0].weight.grad, t_m[0].weight.grad, **TOL["float64"])


def test_backward_hook_without_input_grad_and_pre_hook():
    m = nn.Linear(3, 2)
    seen = {}
    m.register_full_backward_pre_hook(lambda mod, gout: (gout[0] * 3,))
    m.register_full_backward_hook(lambda mod, gin, gout: seen.update(gin=gin, gout=gout))
    m(ember.ones(1, 3)).sum().backward()
    assert seen["gin"] == (None,)
    assert_close(seen["gout"][0], np.full((1, 2), 3.0), **TOL["float32"])
    assert_close(m.bias.grad, np.full(2, 3.0), **TOL["float32"])


def test_repr_matches_torch():
    e, t = make_pair()
    assert repr(e).replace("Block", "B") == repr(t).replace("TBlock", "B")
    assert repr(nn.ModuleList([nn.Linear(2, 2)] * 3 + [nn.Identity()])) == \
        repr(torch.nn.ModuleList([torch.nn.Linear(2, 2)] * 3 + [torch.nn.Identity()]))


def test_deepcopy_is_independent():
    e, _ = make_pair()
    c = copy.deepcopy(e)
    assert c[1].weight is not e[1].weight and isinstance(c[1].weight, nn.Parameter)
    with ember.no_grad():
        c[1].weight.fill_(0)
    assert float(e[1].weight.abs().sum()) > 0
    assert list(c.state_dict()) == list(e.state_dict())


def test_subclass_load_hook_and_metadata():
    class Versioned(nn.Module):
        _version = 2

        def __init__(self):
            super().__init__()
            self.register_buffer("count", ember.tensor(0))

        def _load_from_state_dict(self, sd, prefix, meta, strict, missing, unexpected, errors):
            if meta.get("version", 1) < 2 and prefix + "count" not in sd:
                sd[prefix + "count"] = ember.tensor(7)
            super()._load_from_state_dict(sd, prefix, meta, strict, missing, unexpected, errors)

    m = nn.Sequential(Versioned())
    assert m.state_dict()._metadata["0"]["version"] == 2
    m.load_state_dict({})
    assert int(m[0].count) == 7


def test_extra_state_roundtrip():
    class WithExtra(nn.Module):
        def __init__(self):
            super().__init__()
            self.cfg = {"a": 1}

        def get_extra_state(self):
            return dict(self.cfg)

        def set_extra_state(self, state):
            self.cfg = state

    m = WithExtra()
    sd = m.state_dict()
    assert sd["_extra_state"] == {"a": 1}
    m2 = WithExtra()
    m2.load_state_dict({"_extra_state": {"a": 5}})
    assert m2.cfg == {"a": 5}


def test_missing_forward_message():
    with pytest.raises(NotImplementedError, match='missing the required "forward"'):
        nn.Module()(1)
