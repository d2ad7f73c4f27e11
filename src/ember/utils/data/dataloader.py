"""DataLoader: batches of a dataset, in this process or in worker processes (torch's API).

Per epoch, a sampler yields indices; a BatchSampler groups them; each group is fetched
(``[dataset[i] for i in group]``) and collated (``default_collate``) into one batch. With
``num_workers > 0`` the groups are sent to worker processes, which fetch and collate, and the
batches come back in sampler order (``prefetch_factor`` batches in flight per worker).
"""
from __future__ import annotations

import itertools
import math
import multiprocessing
import queue
import time
from typing import Any, Callable, Iterable

from ._collate import default_collate, default_convert
from ._worker import (STATUS_CHECK_INTERVAL, ExceptionWrapper, IterableFetcher, IterationEnd,
                      MapFetcher, from_transport, worker_loop)
from .dataset import Dataset, IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader"]


class _InfiniteConstantSampler(Sampler):
    """Placeholder sampler of iterable datasets: yields None forever."""

    def __iter__(self) -> Any:
        return itertools.repeat(None)


def _check_args(dataset: Any, shuffle: Any, sampler: Any, batch_sampler: Any, batch_size: Any,
                drop_last: bool, num_workers: int, timeout: float, prefetch_factor: Any,
                persistent_workers: bool) -> None:
    if not isinstance(num_workers, int) or num_workers < 0:
        raise ValueError(f"num_workers option should be a non-negative integer, got "
                         f"{num_workers!r}; use num_workers=0 to disable multiprocessing.")
    if timeout < 0:
        raise ValueError(f"timeout option should be non-negative, got {timeout!r}")
    if num_workers == 0 and prefetch_factor is not None:
        raise ValueError("prefetch_factor option could only be specified in multiprocessing. "
                         "let num_workers > 0 to enable multiprocessing, otherwise set "
                         "prefetch_factor to None.")
    if prefetch_factor is not None and (not isinstance(prefetch_factor, int) or prefetch_factor <= 0):
        raise ValueError(f"prefetch_factor option should be a positive integer, got {prefetch_factor!r}")
    if persistent_workers and num_workers == 0:
        raise ValueError("persistent_workers option needs num_workers > 0")
    if isinstance(dataset, IterableDataset):
        if shuffle not in (None, False):
            raise ValueError("DataLoader with IterableDataset: expected unspecified shuffle "
                             f"option, but got shuffle={shuffle}")
        if sampler is not None:
            raise ValueError("DataLoader with IterableDataset: expected unspecified sampler "
                             f"option, but got sampler={sampler}")
        if batch_sampler is not None:
            raise ValueError("DataLoader with IterableDataset: expected unspecified batch_sampler "
                             f"option, but got batch_sampler={batch_sampler}")
    if sampler is not None and shuffle:
        raise ValueError("sampler option is mutually exclusive with shuffle")
    if batch_sampler is not None and (batch_size != 1 or shuffle or sampler is not None or drop_last):
        raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, "
                         "sampler, and drop_last")
    if batch_size is None and drop_last and batch_sampler is None:
        raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive "
                         "with drop_last")


