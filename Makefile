# fedshop: `make dev` runs the system on localhost, `make test` tests all of it.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV_VERSION := 0.13.8
UV := python3 -m uv
PYTEST_ARGS ?=

.PHONY: help bench load uv install debian-packages docker-engine readme-images infrastructure dev schemas compose check-schemas lint test test-unit test-python test-frontend test-compose

help:
	@echo "make dev      run every service, the router and the SPA on localhost (Ctrl-C stops all)"
	@echo "make test     install what is missing and run the whole test suite"
	@echo "make test-unit  the fast tier: no services, seconds"
	@echo "make test-compose  bring docker-compose.yml up on local stand-in images and test it"
	@echo "make load     a bounded shopping mix with locust against LOAD_URL (default the local router)"
	@echo "make bench    measure the speed ratios (docs/performance.md); BENCH_QUICK=1 for a smoke run"
	@echo "make compose  re-export the subgraph schemas, compose router/supergraph.graphql, regenerate the SPA's types"

# Installs only what is missing: uv, the Python workspace, the Node packages of router/ and frontend/.
install: uv .venv/.synced router/node_modules/.package-lock.json frontend/node_modules/.package-lock.json

uv:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==$(UV_VERSION)"

.venv/.synced: uv.lock pyproject.toml */pyproject.toml */*/pyproject.toml
	$(UV) sync --frozen
	@touch $@

%/node_modules/.package-lock.json: %/package-lock.json
	cd $* && npm ci --no-audit --no-fund

infrastructure:
	@scripts/ensure-infrastructure.sh

# Debian's chromium (the browser test) and docker-compose (validating docker-compose.yml).
debian-packages:
	@scripts/ensure-debian-packages.sh

# Debian's Docker engine and docker-compose, a running dockerd, and the stand-ins for the base
# images that no registry here serves (docker/standins/README.md); each step only when missing.
docker-engine:
	@scripts/ensure-docker.sh

dev: install infrastructure
	.venv/bin/honcho start -f Procfile

# Each subgraph's schema.graphql is exported from its strawberry schema; the router's
# supergraph.graphql is composed from them with Apollo's composition library.
SUBGRAPH_SCHEMAS := users:fedshop_users purchases:fedshop_purchases inventory:fedshop_inventory

schemas: install
	@for pair in $(SUBGRAPH_SCHEMAS); do \
	  .venv/bin/strawberry export-schema $${pair#*:}.schema:schema \
	    --output subgraphs/$${pair%%:*}/schema.graphql; \
	done

compose: schemas
	cd router && npm run --silent compose
	cd frontend && npm run --silent codegen
	cd router && npm run --silent trusted-documents

check-schemas: install
	@for pair in $(SUBGRAPH_SCHEMAS); do \
	  .venv/bin/strawberry export-schema $${pair#*:}.schema:schema \
	    | diff -q - subgraphs/$${pair%%:*}/schema.graphql >/dev/null \
	    || { echo "subgraphs/$${pair%%:*}/schema.graphql is stale: run 'make compose'"; exit 1; }; \
	done
	@echo "subgraph schemas are current"
	cd router && npm run --silent compose:check
	cd frontend && npm run --silent codegen:check
	cd router && npm run --silent trusted-documents:check

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

test-frontend: install
	cd frontend && npm run --silent typecheck && npm test --silent

# The fast tier: retry policy, ids, pricing, router trust, errors, supervision; no services.
UNIT_TESTS := $(wildcard libs/*/tests/unit subgraphs/*/tests/unit email-worker/tests/unit payment-worker/tests/unit)

test-unit: install
	.venv/bin/pytest -q $(UNIT_TESTS)

# tests/compose (docker-compose.yml up, on the stand-ins) runs here too, in the same summary.
test-python: install infrastructure debian-packages docker-engine
	.venv/bin/pytest $(PYTEST_ARGS)

test-compose: install debian-packages docker-engine
	.venv/bin/pytest tests/compose tests/test_compose.py $(PYTEST_ARGS)

# A bounded, realistic load (bench/locustfile.py) against any deployment's router; the defaults
# are small: 5 users, one operation a second each, one minute. Locust's UI: LOAD_HEADLESS=.
LOAD_URL ?= http://127.0.0.1:4000
LOAD_USERS ?= 5
LOAD_SPAWN_RATE ?= 1
LOAD_DURATION ?= 60s
LOAD_HEADLESS ?= --headless
load: install
	.venv/bin/locust -f bench/locustfile.py $(LOAD_HEADLESS) --host $(LOAD_URL) \
	  --users $(LOAD_USERS) --spawn-rate $(LOAD_SPAWN_RATE) --run-time $(LOAD_DURATION) \
	  --stop-timeout 10 --only-summary

# Speed as ratios to baselines measured in the same run; writes bench/results/<date>.json.
bench: install infrastructure bench/node_modules/.package-lock.json
	.venv/bin/python -m bench

# Refresh the README's screenshots from the browser test.
readme-images: install infrastructure debian-packages
	UPDATE_README_IMAGES=1 .venv/bin/pytest tests/browser

# pytest runs last, so its summary line closes the output.
test: lint check-schemas test-frontend test-python
