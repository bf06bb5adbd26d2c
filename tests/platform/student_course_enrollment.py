"""
Double of ``common.djangoapps.student.models.CourseEnrollment`` (enrolments only).

Contract read in openedx/openedx-platform ``common/djangoapps/student/models/course_enrollment.py``
(stored commit 0b870c132a5e8e2e1f1c4b3b2b20e329738d3a49) and the edx-platform versions found by
searching for its signature: ``CourseEnrollment.is_enrolled(user, course_key)`` is a classmethod
taking a Django User and a CourseKey, True only for an *active* enrolment;
``CourseEnrollment.enroll(user, course_key)`` enrols; ``CourseEnrollment.unenroll(user, course_id)``
deactivates; ``CourseEnrollment.objects.users_enrolled_in(course_id)`` is a User queryset of the
actively enrolled (what ``setup_masquerade`` searches). The package ``common.djangoapps.student.models``
re-exports the class (the user half of that module is tests/platform/student_user_models.py). Here
enrolments live in memory for one test (:func:`reset`).
"""
_ENROLMENTS = {}  # (user id, str(course key)) -> active


def reset():
    _ENROLMENTS.clear()


class _Manager:
    def users_enrolled_in(self, course_id, include_inactive=False):
        from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
        ids = [user_id for (user_id, course), active in _ENROLMENTS.items()
               if course == str(course_id) and (active or include_inactive)]
        return get_user_model().objects.filter(pk__in=ids)


class CourseEnrollment:
    """Who is enrolled where (active enrolments count)."""

    objects = _Manager()

    @classmethod
    def enroll(cls, user, course_key):
        _ENROLMENTS[(user.id, str(course_key))] = True

    @classmethod
    def unenroll(cls, user, course_id):
        if (user.id, str(course_id)) in _ENROLMENTS:
            _ENROLMENTS[(user.id, str(course_id))] = False

    @classmethod
    def is_enrolled(cls, user, course_key):
        return _ENROLMENTS.get((user.id, str(course_key)), False)
