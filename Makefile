# Two front doors: `make serve` (set up and serve the app) and `make test` (set up and run every test).
# Each creates its own virtualenv in .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: serve test lint validate clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtualenv: on Debian/Ubuntu install python3-venv (sudo apt-get install -y python3-venv)."; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.app-installed

serve: $(VENV)/.app-installed
	$(BIN)/backpain-edu serve

validate: $(VENV)/.dev-installed
	$(BIN)/backpain-edu validate

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check backpain_edu tests

test: $(VENV)/.dev-installed lint
	$(BIN)/backpain-edu validate
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV)
