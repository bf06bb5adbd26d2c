"""
Django settings for the suite on its own: the ``learning-citizen`` command after a plain
``pip install learning-citizen-xblocks``, with no LMS and no XBlock SDK.

The database is SQLite under ./var unless LEARNING_CITIZEN_DATABASE_URL names another
(:mod:`.database`). The workbench settings (``xblocks.workbench.settings``, the demo and the tests)
are the XBlock SDK's settings plus :data:`SUITE_APPS` and the values below.
"""
import os
from pathlib import Path

from .database import database_settings
from .event_bus import event_bus_settings

VAR_DIR = Path(os.environ.get("LEARNING_CITIZEN_VAR", "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

# The suite's Django apps: in an LMS they come through the plugin entry points instead.
SUITE_APPS = [
    "openedx_events",
    "xblocks.ledger",
    "xblocks.reports",
    "xblocks.credentials",
    "xblocks.evidence",
    "xblocks.skills_assessment",
    "xblocks.relay",
]

DEBUG = False
# Outside the LMS, anonymous learner ids are keyed with this (xblocks.compat.anonymous_id): the command and the
# demo share it, so both show the same ids.
SECRET_KEY = os.environ.get("LEARNING_CITIZEN_SECRET_KEY", "learning-citizen-workbench-only")
DATABASES = {"default": database_settings()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", *SUITE_APPS]
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True, "OPTIONS": {}}]

USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]

# The operator's own criteria frameworks (a province's variant): directories separated by os.pathsep
# (":" on Linux), every *.json in them loaded beside the shipped frameworks (docs/admin-guide.md).
LEARNING_CITIZEN_FRAMEWORK_DIRS = [
    directory for directory in os.environ.get("LEARNING_CITIZEN_FRAMEWORK_DIRS", "").split(os.pathsep) if directory]

# The site's address, written into credentials (issuer, key and status list URLs) and xAPI
# statements; `demo --serve ADDR:PORT` sets it to its own address when unset (docs/credentials.md).
BASE_URL = os.environ.get("LEARNING_CITIZEN_BASE_URL") or "http://127.0.0.1:8000"
# The homePage of the xAPI actor accounts, when it differs from the site's address (docs/xapi.md).
LEARNING_CITIZEN_XAPI_HOME_PAGE = os.environ.get("LEARNING_CITIZEN_XAPI_HOME_PAGE") or BASE_URL

# Credentials: signed with a key generated under var/ unless LEARNING_CITIZEN_SIGNING_KEY names the
# operator's PEM (docs/credentials.md); EdDSA unless LEARNING_CITIZEN_SIGNING_ALGORITHM says RS256.
SIGNING_ALGORITHM = os.environ.get("LEARNING_CITIZEN_SIGNING_ALGORITHM") or "EdDSA"
LEARNING_CITIZEN_CREDENTIALS = {
    "SIGNING_KEY_PATH": os.environ.get("LEARNING_CITIZEN_SIGNING_KEY", str(VAR_DIR / "credentials" / (
        "issuer-rsa.pem" if SIGNING_ALGORITHM == "RS256" else "issuer-ed25519.pem"))),
    "SIGNING_ALGORITHM": SIGNING_ALGORITHM,
    "GENERATE_KEY": "LEARNING_CITIZEN_SIGNING_KEY" not in os.environ,
    "BASE_URL": BASE_URL,
}

# Evidence files: a private storage outside any served folder (downloads go through the block's
# permission-checked handler).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "learning_citizen_evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "evidence"), "base_url": None},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"file": {"class": "logging.FileHandler", "filename": str(VAR_DIR / "learning-citizen.log")}},
    "root": {"handlers": ["file"], "level": "INFO"},
}

# The Open edX event bus on Redis, only when LEARNING_CITIZEN_EVENT_BUS_REDIS_URL is set (docs/event-bus.md).
globals().update(event_bus_settings(os.environ, INSTALLED_APPS))
