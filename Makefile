# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.sendkit-installed
RUNTIME_STAMP := $(VENV)/.sendkit-runtime

.PHONY: demo test lint fmt screenshots bench sandbox install install-runtime clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# The app and its runtime dependencies only: what `make demo` needs (no test tools).
$(RUNTIME_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	@touch $(RUNTIME_STAMP)

# The project (editable) with its dev extras, whenever pyproject.toml changes.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP) $(RUNTIME_STAMP)

# Byte-compile our own modules once: this machine sets PYTHONDONTWRITEBYTECODE,
# so without this every start would recompile the package.
install-runtime: $(RUNTIME_STAMP)
	@$(PY) -m compileall -q sendkit_tui >/dev/null

install: $(STAMP)
	@$(PY) -m compileall -q sendkit_tui >/dev/null

demo: install-runtime
	$(VENV)/bin/sendkit-tui --demo

# Static checks first (style, types, import contracts), then the tests: in parallel on
# PYTEST_WORKERS processes (pytest-xdist; 0 = one process), except those marked `timed`,
# which run after, alone, so no sibling worker slows what they measure. PYTEST_ARGS goes
# to both runs (exit code 5 = none selected, e.g. with -k).
PYTEST_WORKERS ?= auto
test: lint
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal -m "not timed" $(PYTEST_ARGS)
	$(PY) -m pytest -n 0 -m timed $(PYTEST_ARGS) || [ $$? -eq 5 ]

lint: install
	$(VENV)/bin/ruff check sendkit_tui tests benchmarks scripts
	$(VENV)/bin/ruff format --check sendkit_tui tests benchmarks scripts
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

fmt: install
	$(VENV)/bin/ruff format sendkit_tui tests benchmarks scripts
	$(VENV)/bin/ruff check --fix sendkit_tui tests benchmarks scripts

sandbox: install-runtime
	$(VENV)/bin/sendkit-tui sandbox --port 8765 --seed 50

screenshots: install
	$(PY) scripts/screenshots.py screenshots

bench: install
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .import_linter_cache .hypothesis snapshot_report.html
