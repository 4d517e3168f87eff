# Topolab. `make` lists the targets; `make run` and `make test` are the two that matter.
# Everything installs into .venv and frontend/node_modules from pinned files; nothing else
# needs to be on the machine beyond Python 3.11+ and Node 20+.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
NPM    ?= npm
FRONT_SRC := $(shell find frontend/src -type f 2>/dev/null) frontend/index.html frontend/vite.config.ts frontend/tsconfig.json
PYTEST := $(PY) scripts/with_redis.py $(PY) -m pytest

.DEFAULT_GOAL := help
.PHONY: drills help install build migrate run test test-fast lint fmt bench bench-stack pg-test docs clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.stamp: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

frontend/node_modules/.stamp: frontend/package.json frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

static/app/studio.js: frontend/node_modules/.stamp $(FRONT_SRC)
	cd frontend && $(NPM) run --silent build

install: $(VENV)/.stamp frontend/node_modules/.stamp ## install Python and Node dependencies (pinned)

build: install static/app/studio.js ## build the front end into static/app

migrate: install ## create or update the database (SQLite under var/ unless DATABASE_URL)
	$(PY) manage.py migrate --noinput

run: build migrate ## start Redis (embedded unless REDIS_URL), a Celery worker and Daphne on HOST:PORT
	$(PY) scripts/run.py

lint: install ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install ## ruff fix and format
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: build lint ## the whole suite: lint, front-end units, engine, Django, integration, browser, PostgreSQL pass
	cd frontend && $(NPM) test --silent
	$(PYTEST)
	$(MAKE) --no-print-directory pg-test

drills: build ## only the fault drills (kill worker, pool child, Redis, Daphne) on private stacks; make test runs them too
	$(PYTEST) tests/drills

test-fast: install ## engine and Django unit tests only (no worker, no browser)
	$(PYTEST) -m "not integration and not browser"

pg-test: install ## the database-facing tests again on PostgreSQL (skipped when none is reachable)
	@url=$$($(PY) scripts/pg_url.py) || { \
	  if [ -n "$$TOPOLAB_REQUIRE_PG" ]; then echo "PostgreSQL required but not reachable" >&2; exit 1; fi; \
	  echo "pg-test: no PostgreSQL reachable (set TEST_POSTGRES_URL); skipped"; exit 0; }; \
	echo "pg-test: running against $$url"; \
	DATABASE_URL="$$url" $(PYTEST) --ignore=tests/engine --ignore=tests/browser --ignore=tests/drills -q

bench: install ## print the engine benchmarks: ours vs SimPy (CPU time), P2P at scale
	$(PY) bench/bench_engine.py --cpu
	$(PY) bench/bench_p2p.py

bench-stack: build ## benchmarks through real processes: classroom fan-out, sweep scaling, run viewers
	$(PY) bench/bench_classroom.py
	$(PY) bench/bench_sweep.py
	$(PY) bench/bench_viewers.py

docs: install ## regenerate the param tables of docs/scenario-format.md from the JSON Schema
	$(PY) scripts/gen_docs.py

clean: ## remove build output, caches and local data (keeps .venv and node_modules)
	rm -rf static/app staticfiles var .pytest_cache .ruff_cache tests/artifacts
