# Bellhop: `make run` starts the app, `make test` runs every check.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint bench translations clean

setup: $(STAMP)

# Re-install only when the dependency list changes: a second `make setup` is instant.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: setup
	$(BIN)/bellhop

lint: setup
	$(BIN)/ruff check desktop tests bench tools
	$(BIN)/lint-imports --no-cache

test: lint
	QT_QPA_PLATFORM=offscreen timeout 1200 $(BIN)/python -m pytest -q -p no:cacheprovider

bench: setup
	$(BIN)/python bench/run_all.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_gui.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_activity.py
	$(BIN)/python bench/bench_surveycake.py

# After changing window texts: refresh the zh_TW catalogue, translate, then compile it.
translations: setup
	$(BIN)/pyside6-lupdate -locations none $$(find desktop/bellhop/ui -name '*.py' | sort) \
		-ts resources/translations/bellhop_zh_TW.ts
	$(BIN)/python tools/translate_zh_tw.py
	$(BIN)/pyside6-lrelease resources/translations/bellhop_zh_TW.ts \
		-qm resources/translations/bellhop_zh_TW.qm

clean:
	rm -rf $(VENV) build dist *.egg-info
