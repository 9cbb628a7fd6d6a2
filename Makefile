# Hänsyn — `make run` serves the demo on http://127.0.0.1:5000, `make test` runs every check.
# GNU make. Needs only Python 3.11 and the package registries; everything goes into .venv.

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
# pip runs again only when pyproject.toml is newer than this stamp.
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
# The suite runs on two processes only when this machine has at least two cores.
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ "$$n" -ge 2 ] && echo 2 || echo 0)
PYTEST_ARGS ?=
# The browser tests (tests/browser) drive this Chromium; without it they are skipped.
CHROMIUM ?= $(or $(HANSYN_CHROMIUM),/usr/bin/chromium)
BROWSER_NOTE = if [ ! -x "$(CHROMIUM)" ]; then echo "make: browser tests SKIPPED: no Chromium at $(CHROMIUM) (apt-get install chromium)"; fi

# `make run` is a development server on plain http: cookies without Secure, data in ./instance.
run: export HANSYN_ENV ?= development
run: export HANSYN_INSTANCE_PATH ?= $(CURDIR)/instance
run: export HANSYN_BASE_URL ?= http://$(HOST):$(PORT)

.DEFAULT_GOAL := help
.PHONY: help install run test lint typecheck pytest messages translations clean distclean

help:
	@echo "make run           install, migrate, load the demo and serve on http://$(HOST):$(PORT)"
	@echo "make test          ruff, mypy and the whole pytest suite (SQLite, or HANSYN_DATABASE_URL)"
	@echo "make pytest        only the pytest suite; PYTEST_ARGS='-k …' narrows it"
	@echo "make messages      extract texts and merge tools/translations/*/ into the catalogues"
	@echo "make translations  compile the catalogues (.mo files are not in git)"
	@echo "make clean         remove caches, build output and compiled catalogues"
	@echo "make distclean     clean, and remove $(VENV) too (never ./instance)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)

translations: $(STAMP)
	$(BIN)/python tools/i18n.py compile

messages: $(STAMP)
	$(BIN)/python tools/i18n.py update

run: translations
	$(BIN)/hansyn db upgrade
	$(BIN)/hansyn demo
	@echo "Serving on http://$(HOST):$(PORT) (Ctrl-C stops)"
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers $(WORKERS) --worker-class gthread --threads 1 \
		--preload hansyn.platform.wsgi:app

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

# --dist loadgroup keeps the tests of one xdist_group (the browser tests) on one process.
pytest: translations
	@$(BROWSER_NOTE)
	$(BIN)/pytest -q -p no:randomly $(if $(filter-out 0,$(PYTEST_WORKERS)),-p xdist -n $(PYTEST_WORKERS) --dist loadgroup) $(PYTEST_ARGS)

# Every check runs even when an earlier one fails, so one report shows everything; the exit
# status is non-zero if any of them failed.
test: translations
	@failed=""; \
	$(MAKE) --no-print-directory lint || failed="$$failed ruff"; \
	$(MAKE) --no-print-directory typecheck || failed="$$failed mypy"; \
	$(MAKE) --no-print-directory pytest || failed="$$failed pytest"; \
	$(BROWSER_NOTE); \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed"; exit 1; fi; \
	echo "make test: ruff, mypy and pytest passed"

clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist *.egg-info
	find hansyn tests tools benchmarks -name __pycache__ -type d -prune -exec rm -rf {} +
	find hansyn/translations -name '*.mo' -delete

distclean: clean
	rm -rf $(VENV)
