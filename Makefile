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

.PHONY: translations xblock-translations reports-translations compile-translations venv demo test test-sqlite test-mariadb test-postgresql test-browser bench requirements clean

venv: $(STAMP)

$(STAMP): setup.py requirements/base.txt requirements/test.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 is required (python3.12 not found)" >&2; exit 1; }
	@$(MAKE) --no-print-directory mariadb-headers
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/test.txt
	$(BIN)/pip install --quiet --no-deps -e .
	mkdir -p var
	touch $(STAMP)

demo: venv
	# Only the suite's scenarios: the SDK's own sample blocks would crowd the workbench's list.
	EXCLUDE_SAMPLE_XBLOCKS=yes $(BIN)/learning-citizen demo --serve 127.0.0.1:8000

# The whole suite on SQLite, then the database-bound tests again on MariaDB and PostgreSQL as
# real servers (tests/conftest.py starts a server that is down).
test: venv test-sqlite test-mariadb test-postgresql

test-sqlite: venv chromium
	$(BIN)/pytest

# Browser tests drive Debian's chromium (Playwright never downloads a browser here): install it when
# it is missing. Needs root, as on the project's machines; waits for another apt run to finish.
CHROMIUM := /usr/bin/chromium
.PHONY: chromium
chromium:
	@test -x $(CHROMIUM) || { \
		apt-get -o DPkg::Lock::Timeout=600 update && \
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y chromium; }

# mysqlclient (the MariaDB driver edx-platform uses, in requirements/test.txt) compiles against
# MariaDB Connector/C: install its headers when pkg-config cannot find them (Debian, needs root).
.PHONY: mariadb-headers
mariadb-headers:
	@pkg-config --exists mariadb 2>/dev/null || pkg-config --exists mysqlclient 2>/dev/null || { \
		apt-get -o DPkg::Lock::Timeout=600 update && \
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y libmariadb-dev pkg-config; }

test-browser: venv chromium
	$(BIN)/pytest -m browser

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

# Re-extract the ledger's and criteria core's messages into xblocks/ledger/locale (Django finds them
# there in the LMS too), keep existing translations, and compile. Needs GNU gettext.
LEDGER_LOCALE := xblocks/ledger/locale
translations: venv
	mkdir -p var/i18n
	xgettext --language=Python --from-code=UTF-8 --no-location --sort-output --keyword=N_ --keyword=_ \
		--keyword=gettext --keyword=gettext_lazy --keyword=ngettext:1,2 -o var/i18n/python.pot \
		$$(git ls-files 'xblocks/criteria/*.py' 'xblocks/ledger/*.py' xblocks/cli.py)
	cd xblocks/ledger && LEARNING_CITIZEN_VAR=$(CURDIR)/var DJANGO_SETTINGS_MODULE=xblocks.workbench.settings ../../$(BIN)/django-admin makemessages \
		--locale vi --locale en --no-location --no-obsolete --extension html --ignore '*.py'
	for lang in vi en; do \
		msgcat --use-first --sort-output -o $(LEDGER_LOCALE)/$$lang/LC_MESSAGES/django.pot \
			$(LEDGER_LOCALE)/$$lang/LC_MESSAGES/django.po var/i18n/python.pot && \
		msgmerge --quiet --backup=none --no-fuzzy-matching --no-location --sort-output -U $(LEDGER_LOCALE)/$$lang/LC_MESSAGES/django.po \
			$(LEDGER_LOCALE)/$$lang/LC_MESSAGES/django.pot && \
		rm $(LEDGER_LOCALE)/$$lang/LC_MESSAGES/django.pot; \
	done
	$(MAKE) compile-translations

compile-translations:
	for po in $$(find xblocks -name '*.po'); do msgfmt --check -o $${po%.po}.mo $$po; done

# Each XBlock package (and the workbench's stand-in blocks) keeps its own catalogue in
# <package>/translations/<lang>/LC_MESSAGES/text.po, domain "text", where Open edX looks for an
# XBlock's translations. Re-extract the messages, keep the translations, compile. Needs GNU gettext.
XBLOCK_I18N_PACKAGES ?= xblocks/completion_credit xblocks/workbench xblocks/evidence xblocks/skills_assessment
xblock-translations:
	mkdir -p var/i18n
	for package in $(XBLOCK_I18N_PACKAGES); do \
		name=$$(basename $$package); \
		xgettext --language=Python --from-code=UTF-8 --no-location --sort-output --keyword=N_ --keyword=_ \
			--keyword=gettext --keyword=gettext_lazy --keyword=ngettext:1,2 -o var/i18n/$$name.pot $$(find $$package -name '*.py' | sort) || exit 1; \
		for lang in vi en; do \
			po=$$package/translations/$$lang/LC_MESSAGES/text.po; \
			mkdir -p $$(dirname $$po); \
			if [ -f $$po ]; then \
				msgmerge --quiet --backup=none --no-fuzzy-matching --no-location --sort-output -U $$po var/i18n/$$name.pot && \
				msgattrib --no-obsolete --no-location --sort-output -o $$po $$po || exit 1; \
			else \
				msginit --no-translator --locale=$$lang --input=var/i18n/$$name.pot --output-file=$$po || exit 1; \
			fi; \
		done; \
	done
	$(MAKE) compile-translations

# The reports app (membership, reports, staff downloads) keeps its own catalogue in
# xblocks/reports/locale: messages from its Python (N_ included) and its templates.
REPORTS_LOCALE := xblocks/reports/locale
reports-translations: venv
	mkdir -p var/i18n $(REPORTS_LOCALE)/vi/LC_MESSAGES $(REPORTS_LOCALE)/en/LC_MESSAGES
	xgettext --language=Python --from-code=UTF-8 --no-location --sort-output --keyword=N_ --keyword=_ \
		--keyword=gettext --keyword=gettext_lazy --keyword=ngettext:1,2 -o var/i18n/reports.pot xblocks/reports/*.py
	cd xblocks/reports && LEARNING_CITIZEN_VAR=$(CURDIR)/var DJANGO_SETTINGS_MODULE=xblocks.workbench.settings ../../$(BIN)/django-admin makemessages \
		--locale vi --locale en --no-location --no-obsolete --extension html --ignore '*.py'
	for lang in vi en; do \
		msgcat --use-first --sort-output -o $(REPORTS_LOCALE)/$$lang/LC_MESSAGES/django.pot \
			$(REPORTS_LOCALE)/$$lang/LC_MESSAGES/django.po var/i18n/reports.pot && \
		msgmerge --quiet --backup=none --no-fuzzy-matching --no-location --sort-output -U $(REPORTS_LOCALE)/$$lang/LC_MESSAGES/django.po \
			$(REPORTS_LOCALE)/$$lang/LC_MESSAGES/django.pot && \
		rm $(REPORTS_LOCALE)/$$lang/LC_MESSAGES/django.pot; \
	done
	$(MAKE) compile-translations
