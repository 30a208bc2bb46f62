# Kooperacja: bare `make` lints and tests. See README.md.
PYTHON ?= python3
PORT ?= 8501

.PHONY: all setup run dev-deps test test-deps lint format reliability soak

all: lint test

setup:  ## install the app and build the demo region
	$(PYTHON) -m pip install -q -r requirements.txt
	$(PYTHON) -m kooperacja demo

run:  ## start the app on http://localhost:$(PORT)
	$(PYTHON) -m streamlit run app.py --server.port=$(PORT) --browser.gatherUsageStats=false

dev-deps:  ## the pinned test and lint packages (requirements-dev.txt)
	$(PYTHON) -m pip install -q -r requirements-dev.txt

test-deps: dev-deps  ## test packages; Debian chromium (browser tests), LibreOffice Calc, Writer and Impress, poppler (pdftoppm)
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	test -e /usr/lib/libreoffice/program/scalc || (apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-calc)
	test -e /usr/lib/libreoffice/program/swriter || (apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-writer)
	command -v pdftoppm >/dev/null || (apt-get update -qq && apt-get install -y -qq poppler-utils)
	test -e /usr/lib/libreoffice/program/simpress || (apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-impress)

test: test-deps  ## the whole suite: doctests, unit, integration, page and browser tests (2 workers)
	$(PYTHON) -m pytest -n 2 --dist worksteal --durations=20

reliability:  ## the reliability and security tests alone, ending with their figures
	$(PYTHON) -m pytest tests/hostile tests/reliability tests/ui/test_reliability_app.py \
		tests/unit/test_login_throttle.py tests/integration/test_backup_schedule.py

soak: test-deps  ## the browser soak alone: 20 sessions, writes interleaved (KOOPERACJA_SOAK_SECONDS, 120)
	KOOPERACJA_SOAK_SECONDS=$${KOOPERACJA_SOAK_SECONDS:-120} $(PYTHON) -m pytest -s tests/e2e/test_soak_browser.py

lint: dev-deps  ## ruff, the import contracts (import-linter) and the types (mypy)
	$(PYTHON) -m ruff check kooperacja pages tests app.py
	$(PYTHON) -m ruff format --check kooperacja pages tests app.py
	$(PYTHON) -c "from importlinter.cli import lint_imports_command; lint_imports_command()"  # lint-imports, whatever PATH holds
	$(PYTHON) -m mypy kooperacja

format:
	$(PYTHON) -m ruff format kooperacja pages tests app.py
	$(PYTHON) -m ruff check --fix kooperacja pages tests app.py
