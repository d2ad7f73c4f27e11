"""Datasets and samplers vs torch.utils.data (sizes, orders without shuffling, distributions)."""
import warnings

import numpy as np
import pytest
import torch
import torch.utils.data as tud
from hypothesis import given
from hypothesis import strategies as st

import ember
from ember.utils.data import (BatchSampler, ChainDataset, ConcatDataset, IterableDataset,
                              RandomSampler, SequentialSampler, StackDataset, Subset,
                              SubsetRandomSampler, TensorDataset, WeightedRandomSampler,
                              random_split)


class Stream(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


def test_tensor_dataset_items_and_len():
    x, y = ember.arange(12).reshape(6, 2), ember.arange(6)
    ds = TensorDataset(x, y)
    assert len(ds) == 6
    a, b = ds[4]
    assert a.tolist() == [8, 9] and b.item() == 4


def test_tensor_dataset_size_mismatch():
    with pytest.raises(ValueError, match=r"\[3, 4\]"):
        TensorDataset(ember.zeros(3), ember.zeros(4))


def test_concat_subset_stack_match_torch():
    a, b = list(range(5)), list(range(10, 13))
    ea, eb = ConcatDataset([a, b]), tud.ConcatDataset([a, b])
    assert len(ea) == len(eb) == 8
    assert [ea[i] for i in range(-8, 8)] == [eb[i] for i in range(-8, 8)]
    assert ea.cumulative_sizes == eb.cumulative_sizes
    with pytest.raises(IndexError):
        ea[8]
    sub = Subset(ea, [7, 0, 3])
    assert [sub[i] for i in range(3)] == [12, 0, 3] and len(sub) == 3
    st_ = StackDataset(a, [x * 2 for x in a])
    assert st_[2] == (2, 4)
    assert StackDataset(x=a, y=a)[1] == {"x": 1, "y": 1}
    with pytest.raises(ValueError, match="lengths"):
        StackDataset(a, b)


def test_dataset_add_and_chain():
    ds = TensorDataset(ember.arange(3)) + TensorDataset(ember.arange(2))
    assert isinstance(ds, ConcatDataset) and len(ds) == 5
    ch = Stream(2) + Stream(3)
    assert isinstance(ch, ChainDataset) and list(ch) == [0, 1, 0, 1, 2] and len(ch) == 5
    with pytest.raises(TypeError, match="ChainDataset"):
        ConcatDataset([Stream(2)])


@given(n=st.integers(1, 200), fr=st.lists(st.integers(1, 10), min_size=1, max_size=5))
def test_random_split_fraction_sizes_match_torch(n, fr):
    fracs = [f / sum(fr) for f in fr]
    fracs[-1] = 1 - sum(fracs[:-1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # both warn about empty splits
        ours = random_split(list(range(n)), fracs, generator=ember.Generator().manual_seed(0))
        theirs = tud.random_split(list(range(n)), fracs, generator=torch.Generator().manual_seed(0))
    assert [len(s) for s in ours] == [len(s) for s in theirs]
    flat = sorted(i for s in ours for i in s.indices)
    assert flat == list(range(n))  # a partition


def test_random_split_lengths_and_errors():
    parts = random_split(range(10), [3, 7], generator=ember.Generator().manual_seed(1))
    assert [len(p) for p in parts] == [3, 7]
    again = random_split(range(10), [3, 7], generator=ember.Generator().manual_seed(1))
    assert parts[0].indices == again[0].indices
    with pytest.raises(ValueError, match="Sum of input lengths"):
        random_split(range(10), [3, 6])
    with pytest.raises(ValueError, match="Fraction at index 0 is 1.5"):
        random_split(range(10), [1.5, -0.5])


def test_sequential_and_batch_sampler_match_torch():
    for n, bs, drop in [(10, 3, False), (10, 3, True), (9, 3, True), (1, 5, False)]:
        ours = list(BatchSampler(SequentialSampler(range(n)), bs, drop))
        theirs = list(tud.BatchSampler(tud.SequentialSampler(range(n)), bs, drop))
        assert ours == theirs
        assert len(BatchSampler(SequentialSampler(range(n)), bs, drop)) == len(theirs)


@pytest.mark.parametrize("bad", [0, -1, True, 2.5])
def test_batch_sampler_rejects_bad_batch_size(bad):
    with pytest.raises(ValueError, match="batch_size"):
        BatchSampler(range(3), bad, False)


def test_random_sampler_permutation_and_num_samples():
    g = ember.Generator().manual_seed(0)
    idx = list(RandomSampler(range(10), generator=g))
    assert sorted(idx) == list(range(10))
    long = list(RandomSampler(range(4), num_samples=10, generator=g))
    assert len(long) == 10 and sorted(long[:4]) == sorted(long[4:8]) == [0, 1, 2, 3]
    assert len(set(long[8:])) == 2
    rep = RandomSampler(range(3), replacement=True, num_samples=1000, generator=g)
    counts = np.bincount(list(rep), minlength=3)
    assert len(rep) == 1000 and counts.min() > 250  # uniform: ~333 each
    with pytest.raises(TypeError, match="replacement"):
        RandomSampler(range(3), replacement=1)
    with pytest.raises(ValueError, match="num_samples"):
        RandomSampler(range(3), num_samples=0)


def test_random_sampler_reproducible_with_manual_seed():
    ember.manual_seed(3)
    a = [list(RandomSampler(range(20))) for _ in range(2)]
    ember.manual_seed(3)
    b = [list(RandomSampler(range(20))) for _ in range(2)]
    assert a == b and a[0] != a[1]  # same seed -> same epochs; epochs differ


def test_subset_random_sampler():
    s = SubsetRandomSampler([5, 7, 9], generator=ember.Generator().manual_seed(0))
    assert sorted(s) == [5, 7, 9] and len(s) == 3


def test_weighted_random_sampler_distribution():
    w = [0.1, 0.0, 0.6, 0.3]
    s = WeightedRandomSampler(w, 20000, generator=ember.Generator().manual_seed(0))
    freq = np.bincount(list(s), minlength=4) / 20000
    # 4-sigma binomial bound for 20000 draws
    assert np.all(np.abs(freq - w) < 4 * np.sqrt(0.25 / 20000))
    nr = list(WeightedRandomSampler(w, 3, replacement=False, generator=ember.Generator().manual_seed(1)))
    assert sorted(nr) == [0, 2, 3]
    with pytest.raises(ValueError, match="non-zero"):
        WeightedRandomSampler(w, 4, replacement=False)
    with pytest.raises(ValueError, match="1d"):
        WeightedRandomSampler([[1.0, 2.0]], 2)
