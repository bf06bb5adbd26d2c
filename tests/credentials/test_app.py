"""
The credentials app moved from xblocks/standing to xblocks/credentials; an installed site keeps its
label (so its tables and migration history), its URLs, and the names an old configuration may use.
"""
from importlib.metadata import entry_points

import pytest
from django.apps import AppConfig, apps
from django.urls import reverse

LABEL = "learning_citizen_credentials"


def test_the_installed_app_is_the_credentials_package():
    config = apps.get_app_config(LABEL)
    assert config.name == "xblocks.credentials"
    assert config.path.endswith("xblocks/credentials")
    assert config.models_module.__name__ == "xblocks.credentials.models"


@pytest.mark.parametrize("entry", [
    "xblocks.credentials",
    "xblocks.credentials.apps.CredentialsConfig",
    # What INSTALLED_APPS or a cached entry point named before the move.
    "xblocks.standing.apps.CredentialsConfig",
    "xblocks.standing",
])
def test_old_and_new_names_make_the_same_app(entry):
    config = AppConfig.create(entry)
    assert (config.label, config.name) == (LABEL, "xblocks.credentials")


@pytest.mark.parametrize("group", ["lms.djangoapp", "cms.djangoapp"])
def test_the_plugin_entry_point_names_the_credentials_app(group):
    found = {point.name: point for point in entry_points(group=group)}[LABEL]
    assert found.value == "xblocks.credentials.apps:CredentialsConfig"
    config = found.load()
    assert config.label == LABEL and config.plugin_app["url_config"]["lms.djangoapp"]["regex"] == r"^learning-citizen/credentials/"


def test_the_urls_are_unchanged():
    assert reverse("learning_citizen_credentials:issuer") == "/learning-citizen/credentials/issuer"
    assert reverse("learning_citizen_credentials:status", args=["5f2c1e4e-0000-4000-8000-000000000001"]) == \
        "/learning-citizen/credentials/status/5f2c1e4e-0000-4000-8000-000000000001"
