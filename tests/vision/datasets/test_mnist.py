"""MNIST / FashionMNIST readers on the real files and on generated corrupt copies."""
import gzip
import os
import shutil

import numpy as np
import pytest

from ember.vision.datasets import MNIST, FashionMNIST
from ember.vision.datasets.mnist import parse_idx

# Published class frequencies of MNIST (LeCun et al.'s files), train and test.
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def _idx(arr, code=0x08):
    arr = np.asarray(arr)
    header = bytes([0, 0, code, arr.ndim]) + np.array(arr.shape, ">u4").tobytes()
    return header + arr.astype(arr.dtype.newbyteorder(">")).tobytes()


def _write(folder, name, data, gz=False):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name + (".gz" if gz else ""))
    with (gzip.open(path, "wb") if gz else open(path, "wb")) as f:
        f.write(data)
    return path


def _fake(folder, n=5, n_labels=None, gz=False, prefix="t10k"):
    rng = np.random.default_rng(0)
    imgs = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, n_labels or n).astype(np.uint8)
    _write(folder, f"{prefix}-images-idx3-ubyte", _idx(imgs), gz)
    _write(folder, f"{prefix}-labels-idx1-ubyte", _idx(labels), gz)
    return imgs, labels


def test_real_mnist_test_split(shared_datasets):
    ds = MNIST(shared_datasets, train=False)
    assert len(ds) == 10000 and tuple(ds.data.shape) == (10000, 28, 28)
    assert str(ds.data.dtype).endswith("uint8") and str(ds.targets.dtype).endswith("int64")
    assert np.bincount(ds.targets.numpy()).tolist() == TEST_COUNTS
    assert ds.targets[:5].tolist() == [7, 2, 1, 0, 4]
    img, y = ds[0]
    assert img.mode == "L" and img.size == (28, 28) and y == 7
    np.testing.assert_array_equal(np.asarray(img), ds.data.numpy()[0])


@pytest.mark.slow
def test_real_mnist_train_split_statistics(shared_datasets):
    ds = MNIST(shared_datasets, train=True)
    assert np.bincount(ds.targets.numpy()).tolist() == TRAIN_COUNTS
    x = ds.data.numpy() / 255.0
    # the usual normalisation constants (0.1307, 0.3081) are these statistics, rounded
    assert round(float(x.mean()), 4) == 0.1307 and round(float(x.std()), 4) == 0.3081


def test_raw_and_gz_and_layouts(tmp_path, shared_datasets):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name in ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]:
        with gzip.open(os.path.join(shared_datasets, "mnist", name + ".gz")) as f:
            (raw / name).write_bytes(f.read())  # decompressed copies: still verified
    a = MNIST(tmp_path, train=False)
    b = MNIST(shared_datasets, train=False)
    np.testing.assert_array_equal(a.data.numpy(), b.data.numpy())


def test_transforms_applied(tmp_path):
    _fake(tmp_path / "MNIST" / "raw", n=3)
    ds = MNIST(tmp_path, train=False, verify=False, transform=lambda im: np.asarray(im).sum(),
               target_transform=lambda y: -y)
    x, y = ds[1]
    assert x == int(ds.data.numpy()[1].astype(np.int64).sum()) and y == -int(ds.targets[1])


@pytest.mark.parametrize("gz", [False, True])
def test_fake_files_load_without_verify(tmp_path, gz):
    imgs, labels = _fake(tmp_path, n=4, gz=gz)
    ds = MNIST(tmp_path, train=False, verify=False)
    np.testing.assert_array_equal(ds.data.numpy(), imgs)
    assert ds.targets.tolist() == labels.tolist()


def test_checksum_mismatch_names_file(tmp_path):
    _fake(tmp_path, n=4)
    with pytest.raises(ValueError, match=r"t10k-images-idx3-ubyte.*SHA256"):
        MNIST(tmp_path, train=False)


def test_truncated_gz_copy_of_real_file(tmp_path, shared_datasets):
    src = os.path.join(shared_datasets, "mnist", "t10k-labels-idx1-ubyte.gz")
    data = open(src, "rb").read()
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(data[: len(data) // 2])
    shutil.copy(os.path.join(shared_datasets, "mnist", "t10k-images-idx3-ubyte.gz"), tmp_path)
    with pytest.raises(ValueError, match=r"t10k-labels-idx1-ubyte.gz: corrupt or truncated gzip"):
        MNIST(tmp_path, train=False)


def test_truncated_idx_payload(tmp_path):
    rng = np.random.default_rng(1)
    data = _idx(rng.integers(0, 256, (3, 28, 28), dtype=np.uint8))
    _write(tmp_path, "t10k-images-idx3-ubyte", data[:-10])
    _write(tmp_path, "t10k-labels-idx1-ubyte", _idx(np.zeros(3, np.uint8)))
    with pytest.raises(ValueError, match=r"t10k-images-idx3-ubyte: IDX file truncated"):
        MNIST(tmp_path, train=False, verify=False)


def test_wrong_magic(tmp_path):
    _fake(tmp_path, n=2)
    path = tmp_path / "t10k-labels-idx1-ubyte"
    path.write_bytes(b"\x08\x08" + path.read_bytes()[2:])
    with pytest.raises(ValueError, match=r"t10k-labels-idx1-ubyte: not an IDX file"):
        MNIST(tmp_path, train=False, verify=False)


def test_wrong_count(tmp_path):
    _fake(tmp_path, n=4, n_labels=3)
    with pytest.raises(ValueError, match=r"4 images but 3 labels"):
        MNIST(tmp_path, train=False, verify=False)


def test_label_out_of_range(tmp_path):
    _write(tmp_path, "t10k-images-idx3-ubyte", _idx(np.zeros((2, 28, 28), np.uint8)))
    _write(tmp_path, "t10k-labels-idx1-ubyte", _idx(np.array([1, 12], np.uint8)))
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 10\)"):
        MNIST(tmp_path, train=False, verify=False)


def test_missing_files_message(tmp_path):
    with pytest.raises(RuntimeError) as ei:
        MNIST(tmp_path, train=True)
    msg = str(ei.value)
    assert "train-images-idx3-ubyte.gz" in msg and str(tmp_path / "MNIST" / "raw") in msg
    assert "download=True" in msg and "https://" in msg


def test_default_root_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("EMBER_DATA", str(tmp_path))
    _fake(tmp_path / "mnist", n=2)
    assert MNIST(train=False, verify=False).root == str(tmp_path)


def test_parse_idx_dtypes_and_errors():
    arr = np.arange(6, dtype=np.int32).reshape(2, 3)
    np.testing.assert_array_equal(parse_idx(_idx(arr, 0x0C)), arr)
    f = np.linspace(0, 1, 4).astype(np.float64)
    np.testing.assert_array_equal(parse_idx(_idx(f, 0x0E)), f)
    with pytest.raises(ValueError, match="trailing bytes"):
        parse_idx(_idx(arr, 0x0C) + b"\0")
    with pytest.raises(ValueError, match="3 dimensions, expected 1"):
        parse_idx(_idx(np.zeros((1, 1, 1), np.uint8)), expected_ndim=1)
    with pytest.raises(ValueError, match="header needs 4"):
        parse_idx(b"\0\0")


def test_fashion_mnist_gz_md5_checked(tmp_path):
    _fake(tmp_path / "FashionMNIST" / "raw", n=2, gz=True)
    with pytest.raises(ValueError, match=r"MD5 \(gz\)"):
        FashionMNIST(tmp_path, train=False)
    ds = FashionMNIST(tmp_path, train=False, verify=False)
    assert len(ds) == 2 and ds.classes[9] == "Ankle boot"
