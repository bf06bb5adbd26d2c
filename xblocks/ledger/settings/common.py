"""Defaults the LMS and Studio load through the plugin's settings_config."""


def plugin_settings(settings):
    """Add the ledger's defaults without overriding what an operator set."""
    defaults = {
        # How long an append waits for its chain's lock before giving up (seconds).
        "LEARNING_CITIZEN_LOCK_TIMEOUT": 10,
    }
    for name, value in defaults.items():
        if not hasattr(settings, name):
            setattr(settings, name, value)
