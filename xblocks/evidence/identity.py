"""
Who is asking, and may they review: from the runtime's ``user`` service (LMS or workbench) and,
for the reviewer permission, Django's own users and permissions. Every staff-only handler asks
:meth:`Actor.can_review`; nothing the browser sends can make someone staff.
"""
import hashlib
from dataclasses import dataclass

from django.conf import settings

from .models import REVIEW_PERMISSION

# Attribute names of the LMS's XBlock user service (common/djangoapps/xblock_django/constants.py).
LMS_USER_ID = "edx-platform.user_id"
LMS_USERNAME = "edx-platform.username"
LMS_IS_AUTHENTICATED = "edx-platform.is_authenticated"
LMS_USER_IS_STAFF = "edx-platform.user_is_staff"  # course staff or instructor (global staff too)
WORKBENCH_USER_ID = "xblock-workbench.user_id"
# Workbench only: which ``?student=`` names act as course staff (the workbench has no logins).
WORKBENCH_STAFF_SETTING = "LEARNING_CITIZEN_WORKBENCH_COURSE_STAFF"


@dataclass(frozen=True)
class Actor:
    user_id: int | None        # None: anonymous; may look, may not declare
    username: str = ""
    course_staff: bool = False

    @property
    def known(self):
        return self.user_id is not None

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


def workbench_user_id(raw):
    """
    A workbench learner's numeric id (the same rule as the completion-credit block, so one
    ``?student=`` name is one learner in the ledger): digits as they are, other names hashed.
    """
    text = str(raw).strip()
    if text.isdigit():
        return int(text)
    return int(hashlib.sha256(f"workbench:{text}".encode("utf-8")).hexdigest()[:8], 16)


def current_actor(block):
    service = block.runtime.service(block, "user")
    user = service.get_current_user() if service is not None else None
    attrs = getattr(user, "opt_attrs", None) or {}
    if attrs.get(LMS_USER_ID) is not None:
        if attrs.get(LMS_IS_AUTHENTICATED) is False:
            return Actor(None)
        return Actor(int(attrs[LMS_USER_ID]), str(attrs.get(LMS_USERNAME) or ""), bool(attrs.get(LMS_USER_IS_STAFF)))
    raw = attrs.get(WORKBENCH_USER_ID)
    if raw not in (None, "", "none"):
        staff_names = getattr(settings, WORKBENCH_STAFF_SETTING, ())
        return Actor(workbench_user_id(raw), str(raw), str(raw) in staff_names)
    return Actor(None)
