"""
Who is looking, and whose standing they may see: from the runtime's ``user`` service.

- Everyone may see their own standing.
- Global staff (the platform's GlobalStaff role, read through :mod:`xblocks.compat`; Django's
  ``is_staff`` outside the platform) and holders of the Django permission
  :data:`VIEW_ANY_PERMISSION` (given in the Django admin) may look up any learner.
- Course staff of the block's course (the LMS's ``user_is_staff`` / ``user_role``; in the workbench
  the ``?student=`` names in LEARNING_CITIZEN_WORKBENCH_COURSE_STAFF; both read by
  :class:`~xblocks.common.mixins.CurrentUserMixin`) may look up learners *enrolled in that course*
  (the platform's ``CourseEnrollment.is_enrolled``). The workbench has one course and no
  enrolments, so there every learner of the workbench counts as enrolled.
- Anyone else asking for another learner is refused, and a course staff member gets the same
  answer for a learner who is not enrolled as for one who does not exist.

Every handler asks :meth:`Viewer.may_view`: nothing the browser sends can widen it.
"""
from dataclasses import dataclass
from functools import cached_property

from xblocks import compat
from xblocks.common.mixins import KnownUserMixin, workbench_user_id

VIEW_ANY_PERMISSION = "learning_citizen_credentials.view_any_standing"


@dataclass(frozen=True)
class Viewer(KnownUserMixin):
    user_id: int | None      # None: anonymous (nothing to show)
    name: str = ""
    staff: bool = False      # course staff of the block's course
    in_lms: bool = False
    read_only: bool = False  # staff viewing as this learner, or Studio's preview: may look, may not write
    course_key: object = None

    @cached_property
    def sees_everyone(self):
        """Global staff, or a holder of the view-any-standing permission."""
        if not self.known:
            return False
        from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
        user = get_user_model().objects.filter(pk=self.user_id).first()
        if user is None or not user.is_active:
            return False
        return bool(compat.is_global_staff(user) or user.has_perm(VIEW_ANY_PERMISSION))

    @property
    def may_look_up(self):
        """Whether the viewer may ask for someone else's standing at all (the lookup form)."""
        return self.known and (self.staff or self.sees_everyone)

    def enrolled(self, learner_id):
        """Whether ``learner_id`` is enrolled in the block's course (in the workbench: every learner is)."""
        enrolled = compat.is_enrolled(learner_id, self.course_key)
        if enrolled is None:  # no platform: inside the LMS that cannot happen, so only the workbench counts
            return not self.in_lms
        return enrolled

    def may_view(self, learner_id):
        if not self.known or learner_id is None:
            return False
        if learner_id == self.user_id:
            return True
        if self.sees_everyone:
            return True
        return self.staff and self.enrolled(learner_id)

    def resolve(self, text):
        """The user id a staff member typed (a number, or a username), or None when there is no such learner."""
        text = (text or "").strip()
        if not text:
            return None
        if text.isdigit():
            return int(text)
        from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
        user = get_user_model().objects.filter(username=text).only("pk").first()
        if user is not None:
            return user.pk
        return None if self.in_lms else workbench_user_id(text)


def current_viewer(block):
    """The viewer of ``block`` (a :class:`~xblocks.common.mixins.CurrentUserMixin`)."""
    user = block.current_user()
    usage_id = block.scope_ids.usage_id
    course_key = getattr(usage_id, "context_key", None) or getattr(usage_id, "course_key", None)
    return Viewer(user.user_id, user.name, user.staff, in_lms=user.in_lms, read_only=user.read_only, course_key=course_key)
