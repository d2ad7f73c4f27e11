"""ember.vision.datasets: MNIST, FashionMNIST, CIFAR10/100 (binary format), ImageFolder."""
from .cifar import CIFAR10, CIFAR100
from .folder import DatasetFolder, ImageFolder
from .mnist import MNIST, FashionMNIST
from .vision import VisionDataset

__all__ = ["MNIST", "FashionMNIST", "CIFAR10", "CIFAR100", "ImageFolder", "DatasetFolder",
           "VisionDataset"]
