# The two commands of the README: `make run` and `make test`. Both work from a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo var/tools/bin/uv)
export UV_PROJECT_ENVIRONMENT := .venv

.PHONY: help install chromium npm wrk run serve test lint worker messages clean-db backup restore bench

help:
	@echo "make run     install, start the database, migrate, load the demo, serve on :8000"
	@echo "make test    install, lint, check migrations, run the whole test suite on PostgreSQL"
	@echo "make worker  Celery worker and beat on REDIS_URL"
	@echo "make serve   the production processes (gunicorn, worker, beat) with production settings"
	@echo "make bench   the benchmark: large dataset, production server, load (docs/performance.md)"
	@echo "make backup  pg_dump of the database to var/backups/ (make restore FILE=... puts one back)"

# uv itself, from PyPI with pip, when the machine has none.
var/tools/bin/uv:
	$(PYTHON) -m venv var/tools
	var/tools/bin/pip install --quiet uv

# The locked dependencies; quick when nothing changed, so every target runs it (git pull safe).
install: $(UV) chromium node_modules/.package-lock.json
	$(UV) sync --frozen --python $(PYTHON)

# axe-core for the browser tests' accessibility checks (tests/e2e/ inject
# node_modules/axe-core/axe.min.js into each page), at the version package-lock.json pins.
# npm comes from Debian when missing and we may; without axe-core those checks fail, saying why.
node_modules/.package-lock.json: package.json package-lock.json | npm
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	  else echo "npm not found: the accessibility checks of the browser tests will be skipped."; fi

npm:
	@command -v npm >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1 \
	  || { echo "Installing Debian's npm for the browser tests..."; \
	       apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }

# The browser tests drive Debian's Chromium (Playwright cannot download its own here). Installed
# when missing and we may (root with apt-get); otherwise those tests fail, saying how to fix it
# (SKIP_BROWSER_TESTS=1 leaves them out knowingly).
chromium:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1 \
	  || { echo "Installing Debian's chromium for the browser tests..."; \
	       apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The bench's load generator (wrk), from Debian when missing and we may.
wrk:
	@command -v wrk >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1 \
	  || { echo "Installing Debian's wrk for the benchmark..."; \
	       apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@command -v wrk >/dev/null 2>&1 || { echo "make bench needs wrk (Debian: apt-get install wrk)." >&2; exit 2; }

# The benchmark (docs/performance.md): builds the large dataset once (then reuses it), serves
# the portal under gunicorn with the production settings, writes bench/results.json.
bench: install wrk
	scripts/with-database scripts/bench

run: install
	scripts/with-database scripts/serve

# The Procfile with the production settings on this machine (docs/deploy.md); `make run` keeps
# the development server.
serve: install
	scripts/with-database scripts/serve-production

# A custom-format pg_dump of DATABASE_URL (or the embedded database) into var/backups/, and
# back: `make restore FILE=var/backups/….dump` replaces what the database holds (docs/deploy.md).
backup: install
	scripts/with-database scripts/backup

restore: install
	@test -n "$(FILE)" || { echo "Name the dump: make restore FILE=var/backups/<name>.dump" >&2; exit 2; }
	scripts/with-database scripts/restore "$(FILE)"

test: install lint
	scripts/with-database bash -c '.venv/bin/python manage.py makemigrations --check --dry-run && .venv/bin/pytest'

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

# One worker with the one beat (run further workers without --beat). The schedules are created
# or updated first, so that staff see them in the admin (docs/background-work.md).
worker: install
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) for a worker." >&2; exit 2; }
	scripts/with-database bash -c '.venv/bin/python manage.py setup_schedules && exec .venv/bin/celery -A alliance worker --beat --loglevel INFO'

# Refresh the French and English catalogues after changing texts, then compile them
# (GNU gettext needed: Debian package gettext). The .mo files are committed.
messages: install
	.venv/bin/python manage.py makemessages -l fr -l en --no-obsolete --ignore=var --ignore=tests
	.venv/bin/python manage.py compilemessages -l fr -l en --ignore=.venv --ignore=var

# Stop the embedded PostgreSQL if something left it running.
clean-db: install
	.venv/bin/python -m alliance.base.devdb down
