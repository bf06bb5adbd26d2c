"""
Double of ``common.djangoapps.student.roles.GlobalStaff``, for ``xblocks.compat.is_global_staff``.

Contract read in ``common/djangoapps/student/roles.py`` (openedx/openedx-platform c660747; the
pinned release commits are not stored): ``GlobalStaff()``
takes no arguments; ``has_user(user)`` answers ``bool(user and user.is_staff)`` and does not look
at ``is_active`` or ``is_authenticated``.
"""


def global_staff_module():
    """Returns (module names, the list of users ``has_user`` was asked about)."""
    asked = []

    class GlobalStaff:
        def has_user(self, user):
            asked.append(user)
            return bool(user and user.is_staff)

    return {"common.djangoapps.student.roles": {"GlobalStaff": GlobalStaff}}, asked


__all__ = ["global_staff_module"]
