# The two commands that matter: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app portal
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test test-fast bench translations translations-extract translations-update \
        translations-compile lint system-deps clean worker

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

# Debian packages the portal needs: HarfBuzz subsetting for WeasyPrint, Chromium
# for browser journeys, poppler for looking at letters. Installed only when missing.
system-deps:
	@bash scripts/system-deps.sh

translations-compile: $(VENV)/.installed
	@$(BIN)/pybabel compile --statistics -d translations -D messages 2>&1 | grep -v '^$$' || true

translations-extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 \
		--add-comments=TRANSLATORS: --no-location --sort-output \
		--ignore-dirs='.* __pycache__ instance' --project=dienstjaar-portal -o translations/messages.pot .

translations-update: translations-extract
	$(BIN)/pybabel update -i translations/messages.pot -d translations \
		--no-fuzzy-matching --ignore-obsolete

translations: translations-update translations-compile

run: $(VENV)/.installed system-deps translations-compile
	$(FLASK) db upgrade
	$(FLASK) demo seed
	$(FLASK) run --host $(HOST) --port $(PORT)

worker: $(VENV)/.installed
	$(FLASK) jobs worker

test: $(VENV)/.installed system-deps translations-compile
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: $(VENV)/.installed translations-compile
	$(BIN)/pytest -x -q -m "not browser" $(PYTEST_ARGS)

bench: $(VENV)/.installed system-deps translations-compile
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/review_queue_bench.py
	$(BIN)/python benchmarks/reserve_bench.py

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check portal tests || true

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
