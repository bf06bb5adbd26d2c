"""
Double of ``common.djangoapps.student.roles.GlobalStaff``.

Contract read in openedx/openedx-platform and openedx/edx-platform (``common/djangoapps/student/roles.py``,
the versions stored alongside the commits named in tests/platform/xblock_django_user_service.py):
``GlobalStaff()`` takes no argument and ``has_user(user)`` answers ``bool(user and user.is_staff)``;
the LMS asks it through ``has_access(user, 'staff', 'global')``.
"""


class GlobalStaff:
    """The platform's global staff role: Django's ``is_staff`` flag."""

    def has_user(self, user):
        return bool(user and user.is_staff)
