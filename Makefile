# Two commands for users: `make run` and `make test`. Everything else is for developers.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL database the suite runs against when reachable (CI requires it).
PG_URL := $(or $(TEST_DATABASE_URL),$(filter postgres%,$(DATABASE_URL)))

.PHONY: run test lint typecheck bench install dev browser system clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

## make run: install, migrate, load the demo data once, serve on http://127.0.0.1:8000
run: install system
	$(BIN)/wenming migrate --noinput -v 0
	$(BIN)/wenming load_demo
	@echo "文明创建管理平台： http://$(HOST):$(PORT)/"
	@# Beside the web server: one background worker (thumbnails, binder exports, notifications)
	@# and the scheduler that enqueues the notification scan and the daily digest.
	@$(BIN)/wenming db_worker --no-reload --interval 1 -v 0 & WORKER=$$!; \
	  $(BIN)/wenming scheduler -v 0 & SCHEDULER=$$!; \
	  trap 'kill $$WORKER $$SCHEDULER 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/wenming runserver $(HOST):$(PORT)

## make test: lint, then the whole suite on SQLite, then on PostgreSQL when one is configured
test: dev browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy wenming
	env -u DATABASE_URL WENMING_DATA_DIR=var/test-sqlite $(BIN)/pytest
	@if [ -n "$(PG_URL)" ]; then \
	  $(BIN)/python scripts/db_ready.py "$(PG_URL)" && \
	  DATABASE_URL="$(PG_URL)" WENMING_DATA_DIR=var/test-postgres $(BIN)/pytest; \
	elif [ "$$WENMING_REQUIRE_POSTGRES" = "1" ]; then \
	  echo "PostgreSQL is required but neither DATABASE_URL nor TEST_DATABASE_URL points at one"; exit 1; \
	else echo "PostgreSQL not configured (set DATABASE_URL or TEST_DATABASE_URL): SQLite run only."; fi

browser:
	@bash scripts/ensure_system.sh --browser

system:
	@bash scripts/ensure_system.sh

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy wenming

bench: dev
	@failed=""; for script in bench/bench_*.py; do echo "== $$script"; \
	  $(BIN)/python $$script || failed="$$failed $$script"; done; \
	  if [ -n "$$failed" ]; then echo "Targets missed in:$$failed"; exit 1; fi
	@if [ -n "$(PG_URL)" ]; then for script in bench/bench_tasks.py bench/bench_dashboards.py; do \
	  echo "== $$script on PostgreSQL"; \
	  BENCH_DATABASE_URL="$$(echo $(PG_URL) | sed 's|/[^/]*$$|/wenming_bench|')" $(BIN)/python $$script || exit 1; \
	done; fi

clean:
	rm -rf var/test-sqlite var/test-postgres artifacts
