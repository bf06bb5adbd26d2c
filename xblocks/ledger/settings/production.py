"""Production settings: read operator overrides from the platform's ENV_TOKENS if present."""


def plugin_settings(settings):
    tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    for name in ("LEARNING_CITIZEN_LOCK_TIMEOUT",):
        if name in tokens:
            setattr(settings, name, tokens[name])
