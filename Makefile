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

.PHONY: venv demo test translations ledger-translations reports-translations credentials-translations relay-translations xblock-translations compile-translations lint-imports test-sqlite test-mariadb test-postgresql test-browser screenshots bench requirements constraints clean \
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
test-$(1): venv-$(1) chromium axe-core
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

test-sqlite: venv chromium axe-core
	$(BIN)/pytest

test-browser: venv chromium axe-core
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

# axe-core, the accessibility checker the browser tests inject into every page (tests/browser/axe.py):
# from npm, at the version package-lock.json pins, into node_modules/.
.PHONY: axe-core
axe-core: node_modules/axe-core/axe.min.js
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The pictures of every view in docs/screenshots/ (<view>-<lang>-<width>.png) that the guides show:
# taken from the workbench in chromium, as the browser tests drive it.
screenshots: venv chromium axe-core
	LEARNING_CITIZEN_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q tests/browser/test_accessibility.py

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
	rm -rf .venv-* var build *.egg-info node_modules

# Message catalogues, Vietnamese and English. edx-i18n-tools extracts every message (`i18n_tool
# extract`, configured in conf/locale/config.yaml), each catalogue takes its messages from that by
# source file, keeps every existing translation, leaves new messages empty for a translator (the
# translation tests name them) and is compiled. Needs GNU gettext.
translations: ledger-translations reports-translations credentials-translations relay-translations xblock-translations

# One English template of the whole package, with locations, in var/i18n/messages.pot. i18n_tool
# runs Django's makemessages with the workbench settings, whose app overrides it to know the suite's
# markers (N_, translate: xblocks/workbench/management/commands/makemessages.py). makemessages
# writes an app's messages into that app's own locale/en/LC_MESSAGES/django.po and the rest into
# conf/locale/en: the apps' catalogues are kept aside and put back whatever happens, and xgettext
# joins the parts into one template (a message used in several parts keeps every location).
I18N_APPS := xblocks/ledger xblocks/reports xblocks/credentials xblocks/relay
I18N_TEMPLATE := var/i18n/messages.pot
$(I18N_TEMPLATE): venv
	rm -rf var/i18n conf/locale/en && mkdir -p var/i18n
	tar -cf var/i18n/catalogues.tar $(addsuffix /locale,$(I18N_APPS))
	PATH=$(CURDIR)/$(BIN):$$PATH LEARNING_CITIZEN_VAR=$(CURDIR)/var DJANGO_SETTINGS_MODULE=xblocks.workbench.settings \
		$(BIN)/i18n_tool extract --no-segment \
	&& for po in conf/locale/en/LC_MESSAGES/django.po $(addsuffix /locale/en/LC_MESSAGES/django.po,$(I18N_APPS)); do \
		msgattrib --no-obsolete -o var/i18n/$$(echo $$po | tr / -) $$po || exit 1; done \
	&& xgettext --sort-output -o $@ var/i18n/*-django.po; \
	status=$$?; tar -xf var/i18n/catalogues.tar; rm -rf conf/locale/en; exit $$status

# $(call catalogue,PO FILE,SOURCE FILES[,identity]): merge the template's messages found in SOURCE
# FILES into PO FILE, without locations, sorted (msggrep picks them by location: one --location a
# file); with "identity", every message reads as itself (msgen: English is the source language).
# A catalogue whose messages did not change is left as it is, creation date included.
source-files = $(shell find $(1) -type f -name '$(or $(2),*)' | sort)
define catalogue
	msggrep $(addprefix --location=,$(2)) -o $(1).pot $(I18N_TEMPLATE)
	msgmerge --quiet --no-fuzzy-matching --no-location --sort-output -o $(1).new $(1) $(1).pot
	msgattrib --no-obsolete --no-location --sort-output -o $(1).new $(1).new
	$(if $(3),msgen --no-location --sort-output -o $(1).new $(1).new)
	if diff -q -I '^"POT-Creation-Date: ' $(1) $(1).new >/dev/null; then rm $(1).new; else mv $(1).new $(1); fi
	rm $(1).pot
endef

# $(call django-catalogue,APP DIRECTORY,SOURCE FILES): the Django catalogue in
# <app>/locale/<lang>/LC_MESSAGES/django.po.
define django-catalogue
	$(call catalogue,$(1)/locale/vi/LC_MESSAGES/django.po,$(2))
	$(call catalogue,$(1)/locale/en/LC_MESSAGES/django.po,$(2))
endef

# The ledger's and criteria core's messages (Python and the ledger's admin template), in
# xblocks/ledger/locale: Django finds them there in the LMS too.
ledger-translations: $(I18N_TEMPLATE)
	$(call django-catalogue,xblocks/ledger,$(call source-files,xblocks/criteria,*.py) $(call source-files,xblocks/ledger))
	$(MAKE) compile-translations

# The operations layer, the reports app (exports, membership, reports, staff downloads, the
# learning_citizen command and the console script around it).
reports-translations: $(I18N_TEMPLATE)
	$(call django-catalogue,xblocks/reports,$(call source-files,xblocks/reports) xblocks/cli.py)
	$(MAKE) compile-translations

# The credentials app (keys, credentials, status lists, verification) in xblocks/credentials/locale.
credentials-translations: $(I18N_TEMPLATE)
	$(call django-catalogue,xblocks/credentials,$(call source-files,xblocks/credentials))
	$(MAKE) compile-translations

# The relay app (the credit_relay command, its tables) in xblocks/relay/locale.
relay-translations: $(I18N_TEMPLATE)
	$(call django-catalogue,xblocks/relay,$(call source-files,xblocks/relay))
	$(MAKE) compile-translations

compile-translations:
	for po in $$(find xblocks -name '*.po'); do msgfmt --check -o $${po%.po}.mo $$po; done

# One catalogue for every block, in xblocks/translations/<lang>/LC_MESSAGES/text.po, domain "text":
# the LMS's i18n service looks an XBlock's catalogue up by the top-level module of its class
# (xblocks), so the four blocks and the workbench's stand-ins share it. Sources: every Python file
# of the block packages (not their Django templates), and the shared read-only message in
# xblocks/common. English reads as itself.
XBLOCK_CATALOGUE := xblocks/translations
XBLOCK_I18N_PACKAGES ?= xblocks/completion_credit xblocks/workbench xblocks/evidence xblocks/skills_assessment xblocks/standing
XBLOCK_I18N_MODULES ?= xblocks/common/mixins.py
xblock-translations: $(I18N_TEMPLATE)
	$(call catalogue,$(XBLOCK_CATALOGUE)/vi/LC_MESSAGES/text.po,$(call source-files,$(XBLOCK_I18N_PACKAGES),*.py) $(XBLOCK_I18N_MODULES))
	$(call catalogue,$(XBLOCK_CATALOGUE)/en/LC_MESSAGES/text.po,$(call source-files,$(XBLOCK_I18N_PACKAGES),*.py) $(XBLOCK_I18N_MODULES),identity)
	$(MAKE) compile-translations
