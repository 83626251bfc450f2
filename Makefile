# The two commands: `make run` (the bot) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install lint bench chat clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
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

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/bench_journeys.py
	$(BIN)/python bench/bench_images.py
	$(BIN)/python bench/bench_telegram.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
