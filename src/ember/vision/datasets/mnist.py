"""MNIST and Fashion-MNIST from the original IDX files (gzip-compressed or raw).

IDX format (big-endian): bytes 0-1 zero, byte 2 the element type (0x08 uint8, 0x09 int8,
0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), byte 3 the number of dimensions d, then d
uint32 sizes, then the elements in C order. A file whose size differs from what its header
promises is rejected (truncated or trailing bytes), as is a wrong magic or a label count that does
not match the image count: never a silently partial dataset.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from typing import Any, Callable

import numpy as np

from .utils import download_url, missing_files_message
from .vision import VisionDataset

__all__ = ["MNIST", "FashionMNIST", "read_idx", "parse_idx"]

_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: np.int16, 0x0C: np.int32, 0x0D: np.float32,
              0x0E: np.float64}


def _read_bytes(path: str) -> bytes:
    """The file's bytes, decompressed when it starts with the gzip magic 1f 8b."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (EOFError, OSError, zlib.error) as e:
            raise ValueError(f"{path}: corrupt or truncated gzip file ({e})") from None
    return data


def parse_idx(data: bytes, path: str = "<bytes>", expected_ndim: int | None = None) -> np.ndarray:
    """Decode IDX bytes into a native-endian array; ``path`` only names the file in errors."""
    if len(data) < 4:
        raise ValueError(f"{path}: truncated IDX file ({len(data)} bytes; the header needs 4)")
    if data[0] != 0 or data[1] != 0 or data[2] not in _IDX_TYPES:
        raise ValueError(f"{path}: not an IDX file (magic bytes {data[:4].hex()}; expected "
                         "00 00 <type code in 08,09,0b,0c,0d,0e> <ndim>)")
    ndim = data[3]
    if expected_ndim is not None and ndim != expected_ndim:
        raise ValueError(f"{path}: IDX file has {ndim} dimensions, expected {expected_ndim}")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(f"{path}: truncated IDX header ({len(data)} bytes, needs {header})")
    dims = tuple(int(d) for d in np.frombuffer(data, ">u4", ndim, 4))
    dtype = np.dtype(_IDX_TYPES[data[2]]).newbyteorder(">")
    expected = header + int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    if len(data) != expected:
        kind = "truncated" if len(data) < expected else "has trailing bytes"
        raise ValueError(f"{path}: IDX file {kind}: its header promises shape {dims} "
                         f"({expected} bytes) but the data has {len(data)} bytes")
    return np.frombuffer(data, dtype, offset=header).reshape(dims).astype(dtype.newbyteorder("="))


def read_idx(path: str, expected_ndim: int | None = None) -> np.ndarray:
    """Read an IDX file (raw or .gz) into a NumPy array."""
    return parse_idx(_read_bytes(path), path, expected_ndim)


