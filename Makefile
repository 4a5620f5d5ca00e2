# Bellhop: `make run` starts the app, `make test` runs every check.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INSTALLER_STAMP := $(VENV)/.installer-installed

.PHONY: setup run test lint bench translations clean installer installer-test screenshots \
	mutants test-n8n n8n

setup: $(STAMP)

# Re-install only when the dependency list changes: a second `make setup` is instant.
# pip, not python: without Debian's python3-venv, venv leaves a python and no pip behind.
$(STAMP): pyproject.toml
	@test -x $(BIN)/pip || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# First: the system libraries Qt's window needs on Linux (it names the apt-get command that
# installs what is missing, and runs it when run as root).
run: setup
	$(BIN)/python tools/check_qt_libs.py
	$(BIN)/bellhop

lint: setup
	$(BIN)/ruff check desktop tests bench tools installers
	$(BIN)/lint-imports --no-cache

# The installer tests build the bundle (a minute): `make installer-test` runs them.
# Tests run in a random order (pytest-randomly), printed first and last as its seed:
# `make test SEED=N` runs that order again.
ifndef SEED
SEED := $(shell $(PY) -c 'import random; print(random.randrange(10**9))')
endif
test: lint
	@echo "Tests in random order: --randomly-seed=$(SEED) (again: make test SEED=$(SEED))"
	QT_QPA_PLATFORM=offscreen timeout 1200 $(BIN)/python -m pytest -q -p no:cacheprovider \
		-p randomly --randomly-seed=$(SEED) -m "not installer"

# PyInstaller and Pillow, for the double-click packages only (not runtime dependencies).
$(INSTALLER_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,installer]'
	@touch $(INSTALLER_STAMP)

# dist/bellhop (one folder) and the packages this OS makes: .tar.gz + .deb on Linux,
# setup .exe on Windows (NSIS), .dmg on macOS. Figures in dist/figures.json.
installer: $(INSTALLER_STAMP)
	$(BIN)/python installers/build.py

# Build, install the .deb into a scratch root, --selftest it, purge it; check the NSIS script.
installer-test: $(INSTALLER_STAMP)
	QT_QPA_PLATFORM=offscreen timeout 1200 $(BIN)/python -m pytest -q -p no:cacheprovider \
		-m installer tests/installer

# n8n for the `bellhop export n8n` round trip, installed outside the repository (about
# 2.4 GB; minutes). 2.8.4 is the newest n8n that runs on Node 20 (>= 20.19; later ones want
# 22.16+). The override: n8n-nodes-base fetches xlsx from cdn.sheetjs.com, which networks
# that reach only the npm registry cannot; 0.18.5 is its last release there (only n8n's
# spreadsheet-file nodes use it).
N8N_VERSION := 2.8.4
N8N_HOME ?= $(HOME)/.cache/bellhop-n8n
N8N_BIN := $(N8N_HOME)/node_modules/.bin/n8n
N8N_STAMP := $(N8N_HOME)/.installed-$(N8N_VERSION)

$(N8N_STAMP):
	@command -v npm >/dev/null || { echo "make test-n8n needs Node.js (20.19 to 24) and npm"; \
		exit 1; }
	mkdir -p $(N8N_HOME)
	printf '%s\n' '{"name": "bellhop-n8n", "private": true,' \
		'"dependencies": {"n8n": "$(N8N_VERSION)"}, "overrides": {"xlsx": "0.18.5"}}' \
		> $(N8N_HOME)/package.json
	cd $(N8N_HOME) && npm install --no-audit --no-fund --loglevel=error
	@touch $@

# n8n itself, installed once into $(N8N_HOME).
n8n: $(N8N_STAMP)

# Export a rule, import it into that n8n, post its sample, see the email arrive.
test-n8n: setup $(N8N_STAMP)
	BELLHOP_N8N=$(N8N_BIN) QT_QPA_PLATFORM=offscreen timeout 900 $(BIN)/python -m pytest -q \
		-p no:cacheprovider -p no:randomly tests/n8n

# Refresh the README's screenshots from the real window (offscreen).
screenshots: setup
	BELLHOP_UPDATE_SCREENSHOTS=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q \
		-p no:cacheprovider tests/gui/test_screenshots.py tests/gui/test_welcome.py

# Mutation testing of the modules that keep the promises (minutes; not part of make test):
# scores and the survivors left on purpose in docs/testing.md.
mutants: setup
	$(BIN)/python tools/mutants.py $(MUTANTS_ARGS)

bench: setup
	$(BIN)/python bench/run_all.py
	$(BIN)/python bench/bench_sheets.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_gui.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_activity.py
	$(BIN)/python bench/bench_surveycake.py
	$(BIN)/python bench/bench_flash_sale.py

# After changing any text: collect the marked texts into resources/locale/bellhop.pot,
# merge them into every language's .po (new ones arrive untranslated), compile the .mo files.
# Translate in the .po (Poedit, Qt Linguist or a text editor), then run this again.
BABEL_KEYWORDS := --no-default-keywords -k _ -k N_ -k ngettext:1,2 -k NP_:1c,2
translations: setup
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --add-location=file --sort-by-file \
		--omit-header -o resources/locale/bellhop.pot .
	$(BIN)/pybabel update -i resources/locale/bellhop.pot -d resources/locale -D bellhop \
		--ignore-obsolete --ignore-pot-creation-date --no-fuzzy-matching
	$(BIN)/python tools/fill_translations.py
	$(BIN)/pybabel update -i resources/locale/bellhop.pot -d resources/locale -D bellhop \
		--ignore-obsolete --ignore-pot-creation-date --no-fuzzy-matching
	$(BIN)/pybabel compile -d resources/locale -D bellhop --statistics

clean:
	rm -rf $(VENV) build dist *.egg-info
