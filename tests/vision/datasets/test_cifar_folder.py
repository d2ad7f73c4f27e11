"""CIFAR binary readers and ImageFolder on generated files."""
import os

import numpy as np
import pytest
from PIL import Image

from ember.vision.datasets import CIFAR10, CIFAR100, ImageFolder
from ember.vision.datasets.cifar import read_cifar_binary


def _records(n, label_bytes, seed=0, max_label=10):
    rng = np.random.default_rng(seed)
    imgs = rng.integers(0, 256, (n, 3, 32, 32), dtype=np.uint8)
    labels = rng.integers(0, max_label, (n, label_bytes), dtype=np.uint8)
    raw = np.concatenate([labels, imgs.reshape(n, -1)], axis=1)
    return raw.tobytes(), imgs, labels


def _cifar10(root, n=3):
    folder = root / "cifar-10-batches-bin"
    folder.mkdir(parents=True)
    out = []
    for i, name in enumerate([f"data_batch_{k}.bin" for k in range(1, 6)] + ["test_batch.bin"]):
        raw, imgs, labels = _records(n, 1, seed=i)
        (folder / name).write_bytes(raw)
        out.append((imgs, labels))
    return folder, out


def test_cifar10_layout_hwc_and_order(tmp_path):
    folder, parts = _cifar10(tmp_path)
    ds = CIFAR10(tmp_path, train=True, verify=False)
    assert len(ds) == 15 and ds.data.shape == (15, 32, 32, 3) and ds.data.dtype == np.uint8
    # record k of batch 2: plane c, row r, col q -> data[3 + k][r, q, c]
    imgs, labels = parts[1]
    np.testing.assert_array_equal(ds.data[3:6], imgs.transpose(0, 2, 3, 1))
    assert ds.targets[3:6] == labels[:, 0].tolist()
    img, y = ds[4]
    assert img.mode == "RGB" and img.size == (32, 32) and y == ds.targets[4]
    np.testing.assert_array_equal(np.asarray(img), ds.data[4])
    test = CIFAR10(tmp_path, train=False, verify=False)
    assert len(test) == 3 and ds.classes[0] == "airplane"


def test_cifar10_verify_counts_and_truncation(tmp_path):
    folder, _ = _cifar10(tmp_path)
    with pytest.raises(ValueError, match=r"data_batch_1.bin: 3 records, expected 10000"):
        CIFAR10(tmp_path, train=True)
    data = (folder / "test_batch.bin").read_bytes()
    (folder / "test_batch.bin").write_bytes(data[:-7])
    with pytest.raises(ValueError, match=r"test_batch.bin: .* not a whole number of 3073-byte"):
        CIFAR10(tmp_path, train=False, verify=False)


def test_cifar100_two_labels_and_range(tmp_path):
    folder = tmp_path / "cifar-100-binary"
    folder.mkdir()
    raw, imgs, labels = _records(4, 2, max_label=20)
    (folder / "test.bin").write_bytes(raw)
    ds = CIFAR100(tmp_path, train=False, verify=False)
    assert ds.targets == labels[:, 1].tolist() and ds.coarse_targets == labels[:, 0].tolist()
    assert len(ds.classes) == 100 and len(ds.coarse_classes) == 20
    bad = bytearray(raw)
    bad[1] = 200  # fine label 200 >= 100
    (folder / "test.bin").write_bytes(bytes(bad))
    with pytest.raises(ValueError, match=r"test.bin: label byte 1 holds 200"):
        CIFAR100(tmp_path, train=False, verify=False)


def test_read_cifar_binary_empty(tmp_path):
    p = tmp_path / "x.bin"
    p.write_bytes(b"")
    with pytest.raises(ValueError, match="x.bin"):
        read_cifar_binary(str(p), 1, (10,))


def test_cifar_missing_message(tmp_path):
    with pytest.raises(RuntimeError, match=r"cifar-10-binary.tar.gz, binary version"):
        CIFAR10(tmp_path)


def test_image_folder(tmp_path):
    rng = np.random.default_rng(0)
    arrays = {}
    for cls in ["dog", "cat"]:
        (tmp_path / cls / "sub").mkdir(parents=True)
        for k, name in enumerate(["b.png", "a.PNG", "sub/c.bmp"]):
            arr = rng.integers(0, 256, (5, 6, 3), dtype=np.uint8)
            Image.fromarray(arr).save(tmp_path / cls / name)
            arrays[f"{cls}/{name}"] = arr
        (tmp_path / cls / "notes.txt").write_text("skip me")
    ds = ImageFolder(tmp_path)
    assert ds.classes == ["cat", "dog"] and ds.class_to_idx == {"cat": 0, "dog": 1}
    rel = [os.path.relpath(p, tmp_path) for p, _ in ds.samples]
    assert rel == ["cat/a.PNG", "cat/b.png", "cat/sub/c.bmp", "dog/a.PNG", "dog/b.png",
                   "dog/sub/c.bmp"]
    assert ds.targets == [0, 0, 0, 1, 1, 1] and ds.imgs is ds.samples
    img, y = ds[4]
    assert img.mode == "RGB" and y == 1
    np.testing.assert_array_equal(np.asarray(img), arrays["dog/b.png"])


def test_image_folder_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        ImageFolder(tmp_path / "nope")
    with pytest.raises(FileNotFoundError, match="Couldn't find any class folder"):
        ImageFolder(tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no valid file for the classes empty"):
        ImageFolder(tmp_path)
    assert len(ImageFolder(tmp_path, allow_empty=True)) == 0
