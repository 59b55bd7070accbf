# fikir: `make run` starts the service on an embedded SQLite store; `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck i18n unit demo chat clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(BIN)/fikir i18n compile > /dev/null
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/fikir db upgrade
	$(BIN)/fikir run

test: $(STAMP) lint typecheck i18n unit

lint: $(STAMP)
	$(BIN)/ruff check fikir tests bench
	$(BIN)/ruff format --check fikir tests bench

typecheck: $(STAMP)
	$(BIN)/mypy --strict fikir

i18n: $(STAMP)
	$(BIN)/fikir i18n compile > /dev/null
	$(BIN)/fikir i18n check

unit: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider

demo: $(STAMP)
	$(BIN)/fikir demo

chat: $(STAMP)
	$(BIN)/fikir chat

clean:
	rm -rf $(VENV) var demo-out .mypy_cache .ruff_cache .pytest_cache
