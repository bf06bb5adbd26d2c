"""
Django app config of the relay between sites and a central ledger: what a producing site has sent
over the Open edX event bus and what the central ledger confirmed, the consumer's retries and dead
letters, and reconciliation (docs/event-bus.md).
"""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelayConfig(AppConfig):
    name = "xblocks.relay"
    label = "learning_citizen_relay"
    verbose_name = _("Learning Citizen credit relay")
    default_auto_field = "django.db.models.BigAutoField"
    plugin_app = {}
