# lagebild: the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DB ?= lagebild.duckdb

.PHONY: install run test bench browser clean lint

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,dask]'
	touch $(STAMP)

install: $(STAMP)

## make run: set up, code the bundled sample corpus into $(DB) and show what it holds
run: install
	$(BIN)/lagebild ingest samples --db $(DB)
	$(BIN)/lagebild summary --db $(DB)

## make test: everything CI runs (installs Debian's chromium for the browser tests when it can)
test: install browser
	$(BIN)/python -m pytest

browser:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || { \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "could not install chromium: the browser tests will be skipped"; \
	  else echo "chromium is not installed (sudo apt-get install chromium): the browser tests will be skipped"; fi; }

## make bench: throughput and memory of the coding pipeline (not part of make test)
bench: install
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache $(DB) $(DB).wal
