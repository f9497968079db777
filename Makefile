# The README's two commands: `make run` and `make test`. Everything else is a helper.
# Python 3.11, as pyproject.toml's requires-python says: python3.11, else python3 when it
# is 3.11. PYTHON=/path/to/python3.11 chooses another (it is checked too).
PYTHON_VERSION := 3.11
REQUIRES_PYTHON := $(shell sed -n 's/^requires-python = "\(.*\)"/\1/p' pyproject.toml)
version_of = $(or $(shell $(1) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null),none)
describe_python = $(subst none,not a Python that runs,$(call version_of,$(1)))
PYTHON ?= $(firstword $(foreach p,python$(PYTHON_VERSION) python3,\
	$(if $(filter $(PYTHON_VERSION),$(call version_of,$(p))),$(p))))
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)
# The same instance `dagster` commands use from a shell in this folder (.env).
export DAGSTER_HOME ?= $(abspath data/dagster_home)
# The published marts `make sql` opens (MARTS=/path/to/marts.duckdb for another).
MARTS ?= data/marts.duckdb
PORT ?= 3000

.PHONY: run test install manifest lint format ui ui-port-free docs docs-port-free sql resync sandbox bench clean
MANIFEST := dbt_project/target/dagster/manifest.json
DBT_SOURCES := $(shell find dbt_project -path dbt_project/target -prune -o -type f \
	\( -name '*.sql' -o -name '*.yml' -o -name '*.csv' -o -name '*.md' \) -print)

# A venv that could not be completed is removed: the next attempt starts afresh.
$(BIN)/uv:
	@test "$(call version_of,$(or $(PYTHON),false))" = $(PYTHON_VERSION) || { echo "make: Python\
	 $(PYTHON_VERSION) is needed (requires-python $(REQUIRES_PYTHON)), and $(if $(PYTHON),PYTHON=$(PYTHON)\
	 is $(call describe_python,$(PYTHON)),there is no python$(PYTHON_VERSION)\
	 and python3 is $(call describe_python,python3)): install it, or set PYTHON=/path/to/python$(PYTHON_VERSION)" >&2;\
	exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.8 \
		|| { rm -rf $(VENV); exit 1; }

$(VENV)/.installed: $(BIN)/uv requirements.lock pyproject.toml
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode --no-deps -e .
	touch $@

# With the instance folder, so `dagster` commands from a shell (.env) work right away.
install: $(VENV)/.installed $(DAGSTER_HOME)/dagster.yaml

# The dbt manifest the Dagster definitions read: prepared here, never on import.
$(MANIFEST): $(VENV)/.installed $(DBT_SOURCES)
	cd dbt_project && DBT_SEND_ANONYMOUS_USAGE_STATS=0 ../$(BIN)/dbt parse --quiet \
		--profiles-dir . --target-path target/dagster
	touch $@

manifest: $(MANIFEST)

# DAGSTER_INSTANCE=postgres: deploy/dagster.postgres.yaml (storage at $$DAGSTER_PG_URL) instead.
DAGSTER_INSTANCE_FILE = deploy/dagster$(addprefix .,$(DAGSTER_INSTANCE)).yaml

# Compared every time, so switching DAGSTER_INSTANCE copies the other file.
.PHONY: $(DAGSTER_HOME)/dagster.yaml
$(DAGSTER_HOME)/dagster.yaml: $(DAGSTER_INSTANCE_FILE)
	@mkdir -p $(DAGSTER_HOME)
	@cmp -s $< $@ || { echo "cp $< $@"; cp $< $@; }

run: install $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m pipeline.cli.run $(if $(V),--verbose)

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
docs: docs-port-free install $(MANIFEST)
	cd dbt_project && DBT_SEND_ANONYMOUS_USAGE_STATS=0 ../$(BIN)/dbt docs generate --quiet \
		--profiles-dir . --target-path target/docs
	@echo "dbt docs: http://127.0.0.1:$(DOCS_PORT)/ (Ctrl-C stops)"
	cd dbt_project && DBT_SEND_ANONYMOUS_USAGE_STATS=0 ../$(BIN)/dbt docs serve --no-browser \
		--profiles-dir . --target-path target/docs --host 127.0.0.1 --port $(DOCS_PORT)

resync: install $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m pipeline.cli.resync --yes

# `dagster dev` (dagster-dg-cli's `dg dev`, which it points to, is not installed); its
# "superseded" warning is silenced. A port in use is one line, before anything starts.
# The `warehouse` pool's limit is the backend's first (1 for the file, WAREHOUSE_WRITERS on DuckLake).
ui: ui-port-free install $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m pipeline.cli.pools
	PYTHONWARNINGS='ignore:Function `dev_command` is superseded' \
		$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p $(PORT)

# A port in use is one line before anything is installed or started (stdlib only).
PORT_CHECK = $(firstword $(wildcard $(BIN)/python) $(PYTHON) python3) scripts/check_port.py
ui-port-free:
	@$(PORT_CHECK) "$(PORT)" "choose another with make ui PORT=…"
docs-port-free:
	@$(PORT_CHECK) "$(DOCS_PORT)" "choose another with make docs DOCS_PORT=…"

# The published marts, read-only, in the DuckDB CLI (SQL on stdin works too).
sql:
	@test -f "$(MARTS)" || { echo "make sql: $(MARTS) is missing: run \`make run\` first" >&2; exit 1; }
	@$(BIN)/duckdb -readonly "$(MARTS)"

sandbox: install
	$(BIN)/python -m stripe_sandbox serve --port 12111

bench: install $(MANIFEST)
	$(BIN)/python bench/sandbox.py
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/transform.py

# Every piece of runtime state (README: "Where state lives") but the purge register:
# a purge stays in force, and the next run would otherwise bring the customer back.
clean:
	test ! -d data || find data -mindepth 1 -maxdepth 1 ! -name README.md ! -name purges -exec rm -rf {} +
	rm -rf dbt_project/target dbt_project/logs logs .tmp_dagster_home_*
	@test ! -d data/purges || echo "kept data/purges/ (the purge register; delete it by hand to forget purges)"
