"""DataLoader worker processes: the loop each worker runs, and what crosses the process boundary.

Protocol (one index queue per worker, one shared result queue):

* parent -> worker: ``(epoch, send_idx, indices)``; ``indices`` is a list of dataset indices (map
  style) or ``None`` ("your next batch", iterable style); ``None`` alone means "exit".
* worker -> parent: ``(epoch, send_idx, payload)``, exactly one reply per task. ``payload`` is the
  batch converted by :func:`to_transport` (every ember Tensor replaced by its NumPy array, which is
  all that is pickled), an :class:`ExceptionWrapper`, or an :class:`IterationEnd` when an iterable
  worker's stream is exhausted.

A task from a newer ``epoch`` makes the worker restart its dataset iterator (persistent workers);
the parent drops replies of older epochs.
"""
from __future__ import annotations

import os
import queue
import random
import sys
import traceback
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

__all__ = ["WorkerInfo", "get_worker_info"]

STATUS_CHECK_INTERVAL = 1.0  # seconds between "is my parent still alive?" checks

_worker_info: "WorkerInfo | None" = None


@dataclass(frozen=True)
class WorkerInfo:
    """What ``get_worker_info()`` returns inside a worker: id in [0, num_workers), the worker's
    seed (base_seed + id), and its copy of the dataset."""

    id: int
    num_workers: int
    seed: int
    dataset: Any


def get_worker_info() -> WorkerInfo | None:
    """The current worker's :class:`WorkerInfo`, or None in the main process."""
    return _worker_info


@dataclass(frozen=True)
class IterationEnd:
    """Reply of an iterable-style worker whose dataset iterator is exhausted."""

    worker_id: int


class ExceptionWrapper:
    """An exception raised in a worker, carried as text (type name + formatted traceback)."""

    def __init__(self, exc: BaseException, where: str) -> None:
        self.module = type(exc).__module__
        self.qualname = type(exc).__qualname__
        self.msg = f"Caught {self.qualname} {where}.\nOriginal " + "".join(
            traceback.format_exception(type(exc), exc, exc.__traceback__))

    def reraise(self) -> None:
        """Raise the same exception type in the parent (RuntimeError if it cannot be rebuilt)."""
        exc_type: Any = RuntimeError
        obj = sys.modules.get(self.module)
        for part in self.qualname.split("."):
            obj = getattr(obj, part, None)
        if isinstance(obj, type) and issubclass(obj, BaseException):
            exc_type = obj
        msg = self.msg
        if exc_type is KeyError:  # KeyError would repr() the message and hide the newlines
            msg = KeyErrorMessage(msg)
        try:
            exc = exc_type(msg)
        except Exception:
            exc = RuntimeError(msg)
        raise exc


class KeyErrorMessage(str):
    def __repr__(self) -> str:
        return str(self)


@dataclass(frozen=True)
class _TensorPayload:
    array: np.ndarray
    requires_grad: bool


def to_transport(obj: Any) -> Any:
    """Replace every ember Tensor in a (nested) batch by a NumPy array wrapper."""
    from ember import Tensor

    if isinstance(obj, Tensor):
        return _TensorPayload(np.asarray(obj.detach().cpu().numpy()), bool(obj.requires_grad))
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(to_transport(o) for o in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_transport(o) for o in obj)
    if isinstance(obj, dict):
        return type(obj)((k, to_transport(v)) for k, v in obj.items())
    return obj


def from_transport(obj: Any) -> Any:
    """Inverse of :func:`to_transport` (in the parent)."""
    from ember import Tensor

    if isinstance(obj, _TensorPayload):
        t = Tensor._make(obj.array)
        return t.requires_grad_(True) if obj.requires_grad else t
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(from_transport(o) for o in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(from_transport(o) for o in obj)
    if isinstance(obj, dict):
        return type(obj)((k, from_transport(v)) for k, v in obj.items())
    return obj


class MapFetcher:
    """Fetches one batch of a map-style dataset: ``collate_fn([dataset[i] for i in indices])``."""

    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Callable,
                 drop_last: bool) -> None:
        self.dataset, self.auto_collation, self.collate_fn = dataset, auto_collation, collate_fn

    def fetch(self, indices: Any) -> Any:
        if not self.auto_collation:
            return self.collate_fn(self.dataset[indices])
        getitems = getattr(self.dataset, "__getitems__", None)
        data = getitems(indices) if callable(getitems) else [self.dataset[i] for i in indices]
        return self.collate_fn(data)


class IterableFetcher:
    """Fetches the next batch of an iterable dataset (raises StopIteration when exhausted)."""

    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Callable,
                 drop_last: bool) -> None:
        self.iterator = iter(dataset)
        self.auto_collation, self.collate_fn, self.drop_last = auto_collation, collate_fn, drop_last
        self.ended = False

    def fetch(self, batch_size: Any) -> Any:
        if self.ended:
            raise StopIteration
        if not self.auto_collation:
            return self.collate_fn(next(self.iterator))
        data = []
        for _ in range(batch_size):
            try:
                data.append(next(self.iterator))
            except StopIteration:
                self.ended = True
                break
        if not data or (self.drop_last and len(data) < batch_size):
            self.ended = True
            raise StopIteration
        return self.collate_fn(data)


def seed_worker(seed: int, worker_id: int) -> None:
    """Seed Python's ``random``, NumPy's legacy global RNG and ember's default generator."""
    import ember

    random.seed(seed)
    ember.manual_seed(seed)
    np.random.seed(np.random.SeedSequence([worker_id, seed]).generate_state(4))


def worker_loop(fetcher_cls: type, dataset: Any, index_queue: Any, result_queue: Any,
                done_event: Any, auto_collation: bool, collate_fn: Callable, drop_last: bool,
                base_seed: int, init_fn: Callable | None, worker_id: int, num_workers: int,
                batch_size: Any) -> None:
    """Body of one worker process (module-level so that any start method can run it)."""
    global _worker_info
    parent = os.getppid()
    seed = base_seed + worker_id
    seed_worker(seed, worker_id)
    _worker_info = WorkerInfo(worker_id, num_workers, seed, dataset)
    fetcher: Any = None
    init_error = None
    try:
        if init_fn is not None:
            init_fn(worker_id)
    except Exception as e:  # reported with the first task
        init_error = ExceptionWrapper(e, f"in DataLoader worker process {worker_id} (worker_init_fn)")
    epoch = None
    while not done_event.is_set():
        try:
            task = index_queue.get(timeout=STATUS_CHECK_INTERVAL)
        except queue.Empty:
            if os.getppid() != parent:  # orphaned: the parent died without shutting us down
                break
            continue
        if task is None:
            break
        task_epoch, send_idx, indices = task
        if init_error is not None:
            result_queue.put((task_epoch, send_idx, init_error))
            continue
        try:
            if task_epoch != epoch:
                fetcher = fetcher_cls(dataset, auto_collation, collate_fn, drop_last)
                epoch = task_epoch
            payload = to_transport(fetcher.fetch(batch_size if indices is None else indices))
        except StopIteration:
            payload = IterationEnd(worker_id)
        except Exception as e:
            payload = ExceptionWrapper(e, f"in DataLoader worker process {worker_id}")
        result_queue.put((task_epoch, send_idx, payload))
    if done_event.is_set():
        result_queue.cancel_join_thread()  # the parent no longer reads: do not block on exit
