# fikir: `make run` starts the service on an embedded SQLite store; `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck i18n unit demo chat clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "fikir needs Python 3.11 or newer ($(PYTHON) is older); set PYTHON=python3.x"; exit 1; }
	@test -x $(BIN)/python || { echo "== Creating $(VENV) (a private Python environment for fikir)"; \
		$(PYTHON) -m venv $(VENV); }
	@echo "== Installing fikir and its dependencies into $(VENV) (about a minute the first time)"
	@$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@echo "== Compiling the translations"
	@$(BIN)/fikir i18n compile > /dev/null
	@touch $(STAMP)
	@echo "== Set up: $(VENV) is ready"

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
	$(BIN)/pytest -q -p no:cacheprovider --durations=15

demo: $(STAMP)
	$(BIN)/fikir demo

chat: $(STAMP)
	$(BIN)/fikir chat

clean:
	rm -rf $(VENV) var demo-out .mypy_cache .ruff_cache .pytest_cache
