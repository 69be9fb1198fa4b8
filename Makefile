# Two entry points: `make demo` (set up, crawl the demo web into archive.db) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEBIAN := $(shell grep -v '^\#' .ci/debian-packages.txt 2>/dev/null)
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint bench clean system

demo: $(STAMP)  ## set everything up, then crawl the bundled demo web into archive.db
	$(BIN)/newsarchive demo --db archive.db

test: $(STAMP) system  ## set everything up, then run the whole test suite
	$(BIN)/pytest

system:  ## the Debian packages some tests start as real processes (listed in .ci/debian-packages.txt)
	@missing=""; for p in $(DEBIAN); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

lint: $(STAMP)  ## style and types
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)  ## benchmarks; figures go into docs/BENCHMARKS.md
	$(BIN)/python bench/crawl.py
	$(BIN)/python bench/dedupe.py

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
