# The two commands a newcomer needs: `make run` and `make test` (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The one public address (QR codes, posters, the scan page's 如何辨别真伪, feeds, canonical links):
# where this server answers, unless given. HOST=0.0.0.0 listens on every interface and is no
# address a phone can open: then the machine's address on the local network is used instead.
LAN_ADDRESS = $(shell $(PYTHON) -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.connect(("192.0.2.1", 9)); print(s.getsockname()[0])' 2>/dev/null || echo 127.0.0.1)
PORTAL_BASE_URL ?= http://$(if $(filter 0.0.0.0,$(HOST)),$(LAN_ADDRESS),$(HOST)):$(PORT)
export PORTAL_BASE_URL

.PHONY: run test install install-dev migrate demo serve lint format check collectstatic clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11 ($(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# Beside the web server, the worker that runs uploaded imports (admin → 导入) in the background;
# it stops with the server. Without --no-reload its reloader would outlive the kill.
serve: install
	@echo "公开网址（二维码、海报、RSS 所用）：$(PORTAL_BASE_URL)/"
	$(BIN)/python manage.py db_worker --backend imports --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make run: set up, migrate, load demo data and serve on http://127.0.0.1:8000/
## (make run PORT=8001; on the local network: make run HOST=0.0.0.0, see README)
run: demo serve

## make test: set up and run every test (DATABASE_URL picks PostgreSQL instead of SQLite)
test: install-dev
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

collectstatic: install
	DJANGO_SETTINGS_MODULE=portal.settings.production \
		SECRET_KEY=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))") \
		$(BIN)/python manage.py collectstatic --noinput

clean:
	rm -rf $(VENV) staticfiles .test-media .test-db.sqlite3 .pytest_cache .ruff_cache

## make prod-check: the production shape on this machine (PostgreSQL, Redis and wrk needed):
## two gunicorn servers of 4 workers, each check printed with OK or MISSED (README → Deployment).
## make prod-check ROWS=1000000 for the issue's size; ARGS="--json" for one line of JSON.
.PHONY: prod-check
prod-check: install
	$(BIN)/python bench/prod_check.py --rows $(or $(ROWS),20000) $(ARGS)
