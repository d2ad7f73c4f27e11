"""Multi-process loading: same batches as num_workers=0, errors re-raised, seeds, shutdown."""
import os
import time

import numpy as np
import pytest

import ember
from ember.utils.data import DataLoader, Dataset, IterableDataset, TensorDataset, get_worker_info


class Squares(Dataset):
    def __len__(self):
        return 17

    def __getitem__(self, i):
        return {"x": np.full((2,), i * i, dtype=np.float32), "i": i, "t": ember.tensor([i, -i])}


class Boom(Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 5:
            raise ValueError(f"bad sample {i}")
        return i


class Sharded(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(start, self.n, step))


class Slow(Dataset):
    def __len__(self):
        return 2

    def __getitem__(self, i):
        time.sleep(1.5)
        return i


class Dies(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        os._exit(3)


def _flat(batches, key="i"):
    return [v for b in batches for v in b[key].tolist()]


def test_workers_return_same_batches_in_order():
    ref = list(DataLoader(Squares(), batch_size=4))
    got = list(DataLoader(Squares(), batch_size=4, num_workers=2, prefetch_factor=1))
    assert len(got) == len(ref) == 5
    for a, b in zip(got, ref):
        assert a["i"].tolist() == b["i"].tolist()
        np.testing.assert_array_equal(a["x"].numpy(), b["x"].numpy())
        assert isinstance(a["t"], ember.Tensor) and a["t"].tolist() == b["t"].tolist()


def test_worker_exception_reraised_with_traceback():
    dl = DataLoader(Boom(), batch_size=2, num_workers=2)
    with pytest.raises(ValueError) as ei:
        list(dl)
    msg = str(ei.value)
    assert "DataLoader worker process" in msg and "bad sample 5" in msg and "__getitem__" in msg


def test_worker_info_seed_and_init_fn():
    seen = []

    class Info(Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            info = get_worker_info()
            return np.array([info.id, info.num_workers, info.seed % 1000, int(os.environ["EMBER_T"])])

    def init(wid):
        os.environ["EMBER_T"] = str(10 + wid)

    g = ember.Generator().manual_seed(0)
    out = np.concatenate([b.numpy() for b in DataLoader(Info(), batch_size=1, num_workers=2,
                                                        worker_init_fn=init, generator=g)])
    ids = out[:, 0]
    assert set(ids.tolist()) == {0, 1} and (out[:, 1] == 2).all()
    assert (out[:, 3] == 10 + ids).all()  # worker_init_fn ran in that worker
    assert get_worker_info() is None and not seen


def test_iterable_sharded_across_workers():
    got = sorted(v for b in DataLoader(Sharded(11), batch_size=3, num_workers=2) for v in b.tolist())
    assert got == list(range(11))


def test_persistent_workers_several_epochs():
    dl = DataLoader(TensorDataset(ember.arange(10)), batch_size=3, num_workers=2,
                    persistent_workers=True, shuffle=True, generator=ember.Generator().manual_seed(0))
    epochs = [[v for (b,) in dl for v in b.tolist()] for _ in range(3)]
    assert all(sorted(e) == list(range(10)) for e in epochs)
    pids = [w.pid for w in dl._iterator._workers]
    next(iter(dl))  # abandon an epoch midway, then run a full one
    assert sorted(v for (b,) in dl for v in b.tolist()) == list(range(10))
    assert [w.pid for w in dl._iterator._workers] == pids  # same processes reused
    dl._iterator._shutdown_workers()
    assert not any(w.is_alive() for w in dl._iterator._workers)


def test_workers_shut_down_after_epoch_and_on_break():
    dl = DataLoader(range(20), batch_size=2, num_workers=2)
    it = iter(dl)
    next(it)
    workers = list(it._workers)
    del it  # abandoned mid-epoch
    for w in workers:
        w.join(timeout=10)
    assert not any(w.is_alive() for w in workers)
    it = iter(dl)
    list(it)
    assert not any(w.is_alive() for w in it._workers)


def test_timeout_raises():
    with pytest.raises(RuntimeError, match="timed out after 0.5 seconds"):
        list(DataLoader(Slow(), batch_size=1, num_workers=1, timeout=0.5))


def test_dead_worker_detected():
    with pytest.raises(RuntimeError, match="exited unexpectedly"):
        list(DataLoader(Dies(), batch_size=1, num_workers=1))
