"""A small optional training loop: ``Trainer(model, optimizer).fit(train_loader, epochs)``.

Plain loops stay first-class; this adds what every script re-writes: tqdm progress bars (loss,
accuracy, samples/s), evaluation, CSV/JSON logs and a PNG of the curves, gradient clipping, early
stopping, and checkpoints every N steps (``ember.save``: safetensors, atomic) whose resume
reproduces the uninterrupted run bit for bit (model, optimizer, scheduler, RNG states, data order).
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from typing import Any, Callable, Iterable

import ember
from ember.nn import functional as F

__all__ = ["Trainer", "set_trainable", "accuracy"]


def accuracy(logits: ember.Tensor, target: ember.Tensor) -> float:
    """Fraction of rows whose argmax equals the target."""
    return float((logits.detach().argmax(-1) == target).float().mean().item())


def set_trainable(model: Any, trainable: Iterable[str] = ()) -> list:
    """Freeze every parameter except those whose name starts with one of ``trainable`` (e.g.
    ``("fc.",)`` to fine-tune only a new head). Returns the trainable parameters (give only these
    to the optimizer)."""
    prefixes = tuple(trainable)
    out = []
    for name, p in model.named_parameters():
        p.requires_grad_(bool(prefixes) and name.startswith(prefixes))
        if p.requires_grad:
            out.append(p)
    return out


def _atomic_write_text(path: str, text: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(fd, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class Trainer:
    """Train ``model`` with ``optimizer`` on batches ``(inputs, targets)``.

    Args:
        model, optimizer: an ``ember.nn.Module`` and an ``ember.optim`` optimizer.
        loss_fn: ``loss_fn(output, target)`` (default cross-entropy).
        scheduler: an lr scheduler stepped once per epoch (or ``ReduceLROnPlateau`` with the
            monitored value).
        clip_grad_norm: clip the global gradient norm to this value before each step.
        checkpoint_dir: where ``last.safetensors`` / ``best.safetensors`` go.
        checkpoint_every: also checkpoint every this many optimizer steps (mid-epoch).
        log_dir: where ``history.csv``, ``history.json`` and ``curves.png`` go.
        early_stopping_patience: stop after this many epochs without improvement of ``monitor``
            ("val_loss" if a validation loader is given, else "train_loss").
        progress: show tqdm bars.
    """

    def __init__(self, model: Any, optimizer: Any, loss_fn: Callable = F.cross_entropy,
                 scheduler: Any = None, clip_grad_norm: float | None = None,
                 checkpoint_dir: str | None = None, checkpoint_every: int | None = None,
                 log_dir: str | None = None, early_stopping_patience: int | None = None,
                 progress: bool = True) -> None:
        self.model, self.optimizer, self.loss_fn, self.scheduler = model, optimizer, loss_fn, scheduler
        self.clip_grad_norm, self.progress = clip_grad_norm, progress
        self.checkpoint_dir, self.checkpoint_every = checkpoint_dir, checkpoint_every
        self.log_dir, self.patience = log_dir, early_stopping_patience
        self.history: dict[str, list] = {}
        self.epoch = self.step_in_epoch = self.global_step = 0
        self.best, self.bad_epochs = float("inf"), 0
        self._rng_epoch_start: Any = None
        self._loader_rng_epoch_start: Any = None

    # ------------------------------------------------------------------ checkpoints
    def state_dict(self) -> dict:
        loader_state = self._loader_rng_epoch_start
        return {"model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(),
                "scheduler": self.scheduler.state_dict() if self.scheduler is not None else None,
                "epoch": self.epoch, "step_in_epoch": self.step_in_epoch,
                "global_step": self.global_step, "best": self.best, "bad_epochs": self.bad_epochs,
                "rng": ember.get_rng_state(), "rng_epoch_start": self._rng_epoch_start,
                "loader_rng_epoch_start": loader_state,
                "history": {k: list(v) for k, v in self.history.items()}}

    def save_checkpoint(self, path: str) -> None:
        ember.save(self.state_dict(), path)

    def load_checkpoint(self, path: str) -> None:
        state = ember.load(path)
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        if self.scheduler is not None and state["scheduler"] is not None:
            self.scheduler.load_state_dict(state["scheduler"])
        for key in ("epoch", "step_in_epoch", "global_step", "best", "bad_epochs"):
            setattr(self, key, state[key])
        self.history = {k: list(v) for k, v in state["history"].items()}
        self._rng_epoch_start = state["rng_epoch_start"]
        self._loader_rng_epoch_start = state["loader_rng_epoch_start"]
        self._resume_rng = state["rng"]

    def _checkpoint(self, name: str) -> None:
        if self.checkpoint_dir is not None:
            self.save_checkpoint(os.path.join(self.checkpoint_dir, name))

    # ------------------------------------------------------------------ loops
    def _batches(self, loader: Any) -> Iterable:
        """The epoch's batches; on resume, the data order is rebuilt from the epoch-start RNG
        states and the batches already trained on are skipped."""
        gen = getattr(loader, "generator", None)
        if self.step_in_epoch and self._rng_epoch_start is not None:
            ember.set_rng_state(self._rng_epoch_start)
            if gen is not None and self._loader_rng_epoch_start is not None:
                gen.set_state(self._loader_rng_epoch_start)
        else:
            self._rng_epoch_start = ember.get_rng_state()
            self._loader_rng_epoch_start = gen.get_state() if gen is not None else None
        it = iter(loader)
        for _ in range(self.step_in_epoch):
            next(it)
        if self.step_in_epoch:
            ember.set_rng_state(self._resume_rng)
        return it

    def _train_epoch(self, loader: Any, max_steps: int | None) -> dict:
        from tqdm.auto import tqdm

        self.model.train()
        total = loss_sum = correct = 0.0
        start = time.perf_counter()
        bar = tqdm(self._batches(loader), total=len(loader), initial=self.step_in_epoch,
                   desc=f"epoch {self.epoch + 1}", disable=not self.progress, leave=False)
        for x, y in bar:
            out = self.model(x)
            loss = self.loss_fn(out, y)
            self.optimizer.zero_grad()
            loss.backward()
            if self.clip_grad_norm is not None:
                ember.nn.utils.clip_grad_norm_(self.model.parameters(), self.clip_grad_norm)
            self.optimizer.step()
            n = len(y)
            total += n
            loss_sum += float(loss.item()) * n
            if out.ndim == 2 and y.ndim == 1:
                correct += accuracy(out, y) * n
            self.step_in_epoch += 1
            self.global_step += 1
            bar.set_postfix(loss=f"{loss_sum / total:.4f}", acc=f"{correct / total:.4f}",
                            rate=f"{total / (time.perf_counter() - start):.0f}/s")
            if self.checkpoint_every and self.global_step % self.checkpoint_every == 0:
                self._checkpoint("last.safetensors")
            if max_steps is not None and self.global_step >= max_steps:
                break
        bar.close()
        secs = time.perf_counter() - start
        return {"train_loss": loss_sum / max(total, 1), "train_acc": correct / max(total, 1),
                "samples_per_s": total / max(secs, 1e-9), "epoch_time_s": secs}

    def evaluate(self, loader: Any) -> dict:
        """Mean loss and accuracy over ``loader`` in eval mode without gradients."""
        self.model.eval()
        total = loss_sum = correct = 0.0
        with ember.no_grad():
            for x, y in loader:
                out = self.model(x)
                n = len(y)
                total += n
                loss_sum += float(self.loss_fn(out, y).item()) * n
                correct += accuracy(out, y) * n
        return {"loss": loss_sum / max(total, 1), "accuracy": correct / max(total, 1)}

    def fit(self, train_loader: Any, epochs: int, val_loader: Any = None,
            resume: str | None = None, max_steps: int | None = None) -> dict[str, list]:
        """Train until ``epochs`` epochs (or ``max_steps`` optimizer steps) are done.

        ``resume`` is a checkpoint path (or "auto": ``checkpoint_dir/last.safetensors`` if present).
        Returns the history: one entry per epoch for each logged quantity.
        """
        if resume == "auto":
            auto = os.path.join(self.checkpoint_dir or "", "last.safetensors")
            resume = auto if self.checkpoint_dir and os.path.isfile(auto) else None
        if resume is not None:
            self.load_checkpoint(resume)
        while self.epoch < epochs:
            stats = self._train_epoch(train_loader, max_steps)
            if max_steps is not None and self.global_step >= max_steps and \
                    self.step_in_epoch < len(train_loader):
                self._checkpoint("last.safetensors")
                break
            stats.update(self._end_epoch(val_loader, stats))
            if self.patience is not None and self.bad_epochs >= self.patience:
                break
        return self.history

    def _end_epoch(self, val_loader: Any, stats: dict) -> dict:
        if val_loader is not None:
            v = self.evaluate(val_loader)
            stats["val_loss"], stats["val_acc"] = v["loss"], v["accuracy"]
        stats["lr"] = float(self.optimizer.param_groups[0]["lr"])
        monitored = stats.get("val_loss", stats["train_loss"])
        if self.scheduler is not None:
            if type(self.scheduler).__name__ == "ReduceLROnPlateau":
                self.scheduler.step(monitored)
            else:
                self.scheduler.step()
        self.epoch += 1
        self.step_in_epoch = 0
        stats["epoch"] = self.epoch
        for k, v in stats.items():
            self.history.setdefault(k, []).append(v)
        improved = monitored < self.best
        self.best, self.bad_epochs = (monitored, 0) if improved else (self.best, self.bad_epochs + 1)
        self._checkpoint("last.safetensors")
        if improved:
            self._checkpoint("best.safetensors")
        self._write_logs()
        return stats

    # ------------------------------------------------------------------ logs
    def _write_logs(self) -> None:
        if self.log_dir is None:
            return
        keys = list(self.history)
        rows = zip(*(self.history[k] for k in keys))
        lines = [",".join(keys)] + [",".join(f"{v:.6g}" if isinstance(v, float) else str(v)
                                             for v in r) for r in rows]
        _atomic_write_text(os.path.join(self.log_dir, "history.csv"), "\n".join(lines) + "\n")
        _atomic_write_text(os.path.join(self.log_dir, "history.json"),
                           json.dumps(self.history, indent=1))
        self.plot(os.path.join(self.log_dir, "curves.png"))

    def plot(self, path: str) -> None:
        """Loss, accuracy and learning-rate curves per epoch as a PNG (written atomically)."""
        from matplotlib.figure import Figure

        h = self.history
        fig = Figure(figsize=(11, 3.2))
        axes = fig.subplots(1, 3)
        for ax, keys, title in ((axes[0], ("train_loss", "val_loss"), "loss"),
                                (axes[1], ("train_acc", "val_acc"), "accuracy"),
                                (axes[2], ("lr",), "learning rate")):
            for k in keys:
                if k in h:
                    ax.plot(h["epoch"], h[k], marker="o", label=k)
            ax.set_title(title)
            ax.set_xlabel("epoch")
            ax.legend()
        fig.tight_layout()
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".png")
        os.close(fd)
        fig.savefig(tmp, dpi=100)
        os.replace(tmp, path)

