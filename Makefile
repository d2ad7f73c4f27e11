PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-quick bench venv clean

$(BIN)/activate: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $(BIN)/activate

venv: $(BIN)/activate

demo: venv
	$(BIN)/python examples/mnist_lenet.py

test: venv
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 tests

test-quick: venv
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 -m "not slow" tests

bench: venv
	$(BIN)/ember bench

clean:
	rm -rf $(VENV) build *.egg-info
