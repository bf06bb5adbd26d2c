"""
Test set-up: the database named by LEARNING_CITIZEN_DATABASE_URL (SQLite by default) is started
if it is down, before Django connects to it.
"""
import os

import pytest

from tests.servers import ensure_server_for_url


def pytest_configure(config):
    ensure_server_for_url(os.environ.get("LEARNING_CITIZEN_DATABASE_URL", ""))


@pytest.fixture(autouse=True)
def english(settings):
    """Tests read messages in English unless they switch language themselves."""
    from django.utils import translation  # pylint: disable=import-outside-toplevel
    with translation.override("en"):
        yield
