# Two entry points: `make demo` (set up, crawl the demo web into archive.db) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEBIAN := $(shell grep -v '^\#' .ci/debian-packages.txt 2>/dev/null)
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# magic-html needs Python 3.12: the first one that runs, on PATH or under pyenv
PY312  := $(shell for p in python3.12 $$(pyenv root 2>/dev/null)/versions/3.12*/bin/python3.12; do \
            $$p -c '' 2>/dev/null && echo $$p && break; done)

.PHONY: demo test lint bench bench-anchors clean system

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
	$(BIN)/python bench/extract.py --anchors
	$(BIN)/python bench/report.py
	$(BIN)/python bench/archive.py
	$(BIN)/python bench/dedupe.py

bench-anchors:  ## the open extractors bench/extract.py compares against, each in its own interpreter
	test -x bench/.anchors/py311/bin/python || $(PYTHON) -m venv bench/.anchors/py311
	bench/.anchors/py311/bin/pip install --quiet 'gne==0.4.3' 'trafilatura==2.3.1' lxml_html_clean
	if [ -n "$(PY312)" ]; then \
	  test -x bench/.anchors/py312/bin/python || $(PY312) -m venv bench/.anchors/py312; \
	  bench/.anchors/py312/bin/pip install --quiet 'magic-html==0.1.8'; \
	else echo "no working python3.12: magic-html is skipped"; fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
