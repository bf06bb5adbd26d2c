"""
Who is looking, and whose standing they may see: from the runtime's ``user`` service.

A learner sees only their own standing. Course staff (the LMS's ``user_is_staff`` for the
course; in the workbench, the ``?student=`` names in LEARNING_CITIZEN_WORKBENCH_COURSE_STAFF; both
read by :class:`~xblocks.common.mixins.CurrentUserMixin`) may look up another learner. Every
handler asks :meth:`Viewer.may_view`: nothing the browser sends can make someone staff.
"""
from dataclasses import dataclass

from xblocks.common.mixins import KnownUserMixin, workbench_user_id


@dataclass(frozen=True)
class Viewer(KnownUserMixin):
    user_id: int | None      # None: anonymous (nothing to show)
    name: str = ""
    staff: bool = False
    in_lms: bool = False

    def may_view(self, learner_id):
        return self.known and (learner_id == self.user_id or self.staff)

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
    return Viewer(user.user_id, user.name, user.staff, in_lms=user.in_lms)