class MNIST(VisionDataset):
    """MNIST handwritten digits: 60,000 training / 10,000 test images, 28x28 uint8, labels 0-9.

    Args:
        root: folder searched for the files, in order: ``root/MNIST/raw``, ``root/MNIST``,
            ``root/mnist``, ``root`` (so ``../shared/datasets`` works). Default ``$EMBER_DATA`` or
            ``~/.cache/ember``.
        train: the training split (else test).
        transform: applied to the PIL image (mode "L").
        target_transform: applied to the integer label.
        download: fetch missing files into ``root/MNIST/raw`` (MD5-checked, atomic, resumable).
        verify: check the decompressed files against the published digests (ember extension;
            default True). A mismatch raises ``ValueError`` naming the file.

    Attributes:
        data: uint8 Tensor (N, 28, 28). targets: int64 Tensor (N,).
    """

    mirrors = ["https://ossci-datasets.s3.amazonaws.com/mnist/",
               "http://yann.lecun.com/exdb/mnist/"]
    # name -> (MD5 of the official .gz, SHA256 of the decompressed file, MD5 of the decompressed file)
    files = {
        "train-images-idx3-ubyte": ("f68b3c2dcbeaaa9fbdd348bbdeb94873",
                                    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                                    "6bbc9ace898e44ae57da46a324031adb"),
        "train-labels-idx1-ubyte": ("d53e105ee54ea40749a09fcbcd1e9432",
                                    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                                    "a25bea736e30d166cdddb491f175f624"),
        "t10k-images-idx3-ubyte": ("9fb629c4189551a2d022fa330f9573f3",
                                   "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                                   "2646ac647ad5339dbf082846283269ea"),
        "t10k-labels-idx1-ubyte": ("ec29112dd5afa0611ce80d1b7f02629c",
                                   "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
                                   "27ae3e4e09519cfbb04c329615203637"),
    }
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six",
               "7 - seven", "8 - eight", "9 - nine"]

    def __init__(self, root: str | os.PathLike | None = None, train: bool = True,
                 transform: Callable | None = None, target_transform: Callable | None = None,
                 download: bool = False, *, verify: bool = True) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train, self.verify = train, verify
        prefix = "train" if train else "t10k"
        names = [f"{prefix}-images-idx3-ubyte", f"{prefix}-labels-idx1-ubyte"]
        folder = self._find_folder(names)
        if folder is None:
            if not download:
                raise RuntimeError(missing_files_message(
                    type(self).__name__, self.raw_folder, [n + ".gz" for n in names],
                    [self.mirrors[0] + n + ".gz" for n in names]))
            folder = self._download(names)
        images = self._load(folder, names[0], 3)
        labels = self._load(folder, names[1], 1)
        if images.shape[0] != labels.shape[0]:
            raise ValueError(f"{os.path.join(folder, names[0])}: {images.shape[0]} images but "
                             f"{labels.shape[0]} labels in {names[1]}; the files do not belong "
                             "together")
        if labels.size and (labels.min() < 0 or labels.max() >= len(self.classes)):
            raise ValueError(f"{os.path.join(folder, names[1])}: labels must lie in "
                             f"[0, {len(self.classes)}), found [{labels.min()}, {labels.max()}]")
        from ember import Tensor

        self.data = Tensor._make(np.ascontiguousarray(images, dtype=np.uint8))
        self.targets = Tensor._make(labels.astype(np.int64))

    @property
    def raw_folder(self) -> str:
        return os.path.join(self.root, type(self).__name__, "raw")

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.classes)}

    def _candidates(self) -> list[str]:
        name = type(self).__name__
        return [self.raw_folder, os.path.join(self.root, name), os.path.join(self.root, name.lower()),
                self.root]

    def _find_folder(self, names: list[str]) -> str | None:
        for folder in self._candidates():
            if all(_existing(folder, n) for n in names):
                return folder
        return None

    def _download(self, names: list[str]) -> str:
        os.makedirs(self.raw_folder, exist_ok=True)
        for n in names:
            gz_md5 = self.files[n][0]
            errors = []
            for mirror in self.mirrors:
                try:
                    download_url(mirror + n + ".gz", self.raw_folder, md5=gz_md5)
                    break
                except RuntimeError as e:
                    errors.append(str(e).splitlines()[0])
            else:
                raise RuntimeError(missing_files_message(
                    type(self).__name__, self.raw_folder, [n + ".gz" for n in names],
                    [m + n + ".gz" for m in self.mirrors for n in names],
                    reason="could not be downloaded (" + "; ".join(errors) + ")"))
        return self.raw_folder

    def _load(self, folder: str, name: str, ndim: int) -> np.ndarray:
        path = _existing(folder, name)
        data = _read_bytes(path)
        if self.verify:
            self._check(path, name, data)
        return parse_idx(data, path, ndim)

    def _check(self, path: str, name: str, data: bytes) -> None:
        gz_md5, sha, md5 = self.files[name]
        if sha is not None:
            got, want, algo = hashlib.sha256(data).hexdigest(), sha, "SHA256"
        elif md5 is not None:
            got, want, algo = hashlib.md5(data).hexdigest(), md5, "MD5"
        elif path.endswith(".gz") and gz_md5 is not None:
            with open(path, "rb") as f:
                got, want, algo = hashlib.md5(f.read()).hexdigest(), gz_md5, "MD5 (gz)"
        else:
            return
        if got != want:
            raise ValueError(f"{path}: {algo} of the (decompressed) content is {got}, expected "
                             f"{want} for {name}; the file is corrupt, truncated or a different "
                             "version. Delete it and download again, or pass verify=False.")

    def __len__(self) -> int:
        return int(self.data.shape[0])

    def __getitem__(self, index: int) -> tuple[Any, int]:
        from PIL import Image

        img = Image.fromarray(self.data._data[index])
        return self._apply(img, int(self.targets._data[index]))

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train else 'Test'}"


def _existing(folder: str, name: str) -> str | None:
    """``folder/name`` or ``folder/name.gz``, whichever exists (raw preferred)."""
    for candidate in (name, name + ".gz"):
        path = os.path.join(folder, candidate)
        if os.path.isfile(path):
            return path
    return None


class FashionMNIST(MNIST):
    """Fashion-MNIST (Zalando): same IDX layout and sizes as MNIST, 10 clothing classes.

    Notes:
        Only the MD5s of the official .gz files are published, so ``verify`` checks .gz files;
        decompressed files get the structural checks only.
    """

    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    files = {
        "train-images-idx3-ubyte": ("8d4fb7e6c68d591d4c3dfef9ec88bf0d", None, None),
        "train-labels-idx1-ubyte": ("25c81989df183df01b3e8a0aad5dffbe", None, None),
        "t10k-images-idx3-ubyte": ("bef4ecab320f06d8554ea6380940ec79", None, None),
        "t10k-labels-idx1-ubyte": ("bb300cfdad3c16e7a12a480ee83cd310", None, None),
    }
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
               "Bag", "Ankle boot"]
