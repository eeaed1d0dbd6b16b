# Tafel — `make run` and `make test` are the two set-up commands (see README).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
PG_BIN ?= /usr/lib/postgresql/15/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

.PHONY: bench run test test-fast test-sqlite test-postgres system-deps translations extract-messages lint typecheck migrate demo clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d tafel/translations -D messages

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o tafel/translations/messages.pot .
	$(BIN)/pybabel update -i tafel/translations/messages.pot -d tafel/translations -D messages --no-fuzzy-matching

## make run: install, migrate, load demo data on first run, serve on http://127.0.0.1:$(PORT)
## with the scheduler worker beside gunicorn (both stop together; see scripts/run.sh)
run: $(VENV)/.installed translations
	$(BIN)/flask --app tafel demo --if-empty
	BIN=$(BIN) PORT=$(PORT) bash scripts/run.sh

## make test: install what the tests need, lint, type-check, run the suite on SQLite and on PostgreSQL
test: system-deps $(VENV)/.installed node_modules/.installed translations lint typecheck
	bash scripts/test-all.sh

## make test-fast: the suite on SQLite without the browser tests
test-fast: $(VENV)/.installed translations
	$(BIN)/python -m pytest -m "not e2e"

test-sqlite: $(VENV)/.installed node_modules/.installed translations
	$(BIN)/python -m pytest

test-postgres: system-deps $(VENV)/.installed node_modules/.installed translations
	bash scripts/with-postgres.sh $(BIN)/python -m pytest

system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium fonts-dejavu-core"; \
	[ -x $(PG_BIN)/initdb ] || missing="$$missing postgresql"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	dpkg -s libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null 2>&1 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && $(APT_INSTALL) $$missing; \
	fi

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check tafel tests config.py scripts
	$(BIN)/python scripts/check_layers.py

typecheck: $(VENV)/.installed
	$(BIN)/python scripts/typecheck.py

## make bench: seed a separate database with 100 000 submissions and time the main pages
bench: $(VENV)/.installed translations
	$(BIN)/flask --app tafel bench

migrate: $(VENV)/.installed
	$(BIN)/flask --app tafel init-db

demo: $(VENV)/.installed
	$(BIN)/flask --app tafel demo

clean:
	rm -rf $(VENV) node_modules .pytest_cache
