"""
Double of the user half of ``common.djangoapps.student.models``: ``UserProfile`` and
``anonymous_id_for_user``, for ``xblocks.compat.get_user`` and ``anonymous_id``.

Contract read in ``common/djangoapps/student/models/user.py`` (openedx/openedx-platform 0b870c1;
the package's ``__init__`` re-exports it with ``from .user import *``, openedx/edx-platform
a673c72); the pinned release commits are not stored, these are the nearest copies:

- ``anonymous_id_for_user(user, course_id)``: ``user`` is a Django user (it asserts one is
  given); None for an anonymous user; otherwise a 32-character lower-case hex string derived
  from the site's secret, the user's id and the course id (None: one id across the site),
  remembered so the same pair always gets the same id.

The id here is our own derivation of the same shape; tests compare against what this double
answered, never against a hard-coded value.
"""
import hashlib

from django.conf import settings


class UserProfile:  # pylint: disable=too-few-public-methods
    """Stands for the platform's profile model; compat only imports it to know the LMS is there."""


class AnonymousIds:
    """``anonymous_id_for_user`` with a record of the (user id, course id) pairs asked for."""

    def __init__(self):
        self.asked = []
        self.stored = {}

    def __call__(self, user, course_id):
        assert user
        if user.is_anonymous:
            return None
        self.asked.append((user.id, course_id))
        key = (user.id, str(course_id) if course_id else "")
        if key not in self.stored:
            seed = f"double|{settings.SECRET_KEY}|{user.id}|{key[1]}".encode("utf-8")
            self.stored[key] = hashlib.blake2b(seed, digest_size=16).hexdigest()
        return self.stored[key]


def student_models_module(anonymous_ids=None):
    """The names ``common.djangoapps.student.models`` offers, for ``platform_modules``."""
    return {"common.djangoapps.student.models": {
        "UserProfile": UserProfile,
        "anonymous_id_for_user": anonymous_ids or AnonymousIds(),
    }}


__all__ = ["AnonymousIds", "UserProfile", "student_models_module"]
