"""Who the current learner is, from the runtime's ``user`` service (LMS or workbench)."""
from dataclasses import dataclass

from xblocks import compat


@dataclass(frozen=True)
class Learner:
    user_id: int | None  # None: anonymous, or no user service; such a learner earns no credit

    @property
    def known(self):
        return self.user_id is not None

    @property
    def anonymous_id(self):
        return compat.anonymous_id(self.user_id)


def current_learner(block):
    """The learner ``block`` (a :class:`~xblocks.common.mixins.CurrentUserMixin`) is shown to."""
    return Learner(block.current_user().user_id)
