# Utsikt: `make run` serves the demo on SQLite; `make test` runs every check and test.
SHELL := /bin/bash
PY := .venv/bin/python
MANAGE := $(PY) manage.py

.PHONY: run serve backup restore setup install test check lint types migrations-check messages fmt bench clean

run: setup
	@scripts/serve.sh

# Production: granian and the task worker against PostgreSQL, every setting from the
# environment (docs/deploy.md); migrates and collects static files first.
serve:
	@scripts/serve.sh --production

# The database and the stored documents with SHA-256 checksums: `make backup [DIR=folder]`;
# `make restore DIR=folder` verifies them, then replaces both (stop the site first).
backup:
	@scripts/backup.sh $(DIR)

restore:
	@[ -n "$(DIR)" ] || { echo "usage: make restore DIR=backups/<folder>" >&2; exit 2; }
	@scripts/restore.sh "$(DIR)"

# Everything `make run` does except serving. The .env it writes once makes DJANGO_DEBUG=1 the
# checkout's default; static files are collected with the production storage (hashed names and
# their manifest), so that serving with DJANGO_DEBUG=0 finds them too.
setup: install
	@scripts/dev-env.sh
	@$(MANAGE) migrate --no-input -v0
	@$(MANAGE) createcachetable
	@DJANGO_DEBUG=0 $(MANAGE) collectstatic --no-input -v0
	@$(MANAGE) load_demo

install:
	@scripts/bootstrap.sh

# Tests run in two processes (pytest-xdist), each with its own test database; TEST_WORKERS=0
# runs them in this process, which a debugger needs.
TEST_WORKERS ?= 2

test: install
	@scripts/system-deps.sh
	@$(MAKE) --no-print-directory check
	$(PY) -m pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Static checks: lint, format, types, migrations, deployment settings.
check:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	DJANGO_DEBUG=1 $(MANAGE) makemigrations --check --dry-run -v1
	UTSIKT_ENV_FILE=/dev/null DJANGO_DEBUG=0 DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-looking-value-for-the-check \
		DJANGO_ALLOWED_HOSTS=utsikt.example.org $(MANAGE) check --deploy --fail-level WARNING

fmt:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# Extract the strings to translate and fill in the Swedish from locale/sv/*.json.
messages:
	DJANGO_DEBUG=1 $(MANAGE) makemessages -l sv --no-obsolete --no-location --no-wrap -i ".venv/*" -i "staticfiles/*" -i "bench/*" -i "tests/*"
	$(PY) scripts/messages.py

bench: setup
	@command -v wrk >/dev/null || [ "$$(id -u)" != 0 ] || apt-get install -y -qq wrk nginx-light >/dev/null
	$(PY) -m bench.ceiling

clean:
	rm -rf .venv staticfiles db.sqlite3*
