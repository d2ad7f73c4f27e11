"""Early stopping for training loops (not part of torch; modelled on Keras' EarlyStopping callback)."""
from __future__ import annotations

import copy
import math
from typing import Any

__all__ = ["EarlyStopping"]


class EarlyStopping:
    """Stop when the monitored metric has not improved by ``min_delta`` for ``patience`` epochs.

    ``step(metric, model)`` returns True when training should stop. An epoch improves when
    ``metric < best - min_delta`` (mode "min") or ``metric > best + min_delta`` (mode "max").

    Args:
        patience: epochs without improvement tolerated before stopping. Default: 10.
        min_delta: minimum change that counts as an improvement (>= 0). Default: 0.
        mode: "min" (losses) or "max" (accuracies). Default: "min".
        restore_best_weights: on stop, load the best ``model.state_dict()`` seen back into the model.
            Default: True.

    Attributes:
        best: best metric so far.  best_epoch: its epoch index (0-based).  num_bad_epochs: current run
        of epochs without improvement.  stopped_epoch: epoch at which ``step`` returned True, or None.

    Notes:
        ember-specific helper (torch has none; TOPICS 1.8 "early stopping"). The model only needs
        ``state_dict()`` / ``load_state_dict()``; the best weights are deep-copied.

    Examples:
        >>> stopper = EarlyStopping(patience=1)
        >>> [stopper.step(v) for v in [1.0, 0.9, 0.95, 0.97]]
        [False, False, False, True]
    """

    def __init__(self, patience: int = 10, min_delta: float = 0.0, mode: str = "min",
                 restore_best_weights: bool = True) -> None:
        if patience < 0:
            raise ValueError(f"EarlyStopping: patience must be >= 0, got {patience}")
        if min_delta < 0:
            raise ValueError(f"EarlyStopping: min_delta must be >= 0, got {min_delta}")
        if mode not in ("min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'min' or 'max', got {mode!r}")
        self.patience, self.min_delta, self.mode = patience, min_delta, mode
        self.restore_best_weights = restore_best_weights
        self.best = math.inf if mode == "min" else -math.inf
        self.best_epoch, self.num_bad_epochs, self.epoch = -1, 0, -1
        self.stopped_epoch: int | None = None
        self._best_state: Any = None

    def _improved(self, value: float) -> bool:
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def step(self, metric: Any, model: Any = None) -> bool:
        """Record this epoch's ``metric``; return True if training should stop now."""
        value = float(metric)
        if math.isnan(value):
            raise ValueError("EarlyStopping: the monitored metric is NaN (training diverged?)")
        self.epoch += 1
        if self._improved(value):
            self.best, self.best_epoch, self.num_bad_epochs = value, self.epoch, 0
            if model is not None and self.restore_best_weights:
                self._best_state = copy.deepcopy(model.state_dict())
            return False
        self.num_bad_epochs += 1
        if self.num_bad_epochs > self.patience:
            self.stopped_epoch = self.epoch
            if model is not None and self.restore_best_weights and self._best_state is not None:
                model.load_state_dict(self._best_state)
            return True
        return False

    def state_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_best_state"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.__dict__.update(state_dict)
