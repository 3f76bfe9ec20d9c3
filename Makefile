# Familienwegweiser: `make run` serves the app on SQLite with the real data, `make test` tests it.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
HTMX_VERSION := $(shell sed -n 's/^HTMX_VERSION = "\(.*\)"/\1/p' app/config.py)
LEAFLET_VERSION := $(shell sed -n 's/^LEAFLET_VERSION = "\(.*\)"/\1/p' app/config.py)
VENDOR := app/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/familienwegweiser
# The server neither announces itself nor logs request lines (their query strings carry
# what people typed); the app logs method, path, status and time (app/web/access_log.py).
UVICORN := .venv/bin/uvicorn app.main:app --no-server-header --no-access-log \
	--log-config app/logging.json

.PHONY: install vendor locales db run run-pg test test-sqlite bench lint messages clean admin \
	fuzz loadtest backup restore

.venv/.installed: pyproject.toml
	test -x $(PY) || python3.11 -m venv .venv || python3 -m venv .venv
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $@

install: .venv/.installed vendor locales

# HTMX from the npm registry, same pinned version as the CDN tag; checked against the SRI.
$(VENDOR)/htmx.min.js: app/config.py
	mkdir -p $(VENDOR)
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent htmx.org@$(HTMX_VERSION) >/dev/null \
	  && tar xzf htmx.org-$(HTMX_VERSION).tgz && cp package/dist/htmx.min.js $(CURDIR)/$(VENDOR)/ \
	  && rm -rf $$tmp
	$(PY) -m app.web.assets verify

# Leaflet (only used when MAP_TILES_URL is set) from the npm registry, pinned like the CDN
# files; leaflet.js and leaflet.css are checked against the SRI values in app/config.py.
$(VENDOR)/leaflet/leaflet.js: app/config.py
	mkdir -p $(VENDOR)/leaflet
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent leaflet@$(LEAFLET_VERSION) >/dev/null \
	  && tar xzf leaflet-$(LEAFLET_VERSION).tgz \
	  && cp -r package/dist/leaflet.js package/dist/leaflet.css package/dist/images \
	     $(CURDIR)/$(VENDOR)/leaflet/ && rm -rf $$tmp
	$(PY) -c 'import sys; from app.web.assets import VENDOR, sri_of; \
	  from app.config import LEAFLET_CSS_SRI as C, LEAFLET_JS_SRI as J; \
	  ok = [sri_of((VENDOR / "leaflet" / f).read_bytes()) == s for f, s in (("leaflet.js", J), ("leaflet.css", C))]; \
	  sys.exit(0 if all(ok) else "leaflet files do not match the pinned SRI")'

vendor: .venv/.installed $(VENDOR)/htmx.min.js $(VENDOR)/leaflet/leaflet.js

locales: .venv/.installed
	.venv/bin/pybabel compile -d app/locales -D messages
	.venv/bin/pybabel compile -d app/locales -D apidocs

# Sorted, without line references: catalogues change only where a string changes.
messages: .venv/.installed
	.venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  -o app/locales/messages.pot .
	.venv/bin/pybabel update -i app/locales/messages.pot -d app/locales -D messages \
	  --ignore-obsolete

db: install
	$(PY) -m app.db.migrate
	$(PY) scripts/import_offers.py

# The first admin account: `make admin EMAIL=anna@bochum.de` (asks for the password, or
# reads ADMIN_PASSWORD); more accounts and API tokens are made on /verwaltung.
admin: install
	$(PY) -m app.db.migrate
	$(PY) -m app.cli create-user --role admin $(EMAIL)

run: db
	ASSETS=$${ASSETS:-local} $(UVICORN) --host $(HOST) --port $(PORT)

run-pg: install
	DATABASE_URL=$(PG_URL) $(PY) -m app.db.migrate --create-database
	DATABASE_URL=$(PG_URL) $(PY) scripts/import_offers.py
	DATABASE_URL=$(PG_URL) ASSETS=$${ASSETS:-local} $(UVICORN) --host $(HOST) --port $(PORT) --workers 2

# Two pytest-xdist workers (the machines have two cores), one test file per worker at a
# time (--dist loadfile: a file's module-scoped servers and databases stay in one
# process); TEST_WORKERS=0 runs everything in one process. The 25 slowest are listed.
TEST_WORKERS ?= 2
PYTEST := .venv/bin/pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile --durations=25

test: install
	$(PYTEST) $(PYTEST_ARGS)

test-sqlite: install
	$(PYTEST) --db=sqlite $(PYTEST_ARGS)

bench: install
	$(PY) -m bench

# Hostile input at length: the schema fuzzing and property tests of tests/security with
# many more examples than `make test` runs (FUZZ_EXAMPLES per operation and property).
FUZZ_EXAMPLES ?= 500
fuzz: install
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) .venv/bin/pytest -p no:cacheprovider -m fuzz \
	  tests/security $(PYTEST_ARGS)

# 60 s at 100 connections (wrk) on search, near-me and offer pages with the real data on
# a real server; LOADTEST_ARGS e.g. "--db postgres --duration 30".
loadtest: install
	$(PY) -m bench.loadtest $(LOADTEST_ARGS)

# A consistent copy of the database named by DATABASE_URL (default: the SQLite file of
# `make run`) into backups/; `make restore FILE=backups/...` puts one back.
backup: install
	$(PY) scripts/backup.py backup

restore: install
	$(PY) scripts/backup.py restore $(FILE)

lint: .venv/.installed
	.venv/bin/ruff check app scripts tests bench migrations
	.venv/bin/ruff format --check app scripts tests bench migrations

clean:
	rm -rf .venv $(VENDOR) data/*.db data/*.geojson
