"""Who the current learner is, from the runtime's ``user`` service (LMS or workbench)."""
import hashlib
from dataclasses import dataclass

from xblocks import compat

LMS_USER_ID = "edx-platform.user_id"
LMS_IS_AUTHENTICATED = "edx-platform.is_authenticated"
WORKBENCH_USER_ID = "xblock-workbench.user_id"


@dataclass(frozen=True)
class Learner:
    user_id: int | None  # None: anonymous, or no user service; such a learner earns no credit

    @property
    def known(self):
        return self.user_id is not None

    @property
    def anonymous_id(self):
        return compat.anonymous_id(self.user_id)


def workbench_user_id(raw):
    """
    A workbench learner's ledger id. The workbench names learners with free text (``?student=``);
    a number is used as is (the demo learners are 101-103), other names map to a stable number.
    """
    text = str(raw).strip()
    if text.isdigit():
        return int(text)
    return int(hashlib.sha256(f"workbench:{text}".encode("utf-8")).hexdigest()[:8], 16)


def current_learner(block):
    service = block.runtime.service(block, "user")
    user = service.get_current_user() if service is not None else None
    attrs = getattr(user, "opt_attrs", None) or {}
    if attrs.get(LMS_USER_ID) is not None:
        if attrs.get(LMS_IS_AUTHENTICATED) is False:
            return Learner(None)
        return Learner(int(attrs[LMS_USER_ID]))
    if attrs.get(WORKBENCH_USER_ID) not in (None, ""):
        return Learner(workbench_user_id(attrs[WORKBENCH_USER_ID]))
    return Learner(None)
