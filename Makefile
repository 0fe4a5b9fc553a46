# Breakroom — every target creates the environment it needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= data
PG_URL ?= postgres://postgres@127.0.0.1:5432/breakroom

export BREAKROOM_DATA_DIR ?= $(CURDIR)/$(DATA_DIR)

.PHONY: demo test test-sqlite test-postgres serve lint bench lock messages clean bundle engine

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Breakroom needs Python 3.12 or newer; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The browser bundle (frontend/): `npm ci` only when the lock file changed, esbuild
# when the source did. node and npm come from the pinned Python dependencies.
TOKENS_JS := src/breakroom/core/static/breakroom/tokens.js

frontend/node_modules/.package-lock.json: frontend/package-lock.json | $(STAMP)
	cd frontend && ../$(BIN)/npm ci --silent

$(TOKENS_JS): frontend/src/tokens.js frontend/package.json frontend/node_modules/.package-lock.json
	cd frontend && ../$(BIN)/npm run --silent build

bundle: $(TOKENS_JS)

# The diary rules engine compiled with mypyc (tools/compile_engine.py): an extension module
# beside rules.py, which Python imports instead, and mypyc's shared library (the files
# engine_build.compiled_files() lists). Rebuilt when rules.py or text.py (whose types it
# is compiled against) changes or a compiled file is missing; where compiling fails the
# script says so, deletes them, and the pure-Python source runs.
EXT_SUFFIX := $(shell $(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON)) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
ENGINE_SOURCES := src/breakroom/diary/rules.py src/breakroom/diary/text.py
ENGINE_BUILT := src/breakroom/diary/rules$(EXT_SUFFIX) src/breakroom/diary/text$(EXT_SUFFIX) src/breakroom_diary__mypyc$(EXT_SUFFIX)

$(ENGINE_BUILT) &: $(ENGINE_SOURCES) tools/compile_engine.py src/breakroom/diary/engine_build.py $(STAMP)
	$(BIN)/python tools/compile_engine.py

engine: $(ENGINE_BUILT)

# Front-end assets: compiled translations and the collected static files.
assets: $(STAMP) $(TOKENS_JS)
	$(BIN)/breakroom compilemessages --ignore '.venv' -v 0
	$(BIN)/breakroom collectstatic --no-input -v 0

demo: assets engine
	$(BIN)/breakroom demo

serve: assets engine
	$(BIN)/breakroom migrate --no-input -v 0
	$(BIN)/breakroom serve

test: $(STAMP) $(TOKENS_JS) engine lint
	$(BIN)/breakroom compilemessages --ignore '.venv' -v 0
	$(BIN)/python tools/run_tests.py

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy src tests bench tools

bench: assets engine
	$(BIN)/python bench/run.py --database-url $(PG_URL)_bench
	$(BIN)/python bench/reports.py --database-url $(PG_URL)_bench_reports
	$(BIN)/python bench/pulse.py --database-url $(PG_URL)_bench_pulse
	$(BIN)/python bench/diary.py --worker-years 2000
	$(BIN)/python bench/diary.py --worker-years 2000 --pure

# Re-pin every dependency (needs network access to the package index).
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.12 --no-header -o requirements.lock

# Refresh the translation catalogues after changing user-facing strings.
messages: $(STAMP)
	cd src/breakroom && ../../$(BIN)/breakroom makemessages -l pl -l ro --no-obsolete --no-location --ignore 'tests/*'

clean:
	rm -rf $(VENV) $(DATA_DIR) build $(ENGINE_BUILT) src/breakroom/diary/*.so
