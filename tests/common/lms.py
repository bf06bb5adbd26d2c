"""
Blocks presented to users the way the LMS and Studio present them: the platform's doubles
(tests/platform) installed under their real paths, Django users, and a block's ``user`` service
replaced by the one the LMS (``block_render``) or Studio's preview would build for a request.
"""
from types import SimpleNamespace

from opaque_keys.edx.keys import CourseKey

from tests import harness
from tests.platform import courseware_masquerade, student_course_enrollment
from tests.platform.student_roles_global_staff import global_staff_module
from tests.platform.student_user_models import student_models_module
from tests.platform.contentstore_preview import prepare_preview
from tests.platform.courseware_block_render import handling, lms_user_service
from xblocks.workbench.completion import WorkbenchCompletionService

COURSE = CourseKey.from_string("course-v1:LearningCitizenVN+KNS101+2026")

# What xblocks.compat imports from the platform for these rules.
PLATFORM_MODULES = {
    "lms.djangoapps.courseware.masquerade": {
        name: getattr(courseware_masquerade, name)
        for name in ("CourseMasquerade", "setup_masquerade", "get_course_masquerade", "get_masquerade_role",
                     "is_masquerading_as_student", "is_masquerading_as_specific_student")},
    **global_staff_module()[0],
    # One module in the platform: the enrolment half here, the user half (UserProfile, anonymous ids) beside it.
    "common.djangoapps.student.models": {
        "CourseEnrollment": student_course_enrollment.CourseEnrollment,
        **student_models_module()["common.djangoapps.student.models"],
    },
}


def user(user_id, username, **extra):
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    return get_user_model().objects.create_user(id=user_id, username=username, email=f"{username}@example.vn", **extra)


def request_by(django_user):
    """
    A request sent by ``django_user``, with a session (where the LMS keeps masquerade settings). Each
    request loads its own user object, as the authentication middleware does, so attributes the LMS
    sets on ``request.user`` during one request (``masquerade_settings``) do not leak into the next.
    """
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    return SimpleNamespace(user=get_user_model().objects.get(pk=django_user.pk), session={})


def view_as(request, learner, course_key=COURSE):
    """Staff choose "view this course as a specific learner" (what MasqueradeView.post stores)."""
    settings = request.session.setdefault(courseware_masquerade.MASQUERADE_SETTINGS_KEY, {})
    settings[course_key] = courseware_masquerade.CourseMasquerade(course_key, role="student", user_name=learner.username)


class BoundCompletionService(WorkbenchCompletionService):
    """
    The workbench's completion records, read for one user: the LMS binds its completion service to
    the user the block is bound to (``CompletionService(user=user, context_key=course_id)`` in
    ``prepare_runtime_for_user``), the masqueraded learner included.
    """

    def __init__(self, runtime, user_id):
        super().__init__(runtime)
        self._bound_user_id = str(user_id)

    @property
    def _user_id(self):
        return self._bound_user_id


def present_in_lms(block, request, course_key=COURSE, course_staff_ids=()):
    """Give ``block`` the user (and completion) service the LMS builds for ``request``; returns the user it is bound to."""
    bound, service = lms_user_service(request, course_key, course_staff_ids)
    block.runtime._services["user"] = service  # pylint: disable=protected-access
    block.runtime._services["completion"] = BoundCompletionService(block.runtime, bound.id)  # pylint: disable=protected-access
    return bound


def present_in_studio(block, author, user_role="instructor", completion=False):
    """
    Give ``block`` Studio's preview runtime for ``author``. Studio's preview has no completion
    service; ``completion`` keeps one bound to the author, so a test can show that the read-only
    view, not a missing service, is what keeps the block from writing.
    """
    prepare_preview(block.runtime, author, user_role)
    if completion:
        block.runtime._services["completion"] = BoundCompletionService(block.runtime, author.id)  # pylint: disable=protected-access
    else:
        block.runtime._services.pop("completion", None)  # pylint: disable=protected-access
    return block


def call_json(block, handler, request, payload=None):
    """Call a JSON handler through the runtime (tests/harness.py) while the LMS handles ``request``: (status, body)."""
    with handling(request):
        return harness.call(block, handler, payload)
