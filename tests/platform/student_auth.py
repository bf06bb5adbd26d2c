"""
Double of ``common.djangoapps.student.auth``, for ``xblocks.compat.may_edit_course``.

Contract read in ``common/djangoapps/student/auth.py`` (openedx/edx-platform and
openedx/openedx-platform; the pinned release commits are not stored): ``has_studio_write_access(user,
course_key)`` answers whether ``user`` may change the course in Studio: global staff, or a course
staff or instructor role on ``course_key`` (and the library and organisation roles, not needed
here). This double holds the (user id, course key) pairs given write access.
"""


def student_auth_module(writers):
    """``writers``: a set of (user id, course key) with write access; returns the module mapping for platform_modules."""
    def has_studio_write_access(user, course_key):
        return bool(getattr(user, "is_staff", False)) or (user.id, course_key) in writers

    return {"common.djangoapps.student.auth": {"has_studio_write_access": has_studio_write_access}}


__all__ = ["student_auth_module"]
