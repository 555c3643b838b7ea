# `make run` and `make test` each create .venv when it is missing, install the project into it (with
# the development tools for `make test`), and then open the TUI / run the whole test suite. Nothing
# needs to be installed by hand first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: `make run` installs only what running needs; `make test` and `make lint` add the
# development tools (pytest, ruff, ...) on top.
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
# Python writes its bytecode cache (__pycache__, ignored by git) even where the shell sets
# PYTHONDONTWRITEBYTECODE: without it every test worker and every command a test runs compiles the
# package again (README, "Speed").
export PYTHONDONTWRITEBYTECODE :=
# One test worker more than there are cores: part of the suite waits (the app on a pty at typing
# speed, Pilot's pauses), and one more worker fills those waits (README, "Speed").
WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))

.PHONY: run test lint typecheck check format bench schemas clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/guaranteekit

test: $(STAMP)
	$(BIN)/python -m pytest -n $(WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy

# What CI runs: the linters, the type checker and the whole suite.
check: lint typecheck test

format: $(STAMP)
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

schemas: $(RUN_STAMP)
	$(BIN)/guaranteekit schema -o schemas --force

bench: $(STAMP)
	for script in bench/bench_*.py; do $(BIN)/python "$$script" || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
