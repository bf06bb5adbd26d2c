# Two commands on a fresh machine: `make demo` and `make test`. Everything else is a helper.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# The plain python3 here may be 3.11; find a real 3.12 (pyenv shims can exist without one).
PYTHON ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	$$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= xblocks.workbench.settings
MYSQL_URL ?= mysql://root@127.0.0.1:3306/test
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: venv demo test test-sqlite test-mariadb test-postgresql test-browser bench requirements clean

venv: $(STAMP)

$(STAMP): setup.py requirements/base.txt requirements/test.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 is required (python3.12 not found)" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/test.txt
	$(BIN)/pip install --quiet --no-deps -e .
	mkdir -p var
	touch $(STAMP)

demo: venv
	$(BIN)/learning-citizen demo --serve 127.0.0.1:8000

# The whole suite on SQLite, then the database-bound tests again on MariaDB and PostgreSQL as
# real servers (tests/conftest.py starts a server that is down).
test: venv test-sqlite test-mariadb test-postgresql

test-sqlite: venv
	$(BIN)/pytest

test-mariadb: venv
	LEARNING_CITIZEN_DATABASE_URL=$(MYSQL_URL) $(BIN)/pytest -m database

test-postgresql: venv
	LEARNING_CITIZEN_DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -m database

bench: venv
	$(BIN)/python -m tests.bench.run --output docs/benchmarks.md

# Re-pin requirements/*.txt from the *.in files (needs pip-tools).
requirements: venv
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras -o requirements/base.txt requirements/base.in
	$(BIN)/pip-compile --quiet --strip-extras -o requirements/test.txt requirements/base.in requirements/test.in

clean:
	rm -rf $(VENV) var build *.egg-info
