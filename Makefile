# g7site: `make run` serves the site with the fixtures on http://127.0.0.1:8000; `make test` runs every check.
# Needs only Python 3.11+ and make: uv, pinned, is installed into .tools/ on first use.

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
MANAGE := $(UV) run --frozen python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve migrate load test lint format migrations-check pytest clean messages compilemessages

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

install: $(UV)
	$(UV) sync --frozen

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
	$(MANAGE) runserver $(HOST):$(PORT)

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

format: install
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

migrations-check: install
	DJANGO_SETTINGS_MODULE=g7site.settings.test $(UV) run --frozen python manage.py makemigrations --check --dry-run

pytest: compilemessages
	$(UV) run --frozen pytest $(PYTEST_ARGS)

test: lint migrations-check pytest

clean:
	rm -rf .venv .tools db.sqlite3 staticfiles .pytest_cache .ruff_cache
