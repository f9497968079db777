# The README's two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)
export DAGSTER_HOME ?= $(abspath data/dagster_home)

.PHONY: run test install manifest lint format ui docs resync sandbox bench clean
MANIFEST := dbt_project/target/dagster/manifest.json
DBT_SOURCES := $(shell find dbt_project -path dbt_project/target -prune -o -type f \
	\( -name '*.sql' -o -name '*.yml' -o -name '*.csv' -o -name '*.md' \) -print)

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.8

$(VENV)/.installed: $(BIN)/uv requirements.lock pyproject.toml
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode --no-deps -e .
	touch $@

install: $(VENV)/.installed

# The dbt manifest the Dagster definitions read: prepared here, never on import.
$(MANIFEST): $(VENV)/.installed $(DBT_SOURCES)
	cd dbt_project && DBT_SEND_ANONYMOUS_USAGE_STATS=0 ../$(BIN)/dbt parse --quiet \
		--profiles-dir . --target-path target/dagster
	touch $@

manifest: $(MANIFEST)

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

run: install $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m pipeline.cli.run

lint: install
	$(BIN)/ruff format --check pipeline stripe_sandbox tests bench
	$(BIN)/ruff check pipeline stripe_sandbox tests bench
	$(BIN)/lint-imports
	$(BIN)/sqlfluff lint dbt_project/models dbt_project/macros dbt_project/tests

format: install
	$(BIN)/ruff format pipeline stripe_sandbox tests bench
	$(BIN)/ruff check --fix pipeline stripe_sandbox tests bench
	$(BIN)/sqlfluff fix dbt_project/models dbt_project/macros dbt_project/tests

test: lint $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m pytest

# dbt docs of every source, model and column, served on 127.0.0.1 (types from the
# warehouse `make run` built, when there is one).
DOCS_PORT ?= 8080
docs: install $(MANIFEST)
	cd dbt_project && DBT_SEND_ANONYMOUS_USAGE_STATS=0 ../$(BIN)/dbt docs generate --quiet \
		--profiles-dir . --target-path target/docs
	@echo "dbt docs: http://127.0.0.1:$(DOCS_PORT)/ (Ctrl-C stops)"
	cd dbt_project && DBT_SEND_ANONYMOUS_USAGE_STATS=0 ../$(BIN)/dbt docs serve --no-browser \
		--profiles-dir . --target-path target/docs --host 127.0.0.1 --port $(DOCS_PORT)

resync: install $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m pipeline.cli.resync --yes

ui: install $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

sandbox: install
	$(BIN)/python -m stripe_sandbox serve --port 12111

bench: install $(MANIFEST)
	$(BIN)/python bench/sandbox.py
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/transform.py

clean:
	rm -rf data/raw data/landing data/*.duckdb* data/sandbox data/dagster_home data/marts data/reports
