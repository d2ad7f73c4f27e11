"""ember.optim: torch.optim's optimizers and lr schedulers, plus Newton, BFGS and nonlinear CG.

First order (trajectories equal torch 2.13's): SGD, Adagrad, Adadelta, RMSprop, Adam, AdamW, Adamax,
NAdam, RAdam. Second order (closure-based like torch's LBFGS): LBFGS, Newton, BFGS, ConjugateGradient.
"""
from __future__ import annotations

from . import lr_scheduler
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .bfgs import BFGS
from .conjugate_gradient import ConjugateGradient
from .lbfgs import LBFGS
from .nadam import NAdam
from .newton import Newton
from .optimizer import Optimizer, required
from .radam import RAdam
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "required", "SGD", "Adagrad", "Adadelta", "RMSprop", "Adam", "AdamW", "Adamax",
           "NAdam", "RAdam", "LBFGS", "Newton", "BFGS", "ConjugateGradient", "lr_scheduler"]
