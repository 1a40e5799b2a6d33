# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,gis,build]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/corridors demo

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_route.py
	$(BIN)/python benchmarks/bench_flow.py
	$(BIN)/python benchmarks/bench_assign.py
	$(BIN)/python benchmarks/bench_startup.py
	$(BIN)/python benchmarks/bench_criticality.py
	$(BIN)/python benchmarks/bench_uncertainty.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
