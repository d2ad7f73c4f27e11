"""DataLoader vs torch's: batch composition, lengths (claim C004), argument errors, shuffling."""
import numpy as np
import pytest
import torch
import torch.utils.data as tud
from hypothesis import given
from hypothesis import strategies as st

import ember
from ember.utils.data import (BatchSampler, DataLoader, IterableDataset, RandomSampler,
                              SequentialSampler, TensorDataset)


class Stream(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


class TorchStream(tud.IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


def _data(n=23):
    x = np.arange(n * 2, dtype=np.float32).reshape(n, 2)
    y = np.arange(n, dtype=np.int64)
    return x, y


@pytest.mark.parametrize("bs,drop", [(1, False), (5, False), (5, True), (23, False), (30, True)])
def test_batches_equal_torch_without_shuffle(bs, drop):
    x, y = _data()
    ours = list(DataLoader(TensorDataset(ember.tensor(x), ember.tensor(y)), batch_size=bs,
                           drop_last=drop))
    theirs = list(tud.DataLoader(tud.TensorDataset(torch.tensor(x), torch.tensor(y)),
                                 batch_size=bs, drop_last=drop))
    assert len(ours) == len(theirs)
    for (ox, oy), (tx, ty) in zip(ours, theirs):
        np.testing.assert_array_equal(ox.numpy(), tx.numpy())
        np.testing.assert_array_equal(oy.numpy(), ty.numpy())
        assert oy.dtype == ember.int64


@given(n=st.integers(1, 500), bs=st.integers(1, 64), drop=st.booleans())
def test_len_is_exact_and_matches_torch(n, bs, drop):
    ours = DataLoader(range(n), batch_size=bs, drop_last=drop)
    theirs = tud.DataLoader(range(n), batch_size=bs, drop_last=drop)
    assert len(ours) == len(theirs) == sum(1 for _ in ours)
    it = DataLoader(Stream(n), batch_size=bs, drop_last=drop)
    assert len(it) == len(tud.DataLoader(TorchStream(n), batch_size=bs, drop_last=drop))
    assert len(it) == sum(1 for _ in it)


def test_c004_counts():
    # 300,000 samples / batch 100 = 3,000 iterations per epoch (vs 300,000 with batch 1)
    assert len(DataLoader(range(300_000), batch_size=100)) == 3000
    assert len(DataLoader(range(300_000), batch_size=1)) == 300_000
    assert len(DataLoader(range(300_050), batch_size=100, drop_last=True)) == 3000
    assert len(DataLoader(range(300_050), batch_size=100)) == 3001


def test_shuffle_is_a_permutation_reproducible_and_new_each_epoch():
    dl = DataLoader(range(50), batch_size=7, shuffle=True, generator=ember.Generator().manual_seed(0))
    e1 = [i for b in dl for i in b.tolist()]
    e2 = [i for b in dl for i in b.tolist()]
    assert sorted(e1) == sorted(e2) == list(range(50)) and e1 != e2
    dl2 = DataLoader(range(50), batch_size=7, shuffle=True, generator=ember.Generator().manual_seed(0))
    assert [i for b in dl2 for i in b.tolist()] == e1


def test_shuffle_statistics_uniform_first_position():
    # P(first sample == k) = 1/N for both torch and ember; chi-square over 2000 epochs
    n, epochs = 5, 2000
    dl = DataLoader(range(n), batch_size=n, shuffle=True, generator=ember.Generator().manual_seed(1))
    counts = np.bincount([next(iter(dl))[0].item() for _ in range(epochs)], minlength=n)
    chi2 = float(((counts - epochs / n) ** 2 / (epochs / n)).sum())
    assert chi2 < 18.5  # chi-square(4) 99.9% quantile


def test_batch_size_none_and_custom_samplers():
    out = list(DataLoader(np.arange(3), batch_size=None))
    assert [o.item() for o in out] == [0, 1, 2] and out[0].shape == ()
    bs = BatchSampler(SequentialSampler(range(7)), 3, False)
    assert [b.tolist() for b in DataLoader(list(range(7)), batch_sampler=bs)] == \
        [[0, 1, 2], [3, 4, 5], [6]]
    s = RandomSampler(range(6), generator=ember.Generator().manual_seed(2))
    got = sorted(i for b in DataLoader(list(range(6)), batch_size=4, sampler=s) for i in b.tolist())
    assert got == list(range(6))


def test_collate_fn_and_iterable_dataset():
    dl = DataLoader(Stream(7), batch_size=3, collate_fn=lambda b: sum(b))
    assert list(dl) == [3, 12, 6]
    assert [b.tolist() for b in DataLoader(Stream(7), batch_size=3, drop_last=True)] == \
        [[0, 1, 2], [3, 4, 5]]


@pytest.mark.parametrize("kwargs,match", [
    (dict(num_workers=-1), "num_workers"),
    (dict(timeout=-1), "timeout"),
    (dict(prefetch_factor=2), "prefetch_factor"),
    (dict(persistent_workers=True), "persistent_workers"),
    (dict(sampler=[0, 1], shuffle=True), "mutually exclusive with shuffle"),
    (dict(batch_sampler=[[0]], batch_size=2), "batch_sampler option"),
    (dict(batch_size=None, drop_last=True), "batch_size=None"),
])
def test_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        DataLoader(list(range(4)), **kwargs)


def test_iterable_dataset_rejects_shuffle_and_sampler():
    with pytest.raises(ValueError, match="shuffle=True"):
        DataLoader(Stream(3), shuffle=True)
    with pytest.raises(ValueError, match="sampler"):
        DataLoader(Stream(3), sampler=[0])
