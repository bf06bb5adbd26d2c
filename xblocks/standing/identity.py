"""
Who is looking, and whose standing they may see: from the runtime's ``user`` service.

A learner sees only their own standing. Course staff (the LMS's ``user_is_staff`` for the
course; in the workbench, the ``?student=`` names in LEARNING_CITIZEN_WORKBENCH_COURSE_STAFF)
may look up another learner. Every handler asks :meth:`Viewer.may_view`: nothing the browser
sends can make someone staff.
"""
import hashlib
from dataclasses import dataclass

from django.conf import settings

# Attribute names of the LMS's XBlock user service (common/djangoapps/xblock_django/constants.py).
LMS_USER_ID = "edx-platform.user_id"
LMS_USERNAME = "edx-platform.username"
LMS_IS_AUTHENTICATED = "edx-platform.is_authenticated"
LMS_USER_IS_STAFF = "edx-platform.user_is_staff"
WORKBENCH_USER_ID = "xblock-workbench.user_id"
WORKBENCH_STAFF_SETTING = "LEARNING_CITIZEN_WORKBENCH_COURSE_STAFF"


def workbench_user_id(raw):
    """
    A workbench learner's ledger id, by the rule the other blocks use (so one ``?student=`` name
    is one learner everywhere): digits as they are, other names hashed to a stable number.
    """
    text = str(raw).strip()
    if text.isdigit():
        return int(text)
    return int(hashlib.sha256(f"workbench:{text}".encode("utf-8")).hexdigest()[:8], 16)


@dataclass(frozen=True)
class Viewer:
    user_id: int | None      # None: anonymous (nothing to show)
    name: str = ""
    staff: bool = False
    in_lms: bool = False

    @property
    def known(self):
        return self.user_id is not None

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
    service = block.runtime.service(block, "user")
    user = service.get_current_user() if service is not None else None
    attrs = getattr(user, "opt_attrs", None) or {}
    full_name = getattr(user, "full_name", "") or ""
    if attrs.get(LMS_USER_ID) is not None:
        if attrs.get(LMS_IS_AUTHENTICATED) is False:
            return Viewer(None, in_lms=True)
        return Viewer(int(attrs[LMS_USER_ID]), full_name or str(attrs.get(LMS_USERNAME) or ""),
                      bool(attrs.get(LMS_USER_IS_STAFF)), in_lms=True)
    raw = attrs.get(WORKBENCH_USER_ID)
    if raw not in (None, "", "none"):
        staff_names = getattr(settings, WORKBENCH_STAFF_SETTING, ("staff",))
        return Viewer(workbench_user_id(raw), full_name, str(raw) in staff_names)
    return Viewer(None)
