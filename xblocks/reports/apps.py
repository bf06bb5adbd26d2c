"""
Django app config of the operations layer (exports, reports, membership, staff downloads, admin
actions, course rules, the ``learning_citizen`` command), with the plugin_app wiring Open edX reads
from the entry point.
"""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "xblocks.reports"
    label = "learning_citizen_reports"
    verbose_name = _("Learning Citizen membership and reports")
    default_auto_field = "django.db.models.BigAutoField"

    # In the LMS: staff download pages under /learning-citizen/reports/ (xblocks/reports/urls.py).
    # Studio gets the models and admin only.
    plugin_app = {
        "url_config": {
            "lms.djangoapp": {
                "namespace": "learning_citizen_reports",
                "regex": r"^learning-citizen/reports/",
                "relative_path": "urls",
            },
        },
    }

    def ready(self):
        # Course credit rules react to the platform's passing and certificate signals.
        from . import course_rules  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
