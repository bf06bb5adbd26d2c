"""
How the LMS presents the user to an XBlock, as ``lms/djangoapps/courseware/block_render.py`` does it
(read at openedx/openedx-platform, stored commit 5af5f01fa9480258a5001852cd7498fe3e4cd2fb; the same
steps in the edx-platform versions searched). Not installed under a platform path: the blocks never
import block_render; the tests use it to give a block the ``user`` service the LMS would.

A handler request goes ``handle_xblock_callback`` → ``get_block_by_usage_id``, which calls
``setup_masquerade(request, course_key, has_access(request.user, 'staff', block, course_key))`` and
binds the block to the user it returns (the masqueraded learner, or request.user); then
``prepare_runtime_for_user`` builds ``DjangoXBlockUserService(user, user_is_beta_tester=...,
user_is_staff=bool(has_access(user, 'staff', course_id)), user_is_global_staff=bool(has_access(user,
'staff', 'global')), user_role=get_user_role(user, course_id), anonymous_user_id=anonymous_id_for_user(user,
course_id), deprecated_anonymous_user_id=anonymous_id_for_user(user, None), request_country_code=...)``.
``has_access(..., 'staff', course)`` is denied while ``is_masquerading_as_student`` and granted to
GlobalStaff or course staff/instructors; ``get_user_role`` answers the masquerade role first, then
"instructor", "staff" or "student" (lms/djangoapps/courseware/access.py, stored commit
4d22797209228ef2a9eb5110c0f1dd880a5f8b0a).

The request's own user reaches the block through django-crum (``crum.CurrentRequestUserMiddleware``
is in the LMS's MIDDLEWARE, lms/envs/common.py): :func:`handling` runs the same middleware steps.
"""
import contextlib

import crum

from tests.platform.courseware_masquerade import get_masquerade_role, is_masquerading_as_student, setup_masquerade
from tests.platform.student_roles_global_staff import global_staff_module
from tests.platform.student_user_models import AnonymousIds
from tests.platform.xblock_django_user_service import DjangoXBlockUserService

GlobalStaff = global_staff_module()[0]["common.djangoapps.student.roles"]["GlobalStaff"]
# The platform's anonymous ids (common.djangoapps.student.models.anonymous_id_for_user), as its double answers them.
anonymous_id_for_user = AnonymousIds()


def _has_staff_access(user, course_key, course_staff_ids):
    if user is None or not user.is_authenticated or is_masquerading_as_student(user, course_key):
        return False
    return GlobalStaff().has_user(user) or user.id in course_staff_ids


def _user_role(user, course_key, course_staff_ids):
    return get_masquerade_role(user, course_key) or ("staff" if _has_staff_access(user, course_key, course_staff_ids) else "student")


def lms_user_service(request, course_key, course_staff_ids=()):
    """(the user the block is bound to, the ``user`` service the LMS gives it) for ``request``."""
    _masquerade, user = setup_masquerade(request, course_key, _has_staff_access(request.user, course_key, course_staff_ids))
    service = DjangoXBlockUserService(
        user,
        user_is_beta_tester=False,
        user_is_staff=_has_staff_access(user, course_key, course_staff_ids),
        user_is_global_staff=GlobalStaff().has_user(user),
        user_role=_user_role(user, course_key, course_staff_ids),
        anonymous_user_id=anonymous_id_for_user(user, course_key),
        deprecated_anonymous_user_id=anonymous_id_for_user(user, None),
        request_country_code=None,
    )
    return user, service


@contextlib.contextmanager
def handling(request):
    """While the LMS handles ``request``: crum's middleware has stored it (and clears it afterwards)."""
    middleware = crum.CurrentRequestUserMiddleware()
    middleware.process_request(request)
    try:
        yield request
    finally:
        middleware.process_response(request, None)
