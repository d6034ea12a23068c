# Two commands on a fresh machine: `make demo` and `make test`. Each bootstraps .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEBS := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
  fonts-noto-color-emoji
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
TORCH := torch==2.13.0

.PHONY: demo test lint typecheck pytest system-deps venv clean bench docs

# pg_dump and pg_restore (backup.format: pg_dump) come with any postgresql-client-NN.
system-deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v pg_dump >/dev/null || missing="$$missing postgresql-client"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip wheel

$(VENV)/.core: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# The transformers extra, with the CPU build of torch the machines carry (an unpinned torch
# would pull gigabytes of CUDA packages).
$(VENV)/.full: $(VENV)/.core
	$(BIN)/pip install -q $(TORCH)
	$(BIN)/pip install -q -e '.[dev,transformers]'
	touch $@

venv: $(VENV)/.core

demo: system-deps $(VENV)/.core
	$(BIN)/veille demo demo

lint: $(VENV)/.core
	$(BIN)/ruff check .

typecheck: $(VENV)/.core
	$(BIN)/mypy config storage nlp crawlers reports web pipeline veille_demo
	@# bench/ scripts one at a time: they import each other both as scripts and as bench.*
	@for f in bench/*.py; do $(BIN)/mypy $$f > /dev/null || { $(BIN)/mypy $$f; exit 1; }; done

# The suite in three pytest processes on the two cores (the tests wait on PostgreSQL, servers
# and child processes a third of the time): the files of the longest tests (workers,
# both-backend demo, model training, corpus rounds, the labellers' benchmarks, hostile
# imports), those of alerts, reports, events, the web workspace and inbox imports, and the rest,
# so that the three take about as long (2026-12-07 in a fresh clone: 9.7, 8.8 and 10.0 min
# before inbox imports moved).
# BLAS on one thread per process (OpenBLAS's threads spin while they wait: three processes of
# two threads each on two cores spent a sixth of the suite's CPU time on it). Tests isolate
# what they share (a PostgreSQL schema, Redis keys and a queue per test, free ports, their own
# tmp dirs); the demo tests share one demo run (tests/demo_support.py).
SIDE_TESTS := tests/test_workers_analyze.py tests/test_workers_crawl.py \
	tests/test_demo_backends.py tests/test_demo.py tests/test_nlp_learned.py \
	tests/test_nlp_train_review.py tests/test_corpus_round2.py tests/test_corpus_round6.py \
	tests/test_bench_topic_parts.py tests/test_nlp_labelers.py tests/test_import_hostile.py
SIDE2_TESTS := $(sort $(wildcard tests/test_alerts_*.py tests/test_report*.py tests/test_web*.py)) \
	tests/test_handoff.py tests/test_events.py tests/test_calendars.py tests/test_import_inbox.py
ONE_THREAD := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

pytest: system-deps $(VENV)/.full
	export $(ONE_THREAD); \
	$(BIN)/pytest -q -p no:cacheprovider $(SIDE_TESTS) > $(VENV)/pytest-side.log 2>&1 & side=$$!; \
	$(BIN)/pytest -q -p no:cacheprovider $(SIDE2_TESTS) > $(VENV)/pytest-side2.log 2>&1 & side2=$$!; \
	$(BIN)/pytest -q $(addprefix --ignore=,$(SIDE_TESTS) $(SIDE2_TESTS)); rest=$$?; \
	wait $$side; status=$$?; wait $$side2; status2=$$?; \
	echo "== $(SIDE_TESTS)"; cat $(VENV)/pytest-side.log; \
	echo "== $(SIDE2_TESTS)"; cat $(VENV)/pytest-side2.log; \
	test $$rest -eq 0 && test $$status -eq 0 && test $$status2 -eq 0

# Lint and types beside the tests once the environment is there (mypy takes a core for two
# minutes, which the three pytest processes leave idle a third of the time).
test: system-deps $(VENV)/.full
	$(MAKE) --no-print-directory -j3 lint typecheck pytest

# The manual (docs/) as a site in site/; MkDocs comes with the dev extra. --strict: a broken
# link or a page missing from the nav fails the build (tests/test_docs.py builds it too).
docs: $(VENV)/.core
	$(BIN)/mkdocs build --strict --site-dir site

# Every benchmark with its default (full) size; each prints its figures. Long: run one with
# `.venv/bin/python bench/NAME.py --help` to see its options.
BENCHES := storage queries import_twarc2 crawl nlp authors report detector reliability web
bench: system-deps $(VENV)/.core
	@for b in $(BENCHES); do echo "== bench/$$b.py"; nice $(BIN)/python bench/$$b.py || exit 1; done

clean:
	rm -rf $(VENV) var demo site .mypy_cache .ruff_cache .pytest_cache
