# Wegweiser: `make run` and `make test` are all a fresh machine needs.
# Both create .venv on first use and install the project with its test tools.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run test lint format eval bench validate clean

help:
	@echo "make run    - start the bot (local sandbox chat when TELEGRAM_BOT_TOKEN is unset)"
	@echo "make test   - lint, translation check, catalogue check and the test suite"
	@echo "make eval   - search quality report on the evaluation set"
	@echo "make bench  - speed and memory benchmarks"
	@echo "make validate - check services.yaml"

$(VENV_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(VENV_STAMP)

run: $(VENV_STAMP)
	$(PY) -m bot run

validate: $(VENV_STAMP)
	$(PY) -m bot validate services.yaml

lint: $(VENV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: $(VENV_STAMP) chromium lint i18n-check
	$(PY) -m bot validate services.yaml > /dev/null
	$(PY) -m pytest -q

eval: $(VENV_STAMP)
	$(PY) -m bot.evaluation

bench: $(VENV_STAMP)
	$(PY) bench/bench_catalogue.py
	$(PY) bench/bench_search.py
	$(PY) bench/bench_bot.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

include make/i18n.mk
include make/chromium.mk
