# Two commands on a fresh machine: `make demo` and `make test`. Everything else is a helper.
SHELL := /bin/bash

# Every Open edX release line in use gets its own test environment, installed with that line's
# platform pins as constraints (requirements/constraints/<line>.txt): Ulmo runs Python 3.11,
# Verawood 3.12. `make test` runs the whole suite in both.
LINES := ulmo verawood
PYTHON_VERSION_ulmo := 3.11
PYTHON_VERSION_verawood := 3.12
# A real interpreter of version $(1): pyenv shims can exist without one behind them.
find_python = $(shell for p in python$(1) $$HOME/.pyenv/versions/$(1).*/bin/python$(1) /usr/local/bin/python$(1) /usr/bin/python$(1); do \
	$$p -c 'import sys; sys.exit("%d.%d" % sys.version_info[:2] != "$(1)")' 2>/dev/null && { echo $$p; break; }; done)
PYTHON_ulmo ?= $(call find_python,$(PYTHON_VERSION_ulmo))
PYTHON_verawood ?= $(call find_python,$(PYTHON_VERSION_verawood))

# The line the demo, the benchmark and the one-part helpers below use: the newest one this machine can run.
LINE ?= $(if $(PYTHON_verawood),verawood,ulmo)
VENV := .venv-$(LINE)
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE ?= xblocks.workbench.settings
MYSQL_URL ?= mysql://root@127.0.0.1:3306/test
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: venv demo test lint-imports test-sqlite test-mariadb test-postgresql test-browser bench requirements constraints clean \
	$(addprefix venv-,$(LINES)) $(addprefix test-,$(LINES))

venv: venv-$(LINE)

# .venv-<line>: the line's pinned test environment (requirements/<line>.txt, compiled against the
# line's constraints) and the package itself, editable.
define line-venv
venv-$(1): .venv-$(1)/.installed

.venv-$(1)/.installed: setup.py requirements/$(1).txt requirements/constraints/$(1).txt
	@test -n "$$(PYTHON_$(1))" || { echo "The $(1) line needs Python $$(PYTHON_VERSION_$(1)) (python$$(PYTHON_VERSION_$(1)) not found)" >&2; exit 1; }
	@$$(MAKE) --no-print-directory mariadb-headers
	test -x .venv-$(1)/bin/python || $$(PYTHON_$(1)) -m venv .venv-$(1)
	.venv-$(1)/bin/pip install --quiet --upgrade pip
	.venv-$(1)/bin/pip install --quiet -r requirements/$(1).txt -c requirements/constraints/$(1).txt
	.venv-$(1)/bin/pip install --quiet --no-deps -e .
	mkdir -p var
	touch $$@

# The layers (import-linter's contracts in .importlinter: nothing imports upward), the whole suite
# on SQLite (browser tests included), then the database-bound tests on MariaDB (what Open edX runs)
# and PostgreSQL as real servers (tests/conftest.py starts a server that is down).
test-$(1): export LEARNING_CITIZEN_RELEASE_LINE := $(1)
test-$(1): venv-$(1) chromium
	.venv-$(1)/bin/lint-imports
	.venv-$(1)/bin/pytest
	LEARNING_CITIZEN_DATABASE_URL=$$(MYSQL_URL) .venv-$(1)/bin/pytest -m database
	LEARNING_CITIZEN_DATABASE_URL=$$(POSTGRES_URL) .venv-$(1)/bin/pytest -m database
endef
$(foreach line,$(LINES),$(eval $(call line-venv,$(line))))

demo: venv
	# Only the suite's scenarios: the SDK's own sample blocks would crowd the workbench's list.
	EXCLUDE_SAMPLE_XBLOCKS=yes $(BIN)/learning-citizen demo --serve 127.0.0.1:8000

test: $(addprefix test-,$(LINES))

# One part of `make test`, on one line (LINE=ulmo or verawood).
lint-imports: venv
	$(BIN)/lint-imports

test-sqlite: venv chromium
	$(BIN)/pytest

test-browser: venv chromium
	$(BIN)/pytest -m browser

