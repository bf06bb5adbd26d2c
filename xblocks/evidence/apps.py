"""Django app config for the declarations' tables, with the plugin_app wiring Open edX reads."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "xblocks.evidence"
    label = "learning_citizen_evidence"
    verbose_name = _("Learning Citizen evidence declarations")
    default_auto_field = "django.db.models.BigAutoField"

    # In the LMS: the reviewer's desk across courses at /learning-citizen/evidence/desk (xblocks/evidence/urls.py).
    # Everything else goes through the block's handlers.
    plugin_app = {
        "url_config": {
            "lms.djangoapp": {
                "namespace": "learning_citizen_evidence",
                "regex": r"^learning-citizen/evidence/",
                "relative_path": "urls",
            },
        },
    }

    def ready(self):
        # The standing page names declarations and their files through this directory.
        from xblocks.common import places  # pylint: disable=import-outside-toplevel
        from .names import EvidenceDirectory  # pylint: disable=import-outside-toplevel
        places.register(EvidenceDirectory())