class DataLoader:
    """Iterate over ``dataset`` in batches.

    Args mirror ``torch.utils.data.DataLoader``: ``batch_size`` (None disables batching),
    ``shuffle`` (a RandomSampler driven by ``generator``), ``sampler`` / ``batch_sampler``,
    ``num_workers`` (worker processes), ``collate_fn`` (default :func:`default_collate`),
    ``pin_memory`` (accepted, a no-op on the CPU), ``drop_last``, ``timeout`` (seconds to wait for a
    worker batch, 0 = forever), ``worker_init_fn(worker_id)``, ``multiprocessing_context``
    ("fork", "spawn", "forkserver" or a context), ``generator``, ``prefetch_factor`` (batches in
    flight per worker, default 2), ``persistent_workers`` (keep workers between epochs).

    ``len(loader)`` is the exact number of batches: ``ceil(N / batch_size)``, or
    ``floor(N / batch_size)`` with ``drop_last`` (claim C004).

    Notes:
        Shuffled orders come from ember's NumPy generator, so they differ from torch's for the same
        seed (batch composition with ``shuffle=False`` is identical). Workers send batches back as
        NumPy arrays; only those (and the user's non-tensor objects) are pickled.
    """

    def __init__(self, dataset: Dataset, batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler: Sampler | Iterable | None = None,
                 batch_sampler: Sampler | Iterable | None = None, num_workers: int = 0,
                 collate_fn: Callable | None = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0, worker_init_fn: Callable | None = None,
                 multiprocessing_context: Any = None, generator: Any = None, *,
                 prefetch_factor: int | None = None, persistent_workers: bool = False,
                 pin_memory_device: str = "", in_order: bool = True) -> None:
        _check_args(dataset, shuffle, sampler, batch_sampler, batch_size, drop_last, num_workers,
                    timeout, prefetch_factor, persistent_workers)
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor if prefetch_factor is not None or num_workers == 0 else 2
        self.pin_memory, self.pin_memory_device, self.in_order = pin_memory, pin_memory_device, in_order
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.generator = generator
        self.persistent_workers = persistent_workers
        self._is_iterable = isinstance(dataset, IterableDataset)
        if batch_sampler is not None:
            batch_size, drop_last = None, False
        if sampler is None:
            if self._is_iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size, self.drop_last = batch_size, drop_last
        self.sampler, self.batch_sampler = sampler, batch_sampler
        if collate_fn is None:
            collate_fn = default_collate if batch_sampler is not None else default_convert
        self.collate_fn = collate_fn
        self._iterator: Any = None

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self) -> Any:
        return self.batch_sampler if self._auto_collation else self.sampler

    def __len__(self) -> int:
        if self._is_iterable:
            n = len(self.dataset)  # type: ignore[arg-type]
            if self.batch_size is not None:
                n = n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)
            return n
        return len(self._index_sampler)

    def __iter__(self) -> Any:
        if self.num_workers == 0:
            return _SingleProcessIter(self)
        if not self.persistent_workers:
            return _MultiProcessIter(self)
        if self._iterator is None:
            self._iterator = _MultiProcessIter(self)
        else:
            self._iterator._reset()
        return self._iterator

    def _base_seed(self) -> int:
        from ember.ops.random import default_generator

        gen = self.generator if self.generator is not None else default_generator
        return int(gen.rng.integers(0, 2 ** 62))

    def _fetcher(self) -> Any:
        cls = IterableFetcher if self._is_iterable else MapFetcher
        return cls(self.dataset, self._auto_collation, self.collate_fn, self.drop_last)


class _SingleProcessIter:
    """Fetch and collate in the calling process."""

    def __init__(self, loader: DataLoader) -> None:
        self._loader = loader
        self._sampler_iter = iter(loader._index_sampler)
        loader._base_seed()  # consume a seed like torch does, so RNG streams match both modes
        self._fetcher = loader._fetcher()

    def __iter__(self) -> "_SingleProcessIter":
        return self

    def __next__(self) -> Any:
        indices = next(self._sampler_iter)
        if self._loader._is_iterable:
            return self._fetcher.fetch(self._loader.batch_size)
        return self._fetcher.fetch(indices)

    def __len__(self) -> int:
        return len(self._loader)


