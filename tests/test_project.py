"""Project rules checked automatically (STYLE §5): one backend choke point, file size budget,
unique test module names, typed core, no pickle."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(REPO, "src", "ember")


def _py_files(root):
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith(".py"):
                yield os.path.join(d, f)


def test_cupy_imported_only_in_backend():
    offenders = [p for p in _py_files(SRC) if not p.endswith("_backend.py")
                 and re.search(r"^\s*(import cupy|from cupy)", open(p).read(), re.M)]
    assert offenders == []


def test_no_source_file_over_600_lines():
    big = [(os.path.relpath(p, REPO), n) for p in _py_files(SRC)
           if (n := sum(1 for _ in open(p))) > 600]
    assert big == []


def test_no_pickle_in_package():
    bad = [p for p in _py_files(SRC)
           if re.search(r"allow_pickle\s*=\s*True|pickle\.loads?\(|import pickle", open(p).read())]
    assert bad == []


def test_test_module_basenames_are_unique():
    # tests/ has no __init__.py files: two test_x.py in different folders would collide
    seen: dict = {}
    for p in _py_files(os.path.join(REPO, "tests")):
        name = os.path.basename(p)
        if name.startswith("test_"):
            seen.setdefault(name, []).append(p)
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_mypy_clean_on_autograd_and_backend():
    pytest.importorskip("mypy")
    out = subprocess.run([sys.executable, "-m", "mypy", "--ignore-missing-imports",
                          "--follow-imports=silent", os.path.join(SRC, "autograd"),
                          os.path.join(SRC, "_backend.py")], capture_output=True, text=True,
                         timeout=600, cwd=REPO)
    assert out.returncode == 0, out.stdout[-3000:]


def test_docstring_examples_run():
    """STYLE S7: the Examples sections of docstrings are doctests."""
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "-o", "addopts=", "--doctest-modules", SRC], capture_output=True,
                         text=True, timeout=600, cwd=REPO)
    assert out.returncode == 0, out.stdout[-3000:]
    assert " passed" in out.stdout
