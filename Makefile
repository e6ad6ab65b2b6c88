# Two commands do everything: `make report` and `make test`.
# Both create a local virtual environment (.venv) from the pinned
# requirements.lock first; that step is skipped when nothing changed.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: all report test test-fast lint venv validate claims bench browser clean distclean help

help:
	@echo "make report   build the offline HTML report into report/ (sets up .venv first)"
	@echo "make test     run the whole test suite (sets up .venv and Chromium first)"
	@echo "make test-fast  the edit loop: the suite without the slow, browser and parity tests"
	@echo "make lint     ruff, for the rules the code's noqa comments name (pyproject.toml)"
	@echo "make validate check data/ against the schema and cross-table rules"
	@echo "make bench    run the benchmarks in benchmarks/"
	@echo "make clean    remove report/ and caches; make distclean also removes .venv"

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@echo "==> setting up $(VENV) from requirements.lock"
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps -e .
	@touch $(STAMP)

report: $(STAMP)
	$(BIN)/evidence report $(ARGS)

validate: $(STAMP)
	$(BIN)/evidence validate

claims: $(STAMP)
	$(BIN)/evidence claims $(ARGS)

# Browser tests drive Debian's Chromium headless; never a downloaded browser.
# Quiet and idempotent: nothing runs (no apt-get) when chromium is already there.
browser:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "==> installing Debian's chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will be skipped outside CI"; \
	  else echo "warning: chromium missing and not root; browser tests will be skipped outside CI"; fi; }

test: $(STAMP) browser
	$(BIN)/python -m pytest $(ARGS)

# The edit loop: no notebook execution, no report build, no browser, no R.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser and not parity" $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf report .cache .pytest_cache .hypothesis benchmarks/out

distclean: clean
	rm -rf $(VENV)
