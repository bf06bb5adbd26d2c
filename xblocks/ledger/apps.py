"""Django app config, with the plugin_app wiring that Open edX reads from the entry point."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Imported here, not in ready(): openedx-events checks EVENT_BUS_PRODUCER_CONFIG in its own
# ready(), and a custom signal must already be registered by then.
from . import signals  # noqa: F401  pylint: disable=unused-import


class LedgerConfig(AppConfig):
    name = "xblocks.ledger"
    label = "learning_citizen_ledger"
    verbose_name = _("Learning Citizen criteria ledger")
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "settings_config": {
            "lms.djangoapp": {
                "common": {"relative_path": "settings.common"},
                "production": {"relative_path": "settings.production"},
            },
            "cms.djangoapp": {
                "common": {"relative_path": "settings.common"},
                "production": {"relative_path": "settings.production"},
            },
        },
    }

    def ready(self):
        from django.core.signals import setting_changed  # pylint: disable=import-outside-toplevel

        from . import framework_dirs  # pylint: disable=import-outside-toplevel
        # Before anything reads a framework: a bad file of the operator's stops the start here.
        framework_dirs.load_operator_frameworks()
        setting_changed.connect(framework_dirs.reload_on_change, dispatch_uid="learning_citizen_framework_dirs")
        from . import receivers  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
        from . import course_rules  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
