# hospiscope — the two commands: `make run` and `make test`.
# Both bootstrap everything they need (virtual environment, pinned packages, system packages).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
WAREHOUSE ?= var/hospiscope.duckdb
export SPARK_LOCAL_IP ?= 127.0.0.1

.PHONY: run test test-fast bootstrap bootstrap-dev system-deps report-deps browser-deps lint bench clean

run: bootstrap report-deps
	$(BIN)/hospiscope run --warehouse $(WAREHOUSE)

test: bootstrap-dev system-deps report-deps browser-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Daily work: everything but Spark and the tests that build a demo warehouse (CI runs `test`).
test-fast: bootstrap-dev report-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest -q -m "not spark and not slow" $(PYTEST_ARGS)

lint: bootstrap-dev
	$(BIN)/ruff check src tests bench

bench: bootstrap-dev system-deps
	$(BIN)/python bench/bench_spine.py $(BENCH_ARGS)
	$(BIN)/python bench/bench_iqss.py $(BENCH_ARGS)

bootstrap: $(VENV)/.core-installed
bootstrap-dev: $(VENV)/.dev-installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"

$(VENV)/.core-installed: $(VENV)/bin/python requirements/core.lock pyproject.toml
	$(BIN)/pip install --quiet --require-hashes -r requirements/core.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.core-installed requirements/dev.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	touch $@

# Spark (in the test suite) needs a Java runtime; install it only where it is missing.
system-deps:
	@command -v java >/dev/null 2>&1 || { \
	  echo "Installation de Java 17 (Spark)…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

# PDF reports (WeasyPrint) need Pango and a font; the Debian image has them, others may not.
report-deps:
	@ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 && fc-list 2>/dev/null | grep -qi dejavu || { \
	  echo "Installation de Pango et des polices DejaVu (rapports PDF)…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libpango-1.0-0 \
	    libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; }

# The browser tests (tests/browser) drive Debian's Chromium; never a browser downloaded by Playwright.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installation de Chromium (tests dans un navigateur)…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf $(VENV) var .pytest_cache
