"""Django app config for the assessment's tables (attempts), with the Open edX plugin wiring."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "xblocks.skills_assessment"
    label = "learning_citizen_assessment"
    verbose_name = _("Learning Citizen digital-skills assessment")
    default_auto_field = "django.db.models.BigAutoField"
    # Installed in the LMS and Studio by the lms.djangoapp / cms.djangoapp entry points; it has
    # no settings or URLs of its own, only models (Studio needs them for migrations).
    plugin_app = {}
