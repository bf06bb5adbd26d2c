"""
The completion-credit XBlock: completing course content earns Learning Citizen credit.

The class only composes small mixins (fields, translation, editor, views, credit, workbench
scenarios, and the suite's shared current-user mixin); each file says what it is responsible for.
"""
from xblock.completable import CompletableXBlockMixin, XBlockCompletionMode
from xblock.core import XBlock
from xblock.utils.studio_editable import StudioEditableXBlockMixin

from xblocks.common.handlers import JsonHandlerMixin, StudioEditsMixin
from xblocks.common.mixins import CurrentUserMixin

from .fields import CompletionCreditFields
from .mixins.credit import CreditMixin
from .mixins.editor import EditorMixin
from .mixins.i18n import TranslationMixin
from .mixins.scenarios import ScenariosMixin
from .mixins.views import ViewsMixin


@XBlock.needs("i18n")
@XBlock.wants("user", "completion")
class CompletionCreditBlock(
    CompletionCreditFields,
    TranslationMixin,
    CurrentUserMixin,
    EditorMixin,
    CreditMixin,
    ViewsMixin,
    ScenariosMixin,
    JsonHandlerMixin,
    StudioEditsMixin,
    StudioEditableXBlockMixin,
    CompletableXBlockMixin,
    XBlock,
):
    """Shows what a course credits toward the Learning Citizen criteria and sends it once earned."""

    has_author_view = True
    has_custom_completion = True
    completion_mode = XBlockCompletionMode.COMPLETABLE
    show_in_read_only_mode = True
    icon_class = "other"
