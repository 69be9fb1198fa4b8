# Two entry points: `make demo` (set up, crawl the demo web into archive.db) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean

demo: $(STAMP)  ## set everything up, then crawl the bundled demo web into archive.db
	$(BIN)/newsarchive demo --db archive.db

test: $(STAMP)  ## set everything up, then run the whole test suite
	$(BIN)/pytest

lint: $(STAMP)  ## style and types
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)  ## benchmarks; figures go into docs/BENCHMARKS.md
	$(BIN)/python bench/crawl.py

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
