"""
Django settings for the standalone suite: the XBlock SDK workbench plus the criteria ledger.

Used by ``make demo``, the ``learning-citizen`` command outside an LMS, and the tests.
"""
import os
from pathlib import Path

from workbench.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import

from .database import database_settings

VAR_DIR = Path(os.environ.get("LEARNING_CITIZEN_VAR", "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DATABASES = {"default": database_settings()}

INSTALLED_APPS = list(INSTALLED_APPS) + [  # noqa: F405
    "openedx_events",
    "xblocks.ledger",
    "xblocks.reports",
    "xblocks.standing",
]

SECRET_KEY = os.environ.get("LEARNING_CITIZEN_SECRET_KEY", "learning-citizen-workbench-only")
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [str(Path(__file__).resolve().parent.parent / "conf" / "locale")]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Credentials: the demo signs with a key it generates under var/ (an LMS points at the operator's PEM).
ROOT_URLCONF = "xblocks.workbench.urls"
LEARNING_CITIZEN_CREDENTIALS = {
    "SIGNING_KEY_PATH": os.environ.get("LEARNING_CITIZEN_SIGNING_KEY", str(VAR_DIR / "credentials" / "issuer-ed25519.pem")),
    "GENERATE_KEY": "LEARNING_CITIZEN_SIGNING_KEY" not in os.environ,
    "BASE_URL": os.environ.get("LEARNING_CITIZEN_BASE_URL", "http://127.0.0.1:8000"),
}

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

# Evidence declarations (xblocks/evidence): its tables, a private storage for the uploaded files
# (outside MEDIA_ROOT, never served directly: downloads go through the block's permission-checked
# handler), and the workbench ?student= names that act as course staff (the workbench has no logins).
INSTALLED_APPS.append("xblocks.evidence")
STORAGES = {
    **globals().get("STORAGES", {}),
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "learning_citizen_evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "evidence"), "base_url": None},
    },
}
LEARNING_CITIZEN_WORKBENCH_COURSE_STAFF = ("staff", "reviewer")

# The digital-skills assessment (xblocks/skills_assessment): its table of submitted attempts.
INSTALLED_APPS.append("xblocks.skills_assessment")

# The Open edX event bus on Redis, only when LEARNING_CITIZEN_EVENT_BUS_REDIS_URL is set (docs/event-bus.md).
from .event_bus import event_bus_settings  # noqa: E402  pylint: disable=wrong-import-position

globals().update(event_bus_settings(os.environ, INSTALLED_APPS))
