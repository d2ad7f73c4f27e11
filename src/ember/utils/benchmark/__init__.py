"""ember.utils.benchmark: time the same workload in ember and PyTorch side by side.

``ember bench`` (or ``python -m ember.utils.benchmark``) runs every workload of
``workloads.WORKLOADS`` in both libraries in one process, interleaving repeats so machine drift
hits both alike, and reports the ember/torch time ratio. PyTorch is needed only here (it is the
oracle, installed with the ``test`` extra).
"""
from .runner import BenchResult, machine_info, main, run_benchmarks  # noqa: F401
from .workloads import WORKLOADS, Workload  # noqa: F401