test-mariadb: venv
	LEARNING_CITIZEN_DATABASE_URL=$(MYSQL_URL) $(BIN)/pytest -m database

test-postgresql: venv
	LEARNING_CITIZEN_DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -m database

# Browser tests drive Debian's chromium (Playwright never downloads a browser here): install it when
# it is missing. Needs root, as on the project's machines; waits for another apt run to finish.
CHROMIUM := /usr/bin/chromium
.PHONY: chromium
chromium:
	@test -x $(CHROMIUM) || { \
		apt-get -o DPkg::Lock::Timeout=600 update && \
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y chromium; }

# mysqlclient (the MariaDB driver edx-platform uses, in the test requirements) compiles against
# MariaDB Connector/C: install its headers when pkg-config cannot find them (Debian, needs root).
.PHONY: mariadb-headers
mariadb-headers:
	@pkg-config --exists mariadb 2>/dev/null || pkg-config --exists mysqlclient 2>/dev/null || { \
		apt-get -o DPkg::Lock::Timeout=600 update && \
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y libmariadb-dev pkg-config; }

bench: venv
	$(BIN)/python -m tests.bench.run --output docs/benchmarks.md

# Re-pin requirements/<line>.txt from the *.in files and the line's constraints, on the line's own
# Python (needs pip-tools, installed into each environment); and tutor-<line>.txt, the Tutor that
# the plugin test installs into a virtualenv of its own (tests/deploy/tutor_venv.py), without the
# line's constraints: Tutor's click requirement refuses the platform's click pin.
PIP_COMPILE_OPTIONS := --quiet --strip-extras --no-emit-index-url --no-emit-find-links
requirements: $(addprefix venv-,$(LINES))
	for line in $(LINES); do \
		.venv-$$line/bin/pip install --quiet pip-tools && \
		(cd requirements && ../.venv-$$line/bin/pip-compile $(PIP_COMPILE_OPTIONS) -o $$line.txt $$line.in && \
			../.venv-$$line/bin/pip-compile $(PIP_COMPILE_OPTIONS) -o tutor-$$line.txt tutor-$$line.in) || exit 1; \
	done

# Refresh a line's constraints from the platform's own pins: LINE=ulmo PLATFORM_BASE=<edx-platform
# checkout at the release>/requirements/edx/base.txt PLATFORM_SOURCE="openedx/edx-platform@<commit> (…)".
# Then `make requirements` re-pins the test environments within them.
constraints:
	@test -n "$(PLATFORM_BASE)" -a -n "$(PLATFORM_SOURCE)" || { echo "usage: make constraints LINE=ulmo PLATFORM_BASE=path/to/base.txt PLATFORM_SOURCE='repo@commit (…)'" >&2; exit 1; }
	python3 requirements/platform_pins.py $(LINE) --base $(PLATFORM_BASE) --source "$(PLATFORM_SOURCE)"

clean:
	rm -rf .venv-* var build *.egg-info

# Message catalogues, Vietnamese and English. Each target re-extracts its messages (N_ included),
# keeps every existing translation, leaves new messages empty for a translator (the translation
# tests name them) and compiles. Needs GNU gettext.
translations: ledger-translations reports-translations credentials-translations xblock-translations

XGETTEXT := xgettext --language=Python --from-code=UTF-8 --no-location --sort-output --keyword=N_ --keyword=_ \
	--keyword=gettext --keyword=gettext_lazy --keyword=ngettext:1,2

