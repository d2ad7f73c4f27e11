"""ember.vision.models: the model zoo (LeNet-5, ...)."""
from .lenet import LeNet5, lenet5_counts

__all__ = ["LeNet5", "lenet5_counts"]
