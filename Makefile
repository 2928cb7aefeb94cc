# Steward. `make serve` and `make test` do the whole set-up from a fresh clone.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py

.PHONY: messages serve test lint check bench bench-scale bench-import bench-api simulate e2e install migrate clean periodic-loop

# The venv is rebuilt when requirements or pyproject change.
$(VENV)/.installed: requirements.txt pyproject.toml
	@PYBIN=$$(bin/find-python) || exit 1; \
	  if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$PYBIN"; "$$PYBIN" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput

# Demo data is loaded once: seed_demo is idempotent and says so when it skips.
serve: migrate
	$(MANAGE) seed_demo
	$(MANAGE) collectstatic --noinput --verbosity 0
	@echo "Periodic jobs run every 60 s in the background (manage.py run_periodic)."
	@( while sleep 60; do $(MANAGE) run_periodic --quiet || true; done ) & \
	  trap "kill $$! 2>/dev/null" EXIT; \
	  $(MANAGE) runserver 127.0.0.1:$(PORT)

# TEST_WORKERS=2 runs the suite in two processes (pytest-xdist); 0 (the default)
# runs it in one, as before (see README "Tests"). Tests are handed out one by one in
# pytest-django's order, transactional tests last: their flush empties the
# migrations' rows, so whole-file distribution (--dist loadfile) must not be used.
TEST_WORKERS ?= 0
test: install
	$(PY) -m pytest -m "not e2e" -n $(TEST_WORKERS) $(PYTEST_ARGS)

e2e: install
	@test -x /usr/bin/chromium || { echo "e2e needs Debian's chromium: apt-get install chromium"; exit 1; }
	$(PY) -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install
	DJANGO_SETTINGS_MODULE=steward.settings.production SECRET_KEY=check-$$RANDOM-$$RANDOM-not-a-real-key-0123456789abcdefghijklmnop \
	  ALLOWED_HOSTS=steward.example.org STEWARD_PUBLIC_URL=https://steward.example.org DATABASE_URL=sqlite:///$(CURDIR)/.check.sqlite3 REDIS_URL=redis://127.0.0.1:6379/9 \
	  $(MANAGE) check --deploy --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) messages --check

# The interface catalogues (locale/<language>/LC_MESSAGES/django.po): add new strings
# and compile the .mo (committed, so a deployment needs no gettext). Needs xgettext.
messages: install
	$(MANAGE) messages

bench: install
	$(PY) bench/run.py

# Steward at scale on PostgreSQL (bench/scale.py): 100,000 generated listings,
# single-client p50/p95 of search, open-now search and a service page, the
# generation rate and the trust scan. SCALE_ARGS="--services 1000000" for a
# million; BENCH_SCALE_DATABASE_URL=postgres://.../steward_bench_scale (dropped).
bench-scale: install
	$(PY) bench/scale.py $(SCALE_ARGS)

# import_hsds speed on a ~4,000-service package (ILAO's export x10): SQLite, then
# PostgreSQL too when BENCH_DATABASE_URL=postgres://.../steward_bench_import is set
# (dropped and recreated). Writes bench/results/<date>-import-<db>.json.
bench-import: install
	$(PY) bench/import_bench.py $(BENCH_ARGS)

# The HSDS API's format=ndjson stream at 10,000 and 100,000 generated services: time
# and memory (bench/api_bench.py; BENCH_ARGS="--sizes 2000,20000" for a quick run).
# PostgreSQL with BENCH_DATABASE_URL=postgres://.../steward_bench_api
bench-api: install
	$(PY) bench/api_bench.py $(BENCH_ARGS)

# Two simulated years of the trust loop against a real database (bench/simulate.py):
# SIM_ARGS="--services 200 --days 120" for a quick run; PostgreSQL with
# SIM_DATABASE_URL=postgres://.../steward_sim_bench (dropped and recreated).
simulate: install
	$(PY) bench/simulate.py $(SIM_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3* .check.sqlite3 staticfiles
