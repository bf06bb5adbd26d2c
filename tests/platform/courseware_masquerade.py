"""
Double of ``lms.djangoapps.courseware.masquerade`` (masquerading as a specific learner).

Contract read at openedx/openedx-platform, stored commit 14f7dc8962faf4c8c762c1182add032f181a3180
(the module is the same in the edx-platform versions searched): staff choose "view this course as"
in the LMS; the choice is a ``CourseMasquerade(course_key, role='student', user_partition_id=None,
group_id=None, user_name=None)`` kept in the session under ``'masquerade_settings'`` (a dict from
course key to CourseMasquerade). ``setup_masquerade(request, course_key, staff_access=False,
reset_masquerade_data=False)`` does nothing unless ``staff_access`` (and ENABLE_MASQUERADE); otherwise
it sets ``request.user.masquerade_settings``, and when the masquerade names a learner enrolled in the
course (``CourseEnrollment.objects.users_enrolled_in``) it returns ``(masquerade, that learner)`` with
``masquerade_settings`` and ``real_user`` (the staff member) set on the learner; else
``(masquerade or None, request.user)``. ``is_masquerading_as_specific_student(user, course_key)`` and
``is_masquerading_as_student(user, course_key)`` read ``user.masquerade_settings``.
"""
MASQUERADE_SETTINGS_KEY = "masquerade_settings"


class CourseMasquerade:
    """Masquerade settings for one course."""

    def __init__(self, course_key, role="student", user_partition_id=None, group_id=None, user_name=None):
        self.course_key = course_key
        self.role = role
        self.user_partition_id = user_partition_id
        self.group_id = group_id
        self.user_name = user_name


def setup_masquerade(request, course_key, staff_access=False, reset_masquerade_data=False):  # pylint: disable=unused-argument
    from common.djangoapps.student.models import CourseEnrollment  # pylint: disable=import-error,import-outside-toplevel
    if request.user is None or not staff_access:
        return None, request.user
    masquerade_settings = request.session.setdefault(MASQUERADE_SETTINGS_KEY, {})
    request.user.masquerade_settings = masquerade_settings
    course_masquerade = masquerade_settings.get(course_key, None)
    masquerade_user = None
    if course_masquerade and course_masquerade.user_name:
        masquerade_user = CourseEnrollment.objects.users_enrolled_in(course_key).filter(
            username=course_masquerade.user_name).first()
        if masquerade_user is None:  # unenrolled since: the platform silently drops the masquerade
            course_masquerade = None
            del masquerade_settings[course_key]
        else:
            masquerade_user.masquerade_settings = request.user.masquerade_settings
            masquerade_user.real_user = request.user
    return course_masquerade, masquerade_user or request.user


def get_course_masquerade(user, course_key):
    return getattr(user, "masquerade_settings", {}).get(course_key, None)


def get_masquerade_role(user, course_key):
    course_masquerade = get_course_masquerade(user, course_key)
    return course_masquerade.role if course_masquerade else None


def is_masquerading_as_student(user, course_key):
    return get_masquerade_role(user, course_key) == "student"


def is_masquerading_as_specific_student(user, course_key):
    course_masquerade = get_course_masquerade(user, course_key)
    return bool(course_masquerade and course_masquerade.user_name)
