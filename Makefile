# Two front doors: `make serve` (set up and serve the app) and `make test` (set up and run every test).
# Each creates its own virtualenv in .venv on first use; `make test` also installs Debian's Chromium
# and axe-core (npm) for the browser tests, with sudo when not run as root.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium
NGINX := /usr/sbin/nginx
AXE := node_modules/axe-core/axe.min.js
VNU := node_modules/vnu-jar/build/dist/vnu.jar
JAVA := /usr/bin/java
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve cluster test browser-deps lint validate bench lock clean build-frontend

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtualenv: on Debian/Ubuntu install python3-venv (sudo apt-get install -y python3-venv)."; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

# Not --quiet: a first install takes minutes, and pip's "Collecting ..." lines and progress bars show it is working.
# The versions come from the lock files (requirements/*.txt, as constraints): every machine installs the same.
$(VENV)/.app-installed: pyproject.toml requirements/app.txt | $(BIN)/python
	@echo "Installing backpain-edu and its dependencies into $(VENV) (first run only, a few minutes)..."
	$(BIN)/pip install --progress-bar on -c requirements/app.txt -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml requirements/test.txt | $(BIN)/python
	@echo "Installing backpain-edu, its dependencies and the test tools into $(VENV) (first run only, a few minutes)..."
	$(BIN)/pip install --progress-bar on -c requirements/test.txt -e ".[dev]"
	touch $@ $(VENV)/.app-installed

# Write the lock files again from pyproject.toml (after changing a dependency there); ARGS=--upgrade moves every
# pin to the newest version allowed. pip-tools is installed on first use.
LOCK := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --strip-extras --no-emit-find-links --unsafe-package backpain-edu \
	--no-emit-index-url --no-emit-trusted-host $(ARGS)
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(LOCK) --output-file requirements/app.txt pyproject.toml
	$(LOCK) --extra dev --output-file requirements/test.txt pyproject.toml

# The browser tests drive Debian's Chromium through Playwright; `playwright install` is never used.
$(CHROMIUM):
	$(SUDO) apt-get update
	$(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

# nginx in front of the replicas (make cluster, and the tests through the proxy): Debian's package,
# run by deploy/cluster.py as an ordinary process (the package's own service is not used).
$(NGINX):
	$(SUDO) apt-get update
	$(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y nginx

# Java 17 runs the Nu HTML Checker (vnu-jar) on every finished page (tests/browser/test_valid_html.py).
$(JAVA):
	$(SUDO) apt-get update
	$(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y default-jre-headless

# axe-core, pinned in package-lock.json, is injected into each page by the accessibility tests; vnu-jar, pinned
# there too, checks the finished pages' HTML.
$(AXE) $(VNU) &: package.json package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y npm; }
	npm ci --no-audit --no-fund
	touch $(AXE) $(VNU)

browser-deps: $(CHROMIUM) $(NGINX) $(JAVA) $(AXE) $(VNU)

# The tool pages' widget front end (frontend/) into the template's static folder, from package-lock.json.
# The bundle is committed (serving needs no Node.js); tests/test_frontend_bundle.py fails when it is older
# than its sources. Run after changing frontend/, package.json or package-lock.json, and commit the result.
build-frontend: $(AXE)
	npm run build-frontend

serve: $(VENV)/.app-installed
	$(BIN)/backpain-edu serve

# Replicas behind nginx on this machine (one per core unless ARGS="--replicas N"); Ctrl-C stops them all.
cluster: $(VENV)/.app-installed $(NGINX)
	$(BIN)/python deploy/cluster.py $(ARGS)

validate: $(VENV)/.dev-installed
	$(BIN)/backpain-edu validate

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check backpain_edu tests benchmarks deploy

# Three test workers (pytest-xdist; each file's tests stay together, and a third fills the time the others spend
# waiting on browsers and servers), then, alone, the tests that load a server of their own to see how it copes.
test: $(VENV)/.dev-installed lint browser-deps
	$(BIN)/backpain-edu validate
	$(BIN)/python -m pytest -n 3 --dist loadfile -m "not serial"
	$(BIN)/python -m pytest -m serial tests/browser

# Speed, memory and load side by side with a static export; prints a table, asserts nothing.
bench: $(VENV)/.dev-installed browser-deps
	$(BIN)/python benchmarks/bench.py $(ARGS)

clean:
	rm -rf $(VENV) node_modules
