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
]

SECRET_KEY = os.environ.get("LEARNING_CITIZEN_SECRET_KEY", "learning-citizen-workbench-only")
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [str(Path(__file__).resolve().parent.parent / "conf" / "locale")]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
