# The two commands that matter: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app portal
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test test-fast bench letters-check screenshots translations translations-extract \
        translations-update translations-compile lint system-deps clean worker lock audit load

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	@# pip itself is upgraded from the lock, checked against its hash, like everything else

# Dependencies come only from requirements.lock, every file checked against its hash; the
# portal itself is installed without dependencies. A lock that no longer matches
# pyproject.toml stops here with what differs: run `make lock`.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python scripts/lock.py check
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Regenerate requirements.lock from pyproject.toml (newest versions its ranges allow, with
# the hashes of every file). Run after changing dependencies; review the diff; commit it.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet "pip-tools>=7.4"
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--extra test --extra bench --extra tools --no-emit-find-links --no-emit-index-url \
		--output-file requirements.lock pyproject.toml
	$(BIN)/python scripts/lock.py check

# Known vulnerabilities of the locked packages (pip-audit, PyPI's advisory service). Says
# "AUDIT NOT DONE" and fails when the service cannot be reached: never a silent pass.
audit: $(VENV)/.installed
	$(BIN)/python scripts/lock.py audit

# Debian packages the portal needs: HarfBuzz subsetting for WeasyPrint, Chromium
# for browser journeys, poppler for looking at letters. Installed only when missing.
system-deps:
	@bash scripts/system-deps.sh

translations-compile: $(VENV)/.installed
	@$(BIN)/pybabel compile --statistics -d translations -D messages 2>&1 | grep -v '^$$' || true

translations-extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg --width 100 -k _l -k lazy_gettext -k ngettext:1,2 \
		--add-comments=TRANSLATORS: --no-location --sort-output \
		--ignore-dirs='.* __pycache__ instance' --project=dienstjaar-portal -o translations/messages.pot .

translations-update: translations-extract
	$(BIN)/pybabel update -i translations/messages.pot -d translations --width 100 \
		--no-fuzzy-matching --ignore-obsolete

translations: translations-update translations-compile

# Links in e-mails, letters and QR codes follow the address `make run` serves on, unless
# BASE_URL is set; `demo seed` prints it and where e-mails go.
RUN_BASE_URL = $${BASE_URL:-http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)}
run: $(VENV)/.installed system-deps translations-compile
	$(FLASK) db upgrade
	BASE_URL="$(RUN_BASE_URL)" $(FLASK) demo seed
	BASE_URL="$(RUN_BASE_URL)" $(FLASK) run --host $(HOST) --port $(PORT)

worker: $(VENV)/.installed
	$(BIN)/python worker.py

# The tests run on TEST_WORKERS processes (default: one per core), a whole test file each;
# every process has its own database, instance folder, browser and servers.
TEST_WORKERS ?= auto
test: $(VENV)/.installed system-deps translations-compile
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --durations=25 $(PYTEST_ARGS)

test-fast: $(VENV)/.installed translations-compile
	$(BIN)/pytest -x -q -m "not browser and not load" $(PYTEST_ARGS)

bench: $(VENV)/.installed system-deps translations-compile
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/review_queue_bench.py
	$(BIN)/python benchmarks/reserve_bench.py
	$(BIN)/python benchmarks/statements_bench.py
	$(BIN)/python benchmarks/sheets_bench.py
	$(BIN)/python benchmarks/letter_kinds.py
	$(BIN)/python benchmarks/reset_timing.py
	$(BIN)/python benchmarks/moves_bench.py

# The load test: 100 users for 60 s against gunicorn + PostgreSQL seeded with 50,000
# applications (a database bench_load on the loopback server, made and dropped; another with
# BENCH_DATABASE_URL=postgresql+psycopg://...), Redis and a queue worker. Figures: README.
load: $(VENV)/.installed translations-compile
	BENCH_DATABASE_URL="$${BENCH_DATABASE_URL:-postgresql+psycopg://root@127.0.0.1:5432/bench_load}" \
	$(BIN)/python benchmarks/load.py --users $(or $(USERS),100) --duration $(or $(DURATION),60)

# A print shop's check of a letter run's batch directory: make letters-check DIR=...
# With DATABASE=<the portal's DATABASE_URL> it also compares the manifest with the run.
letters-check: $(VENV)/.installed
	@test -n "$(DIR)" || (echo "usage: make letters-check DIR=<letter run directory> [DATABASE=<url>]"; exit 2)
	$(BIN)/python scripts/letters_check.py "$(DIR)" $(if $(DATABASE),--database "$(DATABASE)")

# The main pages at phone and desktop size, into docs/screenshots/ (the README shows some).
screenshots: $(VENV)/.installed system-deps translations-compile
	$(BIN)/python scripts/screenshots.py

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check portal tests || true

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
