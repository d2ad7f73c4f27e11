"""Data parallelism equals full-batch training; model parallelism equals the single-device model."""
from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.nn as nn
from ember import distributed as dist
from tolerances import TOL, assert_close


def _model():
    ember.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 2)).double()


def _data(n=16):
    rng = np.random.default_rng(0)
    return ember.tensor(rng.standard_normal((n, 6))), ember.tensor(rng.standard_normal((n, 2)))


def mse(out, y):
    return ((out - y) ** 2).mean()


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_data_parallel_step_equals_full_batch(workers):
    x, y = _data()
    m = _model()
    mse(m(x), y).backward()
    full = [p.grad.clone() for p in m.parameters()]
    m.zero_grad()
    losses = dist.data_parallel_step(m, mse, x, y, workers)
    assert len(losses) == workers
    for g, f in zip([p.grad for p in m.parameters()], full):
        assert_close(g, f, **TOL["float64"])


def test_data_parallel_step_rejects_uneven_split():
    x, y = _data(10)
    with pytest.raises(ValueError, match="not divisible"):
        dist.data_parallel_step(_model(), mse, x, y, 4)


def test_dataparallel_module_matches_plain_model():
    x, y = _data()
    m = _model()
    dp = dist.DataParallel(m, device_ids=[0, 1, 2, 3])
    out = dp(x)
    assert_close(out, m(x), **TOL["float64"])
    mse(out, y).backward()
    g_dp = [p.grad.clone() for p in m.parameters()]
    m.zero_grad()
    mse(m(x), y).backward()
    for a, b in zip(g_dp, m.parameters()):
        assert_close(a, b.grad, **TOL["float64"])


def test_process_group_all_reduce_many_and_ddp():
    pg = dist.ProcessGroup(3)
    per_rank = [[ember.tensor([float(r), 1.0])] for r in range(3)]
    pg.all_reduce_many(per_rank, dist.ReduceOp.AVG)
    assert all(t[0].tolist() == [1.0, 1.0] for t in per_rank)
    dist.init_process_group("sim", world_size=1)
    assert dist.get_world_size() == 1 and dist.get_rank() == 0 and dist.is_initialized()
    ddp = dist.DistributedDataParallel(_model())
    x, y = _data()
    mse(ddp(x), y).backward()
    before = [p.grad.clone() for p in ddp.module.parameters()]
    ddp.sync_gradients()
    for a, p in zip(before, ddp.module.parameters()):
        assert ember.equal(a, p.grad)
    with pytest.raises(ValueError, match="backend"):
        dist.init_process_group("nccl")


def test_pipeline_model_equals_single_device():
    ember.manual_seed(1)
    a, b = nn.Linear(10, 10).double(), nn.Linear(10, 5).double()
    pipe = dist.PipelineModel([a, b], ["dev0", "dev1"])
    x = ember.tensor(np.random.default_rng(1).standard_normal((4, 10)), requires_grad=True)
    out = pipe(x)
    ref = b(a(x))
    assert ember.equal(out, ref)
    out.sum().backward()
    assert x.grad is not None and [d for d, _ in pipe.traffic] == ["dev0", "dev1"]
    assert pipe.traffic[1][1] == 4 * 10 * 8


def test_mpi_group_needs_mpi4py():
    try:
        import mpi4py  # noqa: F401
    except ImportError:
        with pytest.raises(RuntimeError, match="mpi4py"):
            dist.MPIProcessGroup()
    else:
        pg = dist.MPIProcessGroup()
        t = ember.ones(2)
        assert pg.all_reduce(t, dist.ReduceOp.AVG).tolist() == [1.0, 1.0]
