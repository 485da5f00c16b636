# Wegweiser: `make run` and `make test` are all a fresh machine needs (Python >= 3.11 and make).
# Both install exactly what uv.lock lists: `make run` the bot and its sandbox, `make test` also the
# test tools. `make upgrade` is the only step that moves a version (see README, "Upgrades").

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# uv itself lives in its own small venv, installed by pip from hashes, so that `uv sync` (which
# removes what the lock does not list) never removes the tool that runs it.
UV_VENV := .uv
UV := $(UV_VENV)/bin/uv
# The bot's environment only: runtime packages and the sandbox's fake Bot API server.
RUN_STAMP := $(VENV)/.installed-run
# Runtime plus the test tools (pytest, ruff, hypothesis, jsonschema, pillow).
VENV_STAMP := $(VENV)/.installed-dev
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

.DEFAULT_GOAL := help
.PHONY: help run test faults lint format eval bench soak validate upgrade clean

help:
	@echo "make run     - start the bot (local sandbox chat when TELEGRAM_BOT_TOKEN is unset)"
	@echo "make test    - lint, translation check, catalogue check and the test suite"
	@echo "make eval    - search quality report on the evaluation set"
	@echo "make bench   - speed and memory benchmarks"
	@echo "make faults  - SIGKILL the real bot 50 times: lost and repeated answers"
	@echo "make soak    - 10 minutes at Telegram's rate limit: memory over time"
	@echo "make validate - check the catalogue (SERVICES_FILE, default services.yaml)"
	@echo "make upgrade - move uv.lock to the newest allowed versions, then run the tests"

$(UV): make/uv-requirements.txt
	test -x $(UV_VENV)/bin/python || $(PYTHON) -m venv $(UV_VENV)
	$(UV_VENV)/bin/python -m pip install --isolated --quiet --disable-pip-version-check --no-deps \
	  --require-hashes -r make/uv-requirements.txt
	touch $(UV)

$(RUN_STAMP): pyproject.toml uv.lock $(UV)
	$(UV) sync --quiet --locked --no-dev --extra sandbox
	rm -f $(VENV_STAMP)
	touch $(RUN_STAMP)

$(VENV_STAMP): pyproject.toml uv.lock $(UV)
	$(UV) sync --quiet --locked
	rm -f $(RUN_STAMP)
	touch $(VENV_STAMP)

run: $(RUN_STAMP)
	$(PY) -m bot run

validate: $(RUN_STAMP)
	$(PY) -m bot validate

lint: $(VENV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: $(VENV_STAMP) chromium lint i18n-check
	for catalogue in services.yaml catalogues/*.yaml; do \
	  $(PY) -m bot validate $$catalogue > /dev/null || exit 1; done
	$(PY) -m pytest -q -n auto

faults: $(VENV_STAMP)
	$(PY) -m pytest -q -s -m faults tests/test_faults.py

eval: $(VENV_STAMP)
	$(PY) -m bot eval

bench: $(VENV_STAMP)
	$(PY) bench/bench_catalogue.py
	$(PY) bench/bench_search.py
	$(PY) bench/bench_bot.py

soak: $(VENV_STAMP)
	$(PY) bench/bench_soak.py

upgrade: $(UV)
	$(UV) lock --upgrade
	$(MAKE) test
	@echo "uv.lock now holds the newest allowed versions and the tests pass: review 'git diff uv.lock', then commit it."

clean:
	rm -rf $(VENV) $(UV_VENV) .pytest_cache .ruff_cache .hypothesis

include make/i18n.mk
include make/chromium.mk
