"""Django app config for the credentials app, with Open edX plugin wiring."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "xblocks.credentials"
    label = "learning_citizen_credentials"
    verbose_name = _("Learning Citizen credentials")
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "url_config": {
            "lms.djangoapp": {
                "namespace": "learning_citizen_credentials",
                "regex": r"^learning-citizen/credentials/",
                "relative_path": "urls",
            },
        },
        "settings_config": {
            "lms.djangoapp": {"common": {"relative_path": "settings"}},
            "cms.djangoapp": {"common": {"relative_path": "settings"}},
        },
    }

    def ready(self):
        from . import receivers  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
