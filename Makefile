# g7site: `make run` serves the site with the fixtures on http://127.0.0.1:8000; `make test` runs every check.
# `make run` needs only Python 3.11+ and make: uv, pinned, is installed into .tools/ on first use. `make test`
# also needs Debian's Chromium, a Java runtime, redis-server and PostgreSQL server, which it installs
# (scripts/system-packages).

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
MANAGE := $(UV) run --frozen python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve migrate load test test-python test-postgresql system-packages lint format migrations-check pytest clean messages compilemessages prod backup restore bench

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# With the bytecode compiled once, no process compiles the modules it imports (nor needs to write to .venv).
install: $(UV)
	$(UV) sync --frozen --compile-bytecode

migrate: install
	$(MANAGE) migrate --no-input

load: migrate
	$(MANAGE) load_records

# The .mo files are built, not committed; Babel compiles them, so GNU gettext is not needed.
compilemessages: install
	$(MANAGE) compilemessages_py

# Add new UI strings to locale/*/LC_MESSAGES/django.po (translations already there are kept).
messages: install
	$(MANAGE) makemessages_py

run: load compilemessages
	$(MANAGE) create_dev_superuser
	$(MANAGE) runserver $(HOST):$(PORT)

# ruff, and the layers of the apps (import-linter's contracts in pyproject.toml): an upward import fails here.
lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen lint-imports

format: install
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

migrations-check: install
	DJANGO_SETTINGS_MODULE=g7site.settings.test $(UV) run --frozen python manage.py makemigrations --check --dry-run

pytest: compilemessages
	$(UV) run --frozen pytest $(PYTEST_ARGS)

# The browser tests drive Debian's Chromium and run the Nu HTML checker (Java); the deployment tests start
# redis-server and PostgreSQL clusters.
# Installed with apt-get when missing (as root or with sudo), else the one command that does is printed.
system-packages:
	@scripts/system-packages

test: system-packages lint migrations-check pytest

# What needs no Debian package beyond Python and make: all but the browser and deployment tests.
test-python: PYTEST_ARGS += -m "not browser and not deployment"
test-python: lint migrations-check pytest

# The suite again on a throwaway PostgreSQL server (scripts/with-postgresql): every test that reads or writes
# the site's database. The browser and deployment tests run once, in `make test`: the browser's pages are
# the same on either database, and the deployment tests start servers of their own (PostgreSQL among them).
test-postgresql: system-packages
	scripts/with-postgresql $(MAKE) test-python

# The production configuration on this machine: gunicorn with g7site.settings.prod on http://$(HOST):$(PORT).
# It uses DATABASE_URL, REDIS_URL, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS from the environment or
# .env (see .env.example and docs/deployment.md). Whatever is missing gets a default for trying it out,
# announced as it is taken: the SQLite file db.sqlite3, this process's memory as the cache, the local
# host names, and a throwaway secret key (sessions end when it stops). Without a TLS proxy in front,
# requests are not redirected to HTTPS; send `X-Forwarded-Proto: https` to see what the proxy would.
WORKERS ?= 3
prod: install compilemessages
	@set -e; \
	configured() { [ -n "$$(printenv $$1)" ] || grep -qs "^$$1=." .env; }; \
	if ! configured DJANGO_SECRET_KEY; then \
	  export DJANGO_SECRET_KEY="$$($(UV) run --frozen python -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
	  echo "*** DJANGO_SECRET_KEY is not set: using a throwaway key for this run only. Never do this in production."; \
	fi; \
	if ! configured DATABASE_URL; then \
	  export DATABASE_URL="sqlite:///$(CURDIR)/db.sqlite3"; echo "*** DATABASE_URL is not set: using $$DATABASE_URL"; \
	fi; \
	if ! configured DJANGO_ALLOWED_HOSTS; then export DJANGO_ALLOWED_HOSTS="$(HOST),localhost"; fi; \
	if ! configured REDIS_URL; then echo "*** REDIS_URL is not set: each process caches alone, so pages are not cached."; fi; \
	if ! configured DJANGO_SECURE_SSL_REDIRECT; then export DJANGO_SECURE_SSL_REDIRECT=False; fi; \
	export DJANGO_SETTINGS_MODULE=g7site.settings.prod; \
	$(MANAGE) migrate --no-input; \
	$(MANAGE) load_records; \
	$(MANAGE) collectstatic --no-input -v 0; \
	exec $(UV) run --frozen gunicorn --config python:g7site.gunicorn --bind $(HOST):$(PORT) --workers $(WORKERS) g7site.wsgi

# A timestamped backup of the whole database in BACKUP_DIR (backups/ unless DJANGO_BACKUP_DIR is set):
# pg_dump's custom format for PostgreSQL, SQLite's online backup for SQLite. Uses DATABASE_URL like the site.
backup: install
	$(MANAGE) backup

# Restore the database from BACKUP=path/to/file, else from the newest backup; asks before replacing.
restore: install
	$(MANAGE) restore $(BACKUP)

# The benchmark (bench/run.py): gunicorn with production settings on PostgreSQL (BENCH_DATABASE_URL, else
# DATABASE_URL: a database g7site_bench is made on that server and dropped after) and SQLite, at 1× and
# 100× data, with wrk on loopback, against the bare Django floor (bench/bare: `startproject`'s default
# middleware and a view returning "ok", under a gunicorn of the same workers; the targets' reference) as
# well as the site's own middleware floor, and what the site's middleware costs a request; writes
# docs/performance.md. About twenty minutes; BENCH_ARGS=--help.
bench: install compilemessages
	@command -v wrk >/dev/null || $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y wrk
	$(UV) run --frozen python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf .venv .tools db.sqlite3 staticfiles .pytest_cache .ruff_cache
