"""Peak working memory of one workload in one library, measured in a fresh child process.

Both libraries share the timing process, so its peak RSS cannot be split between them; here each
library runs alone: RSS after importing it is the baseline, and the reported number is the peak
RSS during building the workload and ``steps`` steps minus that baseline (MB).
"""
from __future__ import annotations

import subprocess
import sys

_CHILD = r"""
import sys
lib = __import__(sys.argv[2])
from ember.utils.benchmark.workloads import WORKLOADS

def status_mb(key):
    # VmHWM is the peak RSS of this address space (reset by exec, unlike ru_maxrss, which a
    # child can inherit from the large parent it was forked from)
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024

base = status_mb("VmRSS")
step, _ = next(w for w in WORKLOADS if w.name == sys.argv[1]).build(lib)
for _ in range(int(sys.argv[3])):
    step()
print(status_mb("VmHWM") - base)
"""


def peak_memory_mb(workload: str, library: str, steps: int = 3, timeout: float = 600) -> float:
    """Peak MB above the post-import baseline for ``workload`` run in ``library`` ("ember"/"torch")."""
    if library not in ("ember", "torch"):
        raise ValueError(f"library must be 'ember' or 'torch', got {library!r}")
    out = subprocess.run([sys.executable, "-c", _CHILD, workload, library, str(steps)],
                         capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"memory probe of {workload} in {library} failed:\n{out.stderr[-2000:]}")
    return float(out.stdout.strip().splitlines()[-1])
