"""Who the current learner is, from the runtime's ``user`` service (LMS or workbench)."""
from dataclasses import dataclass

from xblocks.common.mixins import KnownUserMixin


@dataclass(frozen=True)
class Learner(KnownUserMixin):
    user_id: int | None  # None: anonymous, or no user service; such a learner earns no credit
    read_only: bool = False  # staff viewing as this learner, or Studio's preview: nothing is sent


def current_learner(block):
    """The learner ``block`` (a :class:`~xblocks.common.mixins.CurrentUserMixin`) is shown to."""
    user = block.current_user()
    return Learner(user.user_id, read_only=user.read_only)