class _MultiProcessIter:
    """Workers fetch index batches; replies are re-ordered by send index."""

    def __init__(self, loader: DataLoader) -> None:
        self._loader = loader
        ctx = loader.multiprocessing_context
        if ctx is None or isinstance(ctx, str):
            ctx = multiprocessing.get_context(ctx)
        self._epoch = 0
        self._shutdown = False
        self._result_queue = ctx.Queue()
        self._done_event = ctx.Event()
        self._index_queues, self._workers = [], []
        base_seed = loader._base_seed()
        fetcher_cls = IterableFetcher if loader._is_iterable else MapFetcher
        for wid in range(loader.num_workers):
            iq = ctx.Queue()
            w = ctx.Process(target=worker_loop, daemon=True, args=(
                fetcher_cls, loader.dataset, iq, self._result_queue, self._done_event,
                loader._auto_collation, loader.collate_fn, loader.drop_last, base_seed,
                loader.worker_init_fn, wid, loader.num_workers, loader.batch_size))
            w.start()
            self._index_queues.append(iq)
            self._workers.append(w)
        self._start_epoch()

    def _start_epoch(self) -> None:
        self._sampler_iter = iter(self._loader._index_sampler)
        self._send_idx = self._rcvd_idx = 0
        self._task_worker: dict[int, int] = {}
        self._results: dict[int, Any] = {}
        self._active = [True] * len(self._workers)
        self._next_worker = itertools.cycle(range(len(self._workers)))
        self._sampler_done = False
        for _ in range(self._loader.prefetch_factor * len(self._workers)):
            self._put_task()

    def _reset(self) -> None:
        """New epoch on persistent workers: replies to the old epoch's tasks are dropped."""
        self._epoch += 1
        self._start_epoch()

    def _put_task(self) -> None:
        if self._sampler_done or not any(self._active):
            return
        try:
            indices = next(self._sampler_iter)
        except StopIteration:
            self._sampler_done = True
            return
        wid = next(self._next_worker)
        while not self._active[wid]:
            wid = next(self._next_worker)
        if self._loader._is_iterable:
            indices = None  # "your next batch": the worker's own iterator decides
        self._index_queues[wid].put((self._epoch, self._send_idx, indices))
        self._task_worker[self._send_idx] = wid
        self._send_idx += 1

    def __iter__(self) -> "_MultiProcessIter":
        return self

    def __len__(self) -> int:
        return len(self._loader)

    def __next__(self) -> Any:
        while True:
            if self._rcvd_idx >= self._send_idx:
                if not self._loader.persistent_workers:
                    self._shutdown_workers()
                raise StopIteration
            if self._rcvd_idx not in self._results:
                epoch, idx, payload = self._get_reply()
                if epoch == self._epoch:
                    self._results[idx] = payload
                continue
            payload = self._results.pop(self._rcvd_idx)
            wid = self._task_worker.pop(self._rcvd_idx)
            self._rcvd_idx += 1
            if isinstance(payload, IterationEnd):
                self._active[wid] = False
                continue
            self._put_task()
            if isinstance(payload, ExceptionWrapper):
                payload.reraise()
            return from_transport(payload)

    def _get_reply(self) -> tuple:
        """Next reply from any worker; raises if a worker died or ``timeout`` elapsed."""
        timeout = self._loader.timeout
        start = time.monotonic()
        while True:
            wait = STATUS_CHECK_INTERVAL if timeout <= 0 else \
                min(STATUS_CHECK_INTERVAL, max(timeout - (time.monotonic() - start), 0.001))
            try:
                return self._result_queue.get(timeout=wait)
            except queue.Empty:
                dead = [w for w in self._workers if not w.is_alive()]
                if dead:
                    info = ", ".join(f"pid {w.pid} exit code {w.exitcode}" for w in dead)
                    self._shutdown_workers()
                    raise RuntimeError(f"DataLoader worker ({info}) exited unexpectedly") from None
                if timeout > 0 and time.monotonic() - start >= timeout:
                    raise RuntimeError(f"DataLoader timed out after {timeout} seconds") from None

    def _shutdown_workers(self) -> None:
        if self._shutdown:
            return
        self._shutdown = True
        self._done_event.set()
        for q in self._index_queues:
            q.put(None)
        for w in self._workers:
            w.join(timeout=5 * STATUS_CHECK_INTERVAL)
            if w.is_alive():
                w.terminate()
                w.join()
        for q in [*self._index_queues, self._result_queue]:
            q.cancel_join_thread()
            q.close()

    def __del__(self) -> None:
        try:
            self._shutdown_workers()
        except Exception:  # interpreter shutdown: queues may already be gone
            pass
