"""CIFAR-10 and CIFAR-100 from the official *binary* distribution (never the pickled one).

Record layout (no header): CIFAR-10 ``<1 byte label><3072 bytes image>``, CIFAR-100
``<1 byte coarse label><1 byte fine label><3072 bytes image>``; the image is 1024 red, 1024 green,
1024 blue bytes, each a 32x32 plane in row-major order. A file whose size is not a whole number of
records, or whose labels fall outside the class range, is rejected with an error naming it.
"""
from __future__ import annotations

import os
from typing import Any, Callable

import numpy as np

from .utils import download_url, extract_archive, missing_files_message
from .vision import VisionDataset

__all__ = ["CIFAR10", "CIFAR100", "read_cifar_binary"]

_IMAGE_BYTES = 3 * 32 * 32

_CIFAR100_FINE = (
    "apple aquarium_fish baby bear beaver bed bee beetle bicycle bottle bowl boy bridge bus "
    "butterfly camel can castle caterpillar cattle chair chimpanzee clock cloud cockroach couch crab "
    "crocodile cup dinosaur dolphin elephant flatfish forest fox girl hamster house kangaroo keyboard "
    "lamp lawn_mower leopard lion lizard lobster man maple_tree motorcycle mountain mouse mushroom "
    "oak_tree orange orchid otter palm_tree pear pickup_truck pine_tree plain plate poppy porcupine "
    "possum rabbit raccoon ray road rocket rose sea seal shark shrew skunk skyscraper snail snake "
    "spider squirrel streetcar sunflower sweet_pepper table tank telephone television tiger tractor "
    "train trout tulip turtle wardrobe whale willow_tree wolf woman worm").split()
_CIFAR100_COARSE = (
    "aquatic_mammals fish flowers food_containers fruit_and_vegetables household_electrical_devices "
    "household_furniture insects large_carnivores large_man-made_outdoor_things "
    "large_natural_outdoor_scenes large_omnivores_and_herbivores medium_mammals "
    "non-insect_invertebrates people reptiles small_mammals trees vehicles_1 vehicles_2").split()


def read_cifar_binary(path: str, label_bytes: int, num_classes: tuple[int, ...]) -> tuple:
    """Read one binary batch file.

    Returns:
        (images uint8 (N, 32, 32, 3) HWC, labels int64 (N, label_bytes)).
    """
    raw = np.fromfile(path, dtype=np.uint8)
    record = label_bytes + _IMAGE_BYTES
    if raw.size == 0 or raw.size % record:
        raise ValueError(f"{path}: {raw.size} bytes is not a whole number of {record}-byte CIFAR "
                         "records; the file is truncated or not a CIFAR binary batch")
    rows = raw.reshape(-1, record)
    labels = rows[:, :label_bytes].astype(np.int64)
    for j, n in enumerate(num_classes):
        if labels[:, j].max() >= n:
            raise ValueError(f"{path}: label byte {j} holds {labels[:, j].max()}, expected values "
                             f"< {n}; not a {'CIFAR-10' if label_bytes == 1 else 'CIFAR-100'} file")
    images = rows[:, label_bytes:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(images), labels


class CIFAR10(VisionDataset):
    """CIFAR-10: 50,000 training / 10,000 test colour images 32x32 in 10 classes.

    Args:
        root: folder holding ``cifar-10-batches-bin/`` (or the .bin files themselves).
        train: the five training batches (else ``test_batch.bin``).
        transform, target_transform: applied to the PIL RGB image and the integer label.
        download: fetch and extract ``cifar-10-binary.tar.gz`` (MD5-checked, atomic, resumable).
        verify: also require the official record counts per file (ember extension).

    Attributes:
        data: uint8 ndarray (N, 32, 32, 3) (HWC, as torchvision). targets: list of int.
    """

    url = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
    filename = "cifar-10-binary.tar.gz"
    tgz_md5 = "c32a1d4ab5d03f1284b67883e8d87530"
    base_folder = "cifar-10-batches-bin"
    train_list = [f"data_batch_{i}.bin" for i in range(1, 6)]
    test_list = ["test_batch.bin"]
    expected_records: dict[str, int] = {}  # default 10000 records per file
    label_bytes = 1
    classes = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
               "truck"]

    def __init__(self, root: str | os.PathLike | None = None, train: bool = True,
                 transform: Callable | None = None, target_transform: Callable | None = None,
                 download: bool = False, *, verify: bool = True) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        names = self.train_list if train else self.test_list
        folder = self._find_folder(names)
        if folder is None:
            if not download:
                raise RuntimeError(missing_files_message(
                    type(self).__name__, os.path.join(self.root, self.base_folder), names,
                    [self.url]) + f"\n(the files are inside {self.filename}, binary version)")
            download_url(self.url, self.root, self.filename, md5=self.tgz_md5)
            extract_archive(os.path.join(self.root, self.filename), self.root)
            folder = os.path.join(self.root, self.base_folder)
        images, labels = [], []
        for name in names:
            path = os.path.join(folder, name)
            x, y = read_cifar_binary(path, self.label_bytes, self._num_classes())
            want = self.expected_records.get(name, 10000)
            if verify and len(x) != want:
                raise ValueError(f"{path}: {len(x)} records, expected {want} (pass verify=False "
                                 "for a non-standard subset)")
            images.append(x)
            labels.append(y)
        self.data = np.concatenate(images)
        self._labels = np.concatenate(labels)
        self.targets = self._labels[:, -1].tolist()
        self._load_meta(folder)

    def _num_classes(self) -> tuple[int, ...]:
        return (len(self.classes),)

    def _find_folder(self, names: list[str]) -> str | None:
        for folder in (os.path.join(self.root, self.base_folder), self.root):
            if all(os.path.isfile(os.path.join(folder, n)) for n in names):
                return folder
        return None

    def _load_meta(self, folder: str) -> None:
        path = os.path.join(folder, "batches.meta.txt")
        if os.path.isfile(path):
            with open(path) as f:
                names = [ln.strip() for ln in f if ln.strip()]
            if len(names) == len(self.classes):
                self.classes = names

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.classes)}

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> tuple[Any, int]:
        from PIL import Image

        return self._apply(Image.fromarray(self.data[index]), self.targets[index])

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train else 'Test'}"


class CIFAR100(CIFAR10):
    """CIFAR-100: like CIFAR-10 with 100 fine classes (``targets``) grouped into 20 coarse ones
    (``coarse_targets``, ember extension)."""

    url = "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"
    filename = "cifar-100-binary.tar.gz"
    tgz_md5 = "03b5dce01913d631647c71ecec9e9cb8"
    base_folder = "cifar-100-binary"
    train_list = ["train.bin"]
    test_list = ["test.bin"]
    expected_records = {"train.bin": 50000, "test.bin": 10000}
    label_bytes = 2
    classes = list(_CIFAR100_FINE)
    coarse_classes = list(_CIFAR100_COARSE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.coarse_targets = self._labels[:, 0].tolist()

    def _num_classes(self) -> tuple[int, ...]:
        return (len(self.coarse_classes), len(self.classes))

    def _load_meta(self, folder: str) -> None:
        for attr, fname in (("classes", "fine_label_names.txt"),
                            ("coarse_classes", "coarse_label_names.txt")):
            path = os.path.join(folder, fname)
            if os.path.isfile(path):
                with open(path) as f:
                    names = [ln.strip() for ln in f if ln.strip()]
                if len(names) == len(getattr(self, attr)):
                    setattr(self, attr, names)
