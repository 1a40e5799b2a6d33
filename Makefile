# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The web page's npm packages (web/package.json), copied into the package's static folder.
NODE_STAMP := web/node_modules/.installed
VENDOR := src/corridors/web/static/vendor
VENDOR_STAMP := $(VENDOR)/.built
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run demo web browser test lint typecheck pytest bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,gis,build,web]'
	touch $(STAMP)

$(NODE_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

$(VENDOR_STAMP): $(NODE_STAMP) web/build.mjs
	node web/build.mjs
	touch $(VENDOR_STAMP)

# The page's assets (Leaflet, TopoJSON client, Natural Earth outlines), installed from npm.
web: $(VENDOR_STAMP)

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium)

# The web map and REST API on http://$(HOST):$(PORT) (Ctrl-C stops).
run: $(STAMP) web
	$(BIN)/corridors serve --host $(HOST) --port $(PORT)

# The terminal demo: corridor options China -> Europe side by side.
demo: $(STAMP)
	$(BIN)/corridors demo

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) web browser
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(STAMP) web
	$(BIN)/python benchmarks/bench_route.py
	$(BIN)/python benchmarks/bench_flow.py
	$(BIN)/python benchmarks/bench_assign.py
	$(BIN)/python benchmarks/load_api.py
	$(BIN)/python benchmarks/bench_startup.py
	$(BIN)/python benchmarks/bench_criticality.py
	$(BIN)/python benchmarks/bench_uncertainty.py
	$(BIN)/python benchmarks/bench_scale.py --size 1000 --size 10000

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache web/node_modules $(VENDOR)
