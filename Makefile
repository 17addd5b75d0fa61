# Moldir tasks (Pelican's quickstart names): `make serve`, `make test`, `make html`, `make publish`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PORT ?= 8000

.PHONY: setup html publish serve validate lint format test test-fast browser clean messages bench \
	html-international serve-international validate-international

setup: $(STAMP)

# pip prints a line per package it collects and installs (no progress bars in logs): the
# first setup takes minutes and must not look stuck.
$(STAMP): pyproject.toml
	@echo "make setup: installing Moldir and its dependencies into $(VENV)/ (Pelican, Frictionless,"
	@echo "  pandas, Altair, Playwright, ruff, ...). The first time this takes about 5 minutes on a"
	@echo "  2-core machine; it runs again only when pyproject.toml changes."
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar off -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@
	@echo "make setup: done."

html: setup  ## build output/ with pelicanconf.py and exit
	$(BIN)/moldir build

publish: setup  ## build output/ with publishconf.py (absolute SITEURL, feeds)
	$(BIN)/moldir build --publish

serve: setup  ## build the example portal and serve it on http://127.0.0.1:$(PORT)/
	@echo "Building the example portal (about a minute the first time, seconds once .moldir-cache/ holds it), then serving it."
	$(BIN)/moldir serve --port $(PORT)

validate: setup  ## validate every dataset, print the report
	$(BIN)/moldir validate datasets

# The second example project: reference data of other countries (examples/international/),
# built on its own from its folder with the same theme and plugin.
INTERNATIONAL := examples/international
MOLDIR_CMD := $(abspath $(BIN))/moldir
INTERNATIONAL_PORT ?= 8001

html-international: setup  ## build examples/international/output/
	cd $(INTERNATIONAL) && $(MOLDIR_CMD) build

serve-international: setup  ## build the international example and serve it on http://127.0.0.1:$(INTERNATIONAL_PORT)/
	cd $(INTERNATIONAL) && $(MOLDIR_CMD) serve --port $(INTERNATIONAL_PORT)

validate-international: setup  ## validate the international example's datasets
	cd $(INTERNATIONAL) && $(MOLDIR_CMD) validate datasets

lint: setup
	@echo "ruff: checking the code and its format"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@echo "import-linter: checking the layers' import contracts (pyproject.toml)"
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

browser:  ## Debian's Chromium for the real-browser tests
	bash scripts/install-chromium.sh

# pytest names each test file as it runs it and says its phases (tests/conftest.py): the
# counts of unit, built-site and browser tests, and when each example site is being built.
test: setup browser lint  ## set up everything and run the whole suite
	@echo "Running the test suite (about 13 minutes on a 2-core machine)."
	$(BIN)/python -m pytest

test-fast: setup  ## the suite without browser tests, stopping at the first failure
	$(BIN)/python -m pytest -x -m "not browser"

LOCALE := plugins/moldir/locale

messages: setup  ## extract the theme's and the code's strings, update the kk/ru/en .po files
	$(BIN)/pybabel extract -F babel.cfg --add-location=file --sort-by-file \
		--project=Moldir --copyright-holder="Moldir contributors" -o $(LOCALE)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages \
		--no-fuzzy-matching --ignore-obsolete --width=100
	@echo "Translate the empty msgstr entries of $(LOCALE)/*/LC_MESSAGES/messages.po (.mo files are compiled at build time)."

bench: setup  ## benchmark vs frictionless and plain Pelican (bench/README.md; ARGS=--small)
	$(BIN)/python bench/run.py $(ARGS)

clean:
	rm -rf output .output* .pytest_cache .ruff_cache $(INTERNATIONAL)/output
