"""Defaults the LMS and Studio load through the plugin's settings_config."""
from .event_bus import add_credit_producer_config


def plugin_settings(settings):
    """Add the ledger's defaults without overriding what an operator set."""
    defaults = {
        # How long an append waits for its chain's lock before giving up (seconds).
        "LEARNING_CITIZEN_LOCK_TIMEOUT": 10,
        # Directories of the operator's own criteria frameworks (a province's variant), loaded beside
        # the shipped ones and checked the same way (docs/admin-guide.md).
        "LEARNING_CITIZEN_FRAMEWORK_DIRS": [],
    }
    for name, value in defaults.items():
        if not hasattr(settings, name):
            setattr(settings, name, value)
    # The credit topic, disabled: nothing is produced inside requests unless the operator sets
    # "enabled": True for it in EVENT_BUS_PRODUCER_CONFIG (docs/event-bus.md publishes credit
    # from the ledger instead, which survives a Redis outage).
    settings.EVENT_BUS_PRODUCER_CONFIG = add_credit_producer_config(
        getattr(settings, "EVENT_BUS_PRODUCER_CONFIG", {}), enabled=False)
