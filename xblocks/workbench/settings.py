"""
Django settings for the demo and the tests: the XBlock SDK workbench plus the suite's standalone
settings (:mod:`xblocks.standalone.settings`: apps, database, credentials, evidence storage).

Used by ``make demo``, ``learning-citizen demo --serve`` and the tests; needs the ``demo`` extra.
"""
import os
from pathlib import Path

from workbench.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import

from xblocks.standalone import settings as standalone
from xblocks.standalone.event_bus import event_bus_settings

VAR_DIR = standalone.VAR_DIR
DATABASES = standalone.DATABASES
# The suite's apps, and the workbench's own (completion tracking and stand-ins, installed at start).
INSTALLED_APPS = list(INSTALLED_APPS) + standalone.SUITE_APPS + ["xblocks.workbench.apps.WorkbenchSupportConfig"]  # noqa: F405

SECRET_KEY = standalone.SECRET_KEY
USE_TZ = standalone.USE_TZ
TIME_ZONE = standalone.TIME_ZONE
LANGUAGE_CODE = standalone.LANGUAGE_CODE
LANGUAGES = standalone.LANGUAGES
DEFAULT_AUTO_FIELD = standalone.DEFAULT_AUTO_FIELD
ROOT_URLCONF = "xblocks.workbench.urls"
LEARNING_CITIZEN_CREDENTIALS = standalone.LEARNING_CITIZEN_CREDENTIALS
LEARNING_CITIZEN_XAPI_HOME_PAGE = standalone.LEARNING_CITIZEN_XAPI_HOME_PAGE
LEARNING_CITIZEN_FRAMEWORK_DIRS = standalone.LEARNING_CITIZEN_FRAMEWORK_DIRS
STORAGES = {**globals().get("STORAGES", {}), **standalone.STORAGES}

# The SDK's page templates overridden by the workbench app's (xblocks/workbench/templates: a viewport,
# the page's language, a way to the report): the SDK lists its own in DIRS, which come before the apps'.
WORKBENCH_TEMPLATES = str(Path(__file__).resolve().parent / "templates")
TEMPLATES = [dict(engine, DIRS=[WORKBENCH_TEMPLATES, *engine.get("DIRS", [])],
                  OPTIONS={**engine.get("OPTIONS", {}), "context_processors": [
                      *engine.get("OPTIONS", {}).get("context_processors", []), "xblocks.workbench.pages.workbench_page"]})
             for engine in TEMPLATES]  # noqa: F405

# The workbench writes its log to var/; keep it there, whatever the working directory.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"file": {"class": "logging.FileHandler", "filename": str(VAR_DIR / "workbench.log")}},
    "root": {"handlers": ["file"], "level": "INFO"},
}

MIDDLEWARE = list(MIDDLEWARE)  # noqa: F405
if "django.middleware.locale.LocaleMiddleware" not in MIDDLEWARE:
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware"), "django.middleware.locale.LocaleMiddleware")
# A handler's form that Django refuses (too many fields, too large) is answered in the block's JSON, not an HTML page.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware"),
                  "xblocks.workbench.refusals.HandlerBodyLimitsMiddleware")

# The workbench has no logins: these ``?student=`` names act as course staff (xblocks/common/mixins.py).
LEARNING_CITIZEN_WORKBENCH_COURSE_STAFF = ("staff", "reviewer")

# The Open edX event bus on Redis, only when LEARNING_CITIZEN_EVENT_BUS_REDIS_URL is set (docs/event-bus.md).
globals().update(event_bus_settings(os.environ, INSTALLED_APPS))
