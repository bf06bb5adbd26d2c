"""
Settings for credentials (the LMS loads ``plugin_settings`` through the plugin's settings_config).

``LEARNING_CITIZEN_CREDENTIALS`` is one dict; every key is optional except where the
administrator wants credentials at all (``SIGNING_KEY_PATH``). See docs/credentials.md.
"""

DEFAULTS = {
    # PEM file of the issuer's private key (Ed25519 for EdDSA, RSA for RS256). Without one, no credential is issued.
    "SIGNING_KEY_PATH": None,
    # The JWS algorithm credentials are signed with: "EdDSA" (Ed25519) or "RS256" (RSA, 2048 bits or more).
    "SIGNING_ALGORITHM": "EdDSA",
    # Create the key file above when it is missing (the workbench demo does; never in production).
    "GENERATE_KEY": False,
    # PEM files of public (or private) keys, Ed25519 or RSA, that signed earlier credentials and still verify.
    "TRUSTED_KEY_PATHS": [],
    # Where this site serves /learning-citizen/credentials/...: defaults to LMS_ROOT_URL.
    "BASE_URL": None,
    # The issuer's id (a URL) and name as written into credentials.
    "ISSUER_ID": None,
    "ISSUER_NAME": "Công dân học tập — Learning Citizen",
    "ISSUER_URL": None,
    # How long a credential is valid, in days; None writes no validUntil (validity is unconfirmed).
    "VALID_DAYS": None,
    # Bits per status list (the Bitstring Status List minimum is 131072, which hides who was revoked).
    "STATUS_LIST_SIZE": 131072,
}


def plugin_settings(settings):
    """Fill in defaults the operator did not set."""
    configured = dict(getattr(settings, "LEARNING_CITIZEN_CREDENTIALS", {}) or {})
    settings.LEARNING_CITIZEN_CREDENTIALS = {**DEFAULTS, **configured}


def credential_settings():
    """The effective settings dict, defaults included."""
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    configured = dict(getattr(settings, "LEARNING_CITIZEN_CREDENTIALS", {}) or {})
    merged = {**DEFAULTS, **configured}
    if not merged["BASE_URL"]:
        merged["BASE_URL"] = getattr(settings, "LMS_ROOT_URL", None) or "http://127.0.0.1:8000"
    merged["BASE_URL"] = merged["BASE_URL"].rstrip("/")
    if not merged["ISSUER_ID"]:
        merged["ISSUER_ID"] = f"{merged['BASE_URL']}/learning-citizen/credentials/issuer"
    if not merged["ISSUER_URL"]:
        merged["ISSUER_URL"] = merged["BASE_URL"]
    return merged
