# The two commands: `make run` (the bot) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PACKAGES := bot handlers backend storage states

.PHONY: run test install lint bench chat clean lock

# Installs exactly what requirements.lock pins, every file checked against its hash; then the
# project itself (editable, no further dependencies). `make lock` updates the lock.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

## run the bot: Telegram when TELEGRAM_BOT_TOKEN is set (env or .env), else the console chat
run: install
	$(BIN)/redeem-bot run

chat: install
	$(BIN)/redeem-bot chat

## run every test (unit, conversation, storage, backend, Telegram end to end)
test: install
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

## ruff (lint rules, then the format), then mypy over every package ([tool.mypy] in pyproject.toml)
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(PACKAGES)

bench: install
	$(BIN)/python bench/bench_journeys.py
	$(BIN)/python bench/bench_images.py
	$(BIN)/python bench/bench_telegram.py

## re-pin every dependency (newest versions allowed by pyproject.toml) with hashes
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra dev --generate-hashes --strip-extras --no-emit-index-url \
		--no-emit-find-links --output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