# $(call django-catalogue,APP DIRECTORY,PYTHON SOURCES): the Django catalogue in
# <app>/locale/<lang>/LC_MESSAGES/django.po, from the given Python and the app's templates.
# makemessages (for the templates) rewrites the .po without the Python messages, so the .po is
# put back and merged with the whole template.
define django-catalogue
	mkdir -p var/i18n
	$(XGETTEXT) -o var/i18n/python.pot $(2)
	for lang in vi en; do cp $(1)/locale/$$lang/LC_MESSAGES/django.po var/i18n/django-$$lang.po; done
	cd $(1) && LEARNING_CITIZEN_VAR=$(CURDIR)/var DJANGO_SETTINGS_MODULE=xblocks.workbench.settings $(CURDIR)/$(BIN)/django-admin \
		makemessages --locale vi --keep-pot --no-location --extension html --ignore '*.py'
	# makemessages writes no template when the app has no templates with messages (the credentials app).
	if [ -f $(1)/locale/django.pot ]; then \
		msgcat --use-first --sort-output -o var/i18n/django.pot var/i18n/python.pot $(1)/locale/django.pot && rm $(1)/locale/django.pot; \
	else cp var/i18n/python.pot var/i18n/django.pot; fi
	for lang in vi en; do \
		po=$(1)/locale/$$lang/LC_MESSAGES/django.po; \
		cp var/i18n/django-$$lang.po $$po && \
		msgmerge --quiet --backup=none --no-fuzzy-matching --no-location --sort-output -U $$po var/i18n/django.pot && \
		msgattrib --no-obsolete --no-location --sort-output -o $$po $$po || exit 1; \
	done
endef

# $(call xblock-catalogue,CATALOGUE DIRECTORY,PYTHON SOURCES): the XBlock catalogue in
# <directory>/<lang>/LC_MESSAGES/text.po, domain "text". Blocks' messages are also marked with
# translate() (the standing block's name for its translator).
define xblock-catalogue
	mkdir -p var/i18n
	$(XGETTEXT) --keyword=translate -o var/i18n/text.pot $(2)
	for lang in vi en; do \
		po=$(1)/$$lang/LC_MESSAGES/text.po; \
		mkdir -p $$(dirname $$po); \
		if [ -f $$po ]; then \
			msgmerge --quiet --backup=none --no-fuzzy-matching --no-location --sort-output -U $$po var/i18n/text.pot && \
			msgattrib --no-obsolete --no-location --sort-output -o $$po $$po || exit 1; \
		else \
			msginit --no-translator --locale=$$lang --input=var/i18n/text.pot --output-file=$$po || exit 1; \
		fi; \
	done
	# English is the source language: every English message reads as itself.
	msgen --no-location --sort-output -o $(1)/en/LC_MESSAGES/text.po $(1)/en/LC_MESSAGES/text.po
endef

# The ledger's and criteria core's messages, in xblocks/ledger/locale: Django finds them there in
# the LMS too.
ledger-translations: venv
	$(call django-catalogue,xblocks/ledger,$$(git ls-files 'xblocks/criteria/*.py' 'xblocks/ledger/*.py'))
	$(MAKE) compile-translations

# The operations layer, the reports app (exports, membership, reports, staff downloads, the
# learning_citizen command and the console script around it).
reports-translations: venv
	$(call django-catalogue,xblocks/reports,$$(git ls-files 'xblocks/reports/*.py') xblocks/cli.py)
	$(MAKE) compile-translations

# The credentials app (keys, credentials, status lists, verification) in xblocks/credentials/locale.
credentials-translations: venv
	$(call django-catalogue,xblocks/credentials,xblocks/credentials/*.py)
	$(MAKE) compile-translations

compile-translations:
	for po in $$(find xblocks -name '*.po'); do msgfmt --check -o $${po%.po}.mo $$po; done

# One catalogue for every block, in xblocks/translations: the LMS's i18n service looks an XBlock's
# catalogue up by the top-level module of its class (xblocks), so the four blocks and the
# workbench's stand-ins share it. Sources: every Python file of the block packages, and the
# shared read-only message in xblocks/common.
XBLOCK_CATALOGUE := xblocks/translations
XBLOCK_I18N_PACKAGES ?= xblocks/completion_credit xblocks/workbench xblocks/evidence xblocks/skills_assessment xblocks/standing
XBLOCK_I18N_MODULES ?= xblocks/common/mixins.py
xblock-translations:
	$(call xblock-catalogue,$(XBLOCK_CATALOGUE),$$(find $(XBLOCK_I18N_PACKAGES) -name '*.py' | sort) $(XBLOCK_I18N_MODULES))
	$(MAKE) compile-translations
