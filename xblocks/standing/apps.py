"""
Where the credentials app's config used to live, before the app moved to :mod:`xblocks.credentials`.

An older ``INSTALLED_APPS`` entry or a cached ``lms.djangoapp`` entry point may still name
``xblocks.standing.apps.CredentialsConfig``; it is the same app (label
``learning_citizen_credentials``, same tables and migrations), so it keeps working.
"""
from xblocks.credentials.apps import CredentialsConfig

__all__ = ["CredentialsConfig"]
