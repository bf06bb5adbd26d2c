"""
Who is asking, and may they review: from the runtime's ``user`` service (LMS or workbench, read by
:class:`~xblocks.common.mixins.CurrentUserMixin`) and, for the reviewer permission, Django's own
users and permissions. Every staff-only handler asks :meth:`Actor.can_review`; nothing the browser
sends can make someone staff.
"""
from dataclasses import dataclass

from xblocks.common.mixins import KnownUserMixin

from .models import REVIEW_PERMISSION


@dataclass(frozen=True)
class Actor(KnownUserMixin):
    user_id: int | None        # None: anonymous; may look, may not declare
    username: str = ""
    course_staff: bool = False
    read_only: bool = False    # staff viewing as this learner, or Studio's preview: may look, may not write
    full_name: str = ""

    @property
    def name(self):
        """What reviewers call this learner: the full name the user service gives, else the username."""
        return self.full_name or self.username

    def can_review(self):
        """Course staff, or a user holding the reviewer permission (given in the Django admin)."""
        if not self.known:
            return False
        if self.course_staff:
            return True
        user = django_user(self.user_id)
        return bool(user is not None and user.is_active and user.has_perm(REVIEW_PERMISSION))


def django_user(user_id):
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    return get_user_model().objects.filter(pk=user_id).first()


def current_actor(block):
    user = block.current_user()
    return Actor(user.user_id, user.username, user.staff, read_only=user.read_only, full_name=user.full_name)
