"""
Double of the user half of ``common.djangoapps.student.models``: ``UserProfile`` and
``anonymous_id_for_user``, for ``xblocks.compat.get_user``, ``learner_names`` and ``anonymous_id``.

Contract read in ``common/djangoapps/student/models/user.py`` (openedx/openedx-platform 0b870c1;
the package's ``__init__`` re-exports it with ``from .user import *``, openedx/edx-platform
a673c72); the pinned release commits are not stored, these are the nearest copies:

- ``UserProfile``: a model with ``user`` (one-to-one to the Django user, related name
  ``profile``, so ``user_id`` is its column) and ``name`` (the full name, blank allowed). The
  double answers ``objects.filter(user_id__in=...).values_list("user_id", "name")`` from the
  profiles a test gives it, the one query compat makes.
- ``anonymous_id_for_user(user, course_id)``: ``user`` is a Django user (it asserts one is
  given); None for an anonymous user; otherwise a 32-character lower-case hex string derived
  from the site's secret, the user's id and the course id (None: one id across the site),
  remembered so the same pair always gets the same id.

The id here is our own derivation of the same shape; tests compare against what this double
answered, never against a hard-coded value.
"""
import hashlib

from django.conf import settings


class _Profiles:
    """``UserProfile.objects`` for the one query compat makes; records the ids asked for."""

    def __init__(self, names):
        self.names = dict(names)
        self.asked = []

    def filter(self, user_id__in):
        ids = list(user_id__in)
        self.asked.append(ids)
        return _ProfileRows([(user_id, self.names[user_id]) for user_id in ids if user_id in self.names])


class _ProfileRows:  # pylint: disable=too-few-public-methods
    def __init__(self, rows):
        self.rows = rows

    def values_list(self, *fields):
        assert fields == ("user_id", "name"), fields
        return list(self.rows)


class UserProfile:  # pylint: disable=too-few-public-methods
    """Stands for the platform's profile model: compat imports it to know the LMS is there, and reads full names."""

    objects = _Profiles({})


def profile_model(names):
    """A ``UserProfile`` whose profiles have these full names, ``{user_id: name}``."""
    return type("UserProfile", (UserProfile,), {"objects": _Profiles(names)})


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


def student_models_module(anonymous_ids=None, profiles=None):
    """The names ``common.djangoapps.student.models`` offers, for ``platform_modules`` (``profiles``: from :func:`profile_model`)."""
    return {"common.djangoapps.student.models": {
        "UserProfile": profiles or UserProfile,
        "anonymous_id_for_user": anonymous_ids or AnonymousIds(),
    }}


__all__ = ["AnonymousIds", "UserProfile", "profile_model", "student_models_module"]
