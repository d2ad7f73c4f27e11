"""ember.vision.transforms: torchvision.transforms for PIL images, NumPy HWC arrays and Tensors."""
from . import functional
from ._color import (ColorJitter, GaussianBlur, Grayscale, Normalize, PILToTensor, RandomErasing,
                     RandomGrayscale, ToPILImage, ToTensor)
from ._container import Compose, Lambda, RandomApply, RandomChoice, RandomOrder
from ._geometric import (CenterCrop, Pad, RandomAffine, RandomCrop, RandomHorizontalFlip,
                         RandomResizedCrop, RandomRotation, RandomVerticalFlip, Resize)
from ._mix import CutMix, MixUp, cutmix, mixup
from .functional import InterpolationMode

__all__ = ["functional", "Compose", "Lambda", "RandomApply", "RandomChoice", "RandomOrder",
           "ToTensor", "PILToTensor", "ToPILImage", "Normalize", "ColorJitter", "Grayscale",
           "RandomGrayscale", "GaussianBlur", "RandomErasing", "Resize", "CenterCrop",
           "RandomCrop", "RandomResizedCrop", "RandomHorizontalFlip", "RandomVerticalFlip", "Pad",
           "RandomRotation", "RandomAffine", "MixUp", "CutMix", "mixup", "cutmix",
           "InterpolationMode"]
