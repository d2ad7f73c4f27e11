"""The ``ember`` command: ``ember train``, ``ember info``, ``ember prove``, ``ember bench``.

Other packages add subcommands with :func:`register_subcommand` (``ember bench`` is such a hook:
it forwards its arguments to ``ember.utils.benchmark.runner.main``).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from typing import Any, Callable

__all__ = ["main", "register_subcommand"]

_EXTRA: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[Any], int]]] = {}


def register_subcommand(name: str, help: str, configure: Callable[[argparse.ArgumentParser], None],
                        run: Callable[[Any], int]) -> None:
    """Add ``ember <name>``: ``configure(parser)`` adds its arguments, ``run(args)`` returns the
    exit status."""
    _EXTRA[name] = (help, configure, run)


def _shared_datasets() -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "datasets"))


def _data_root(arg: str | None) -> str:
    """--root, else $EMBER_DATA / ~/.cache/ember when it holds data, else ../shared/datasets."""
    from ember.vision.datasets.utils import default_root

    if arg:
        return arg
    root = default_root()
    return root if os.path.isdir(root) and os.listdir(root) else _shared_datasets()


# ---------------------------------------------------------------------------------------- info
def _cmd_info(args: Any) -> int:
    import platform

    import numpy as np

    import ember
    from ember.vision.datasets.utils import default_root

    print(f"ember {ember.__version__}  (python {platform.python_version()}, {platform.machine()})")
    print(f"numpy {np.__version__}; CUDA (CuPy) available: {ember.cuda.is_available()}")
    try:
        from threadpoolctl import threadpool_info

        for pool in threadpool_info():
            print(f"BLAS: {pool.get('internal_api')} {pool.get('version')} "
                  f"threads={pool.get('num_threads')} ({pool.get('filepath')})")
    except ImportError:
        print("BLAS: install threadpoolctl to see the BLAS library and its threads")
    print(f"CPU cores: {os.cpu_count()}")
    for root in dict.fromkeys([default_root(), _shared_datasets()]):
        found = [name for name, rel in (("MNIST", "mnist"), ("MNIST", "MNIST"),
                                        ("CIFAR10", "cifar-10-batches-bin"),
                                        ("CIFAR100", "cifar-100-binary"),
                                        ("tinyshakespeare", "tinyshakespeare"))
                 if os.path.isdir(os.path.join(root, rel))]
        print(f"datasets in {root}: {', '.join(dict.fromkeys(found)) or 'none'}")
    return 0


# ---------------------------------------------------------------------------------------- train
def _build_model(name: str, num_classes: int) -> Any:
    from ember.vision import models

    table = {"lenet5": models.LeNet5}
    if name.lower() not in table:
        raise SystemExit(f"ember train: unknown model {name!r}; available: {sorted(table)}")
    return table[name.lower()](num_classes=num_classes)


def _tensor_dataset(name: str, root: str, train: bool, limit: int | None) -> Any:
    from ember.utils.data import TensorDataset
    from ember.vision import datasets

    cls = {"mnist": datasets.MNIST, "fashion-mnist": datasets.FashionMNIST}[name]
    ds = cls(root, train=train)
    n = min(limit, len(ds)) if limit else len(ds)
    x = ds.data[:n].float().unsqueeze(1) / 255.0
    x = (x - float(x.mean())) / float(x.std())
    return TensorDataset(x, ds.targets[:n])


def _cmd_train(args: Any) -> int:
    import ember
    from ember.utils.data import DataLoader
    from ember.utils.trainer import Trainer

    ember.manual_seed(args.seed)
    root = _data_root(args.root)
    try:
        train = _tensor_dataset(args.dataset, root, True, args.limit)
        test = _tensor_dataset(args.dataset, root, False, None)
    except RuntimeError as e:
        print(f"ember train: {e}", file=sys.stderr)
        return 2
    model = _build_model(args.model, 10)
    opt = {"adam": ember.optim.Adam, "sgd": ember.optim.SGD}[args.optimizer](
        model.parameters(), lr=args.lr)
    sched = ember.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=args.lr_decay)
    gen = ember.Generator().manual_seed(args.seed)
    loader = DataLoader(train, batch_size=args.batch_size, shuffle=True, generator=gen,
                        num_workers=args.num_workers)
    trainer = Trainer(model, opt, scheduler=sched, checkpoint_dir=args.out, log_dir=args.out,
                      checkpoint_every=args.checkpoint_every, clip_grad_norm=args.clip_grad_norm,
                      early_stopping_patience=args.patience)
    hist = trainer.fit(loader, args.epochs, val_loader=DataLoader(test, batch_size=1000),
                       resume="auto" if args.resume else None)
    for e, (tl, va) in enumerate(zip(hist["train_loss"], hist["val_acc"]), 1):
        print(f"epoch {e}: train loss {tl:.4f}  test accuracy {100 * va:.2f}%")
    print(f"checkpoint and curves in {args.out}")
    return 0


def _configure_train(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", help="model name (lenet5)")
    p.add_argument("--dataset", default="mnist", choices=["mnist", "fashion-mnist"])
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--lr-decay", type=float, default=0.5, help="StepLR gamma per epoch")
    p.add_argument("--optimizer", default="adam", choices=["adam", "sgd"])
    p.add_argument("--limit", type=int, default=None, help="first N training samples only")
    p.add_argument("--num-workers", type=int, default=0)
    p.add_argument("--checkpoint-every", type=int, default=None, help="steps between checkpoints")
    p.add_argument("--clip-grad-norm", type=float, default=None)
    p.add_argument("--patience", type=int, default=None, help="early-stopping patience (epochs)")
    p.add_argument("--resume", action="store_true", help="continue from OUT/last.safetensors")
    p.add_argument("--root", default=None, help="dataset folder (default $EMBER_DATA or "
                   "../shared/datasets)")
    p.add_argument("--out", default=os.path.join("runs", "train"))
    p.add_argument("--seed", type=int, default=0)


# ---------------------------------------------------------------------------------------- prove
def _select_claims(ids: list[str], area: str | None) -> list:
    from ember.experiments import load_all

    registry = load_all()
    claims = sorted(registry.values(), key=lambda c: c.id)
    if area:
        claims = [c for c in claims if c.fn.__module__.rsplit(".", 1)[-1] == area
                  or c.topics == area or c.topics.startswith(area + ".")]
    if ids:
        wanted = {i.upper() for i in ids}
        unknown = wanted - set(registry)
        if unknown:
            raise SystemExit(f"ember prove: unknown claim ids {sorted(unknown)}")
        claims = [c for c in claims if c.id in wanted]
    return claims


def _cmd_prove(args: Any) -> int:
    import time

    from tqdm import tqdm

    claims = _select_claims(args.ids, args.area)
    if not claims:
        print("ember prove: no claim matches", file=sys.stderr)
        return 2
    fig_dir = os.path.join(args.out, "figures")
    os.makedirs(fig_dir, exist_ok=True)
    lines = ["# Claims report", "", f"Mode: {'quick' if args.quick else 'full'}; "
             f"{len(claims)} claims.", "", "| claim | verdict | summary |", "|---|---|---|"]
    details, failures = [], 0
    bar = tqdm(claims, desc="claims")
    for c in bar:
        bar.set_postfix(claim=c.id)
        start = time.perf_counter()
        try:
            v = c.run(quick=args.quick)
            status, summary, evidence = v.status, v.summary, v.evidence
            if v.figure is not None:
                v.figure.savefig(os.path.join(fig_dir, f"{c.id}.png"), dpi=80)
        except Exception as e:  # an experiment crash is reported, not fatal for the others
            status, summary, evidence, failures = "error", f"{type(e).__name__}: {e}", {}, failures + 1
        secs = time.perf_counter() - start
        lines.append(f"| {c.id} | {status} | {summary.replace('|', '/')} |")
        ev = "\n".join(f"- `{k}`: {val}" for k, val in evidence.items())
        fig = f"\n![{c.id}](figures/{c.id}.png)\n" if os.path.isfile(os.path.join(fig_dir, f"{c.id}.png")) else ""
        details.append(f"## {c.id} — {c.statement}\n\nVerdict: **{status}** ({secs:.1f} s)\n\n{ev}\n{fig}")
    text = "\n".join(lines) + "\n\n" + "\n".join(details)
    path = os.path.join(args.out, "claims.md")
    fd, tmp = tempfile.mkstemp(dir=args.out, prefix=".tmp-")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)
    print(f"wrote {path} ({len(claims)} claims, {failures} errors)")
    return 1 if failures else 0


def _configure_prove(p: argparse.ArgumentParser) -> None:
    p.add_argument("ids", nargs="*", help="claim ids (e.g. C004 C092); default all")
    p.add_argument("--quick", action="store_true", help="small, seconds-long versions")
    p.add_argument("--area", default=None, help="experiment module (e.g. data) or TOPICS section")
    p.add_argument("--out", default=os.path.join("runs", "prove"))


# ---------------------------------------------------------------------------------------- bench
def _configure_bench(p: argparse.ArgumentParser) -> None:
    p.add_argument("bench_args", nargs=argparse.REMAINDER, help="passed to the benchmark runner")


def _cmd_bench(args: Any) -> int:
    try:
        from ember.utils.benchmark.runner import main as bench_main
    except ImportError:
        print("ember bench: the benchmark package is not installed", file=sys.stderr)
        return 2
    return int(bench_main(args.bench_args) or 0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ember", description="ember: deep learning on NumPy "
                                     "with PyTorch's API")
    sub = parser.add_subparsers(dest="command", required=True)
    builtin = {"train": ("train a model on a dataset", _configure_train, _cmd_train),
               "info": ("version, backend, BLAS, threads, datasets found", lambda p: None, _cmd_info),
               "prove": ("run the notes' claims and write a Markdown report", _configure_prove, _cmd_prove),
               "bench": ("speed and memory benchmarks vs PyTorch", _configure_bench, _cmd_bench)}
    for name, (help_, configure, run) in {**builtin, **_EXTRA}.items():
        p = sub.add_parser(name, help=help_, description=help_)
        configure(p)
        p.set_defaults(_run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["bench"] and argv[1:2] != ["-h"]:
        # argparse.REMAINDER drops a leading "--option"; hand the rest to the runner untouched
        return _cmd_bench(argparse.Namespace(bench_args=argv[1:]))
    args = build_parser().parse_args(argv)
    return int(args._run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
