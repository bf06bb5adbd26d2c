"""The block's fields: what authors configure (settings) and what it remembers per learner."""
from xblock.fields import Float, Integer, Scope, String

from xblocks.criteria.language import localised
from xblocks.criteria.problems import N_

from .config import BLOCKS, COURSE, SECTION, framework_choices

DEFAULT_FRAMEWORK = "learning-citizen-2021-2030"
DEFAULT_DISPLAY_NAME = N_("Learning Citizen credit")


def _framework_values(block):
    language = block.language() if hasattr(block, "language") else "en"
    return [{"display_name": f"{localised(title, language) or framework_id} ({framework_id})",
             "value": framework_id} for framework_id, title in framework_choices()]


def _scope_values(block):
    _ = block.ugettext if hasattr(block, "ugettext") else (lambda text: text)
    return [
        {"display_name": _("The section this block is in"), "value": SECTION},
        {"display_name": _("The whole course"), "value": COURSE},
        {"display_name": _("The blocks listed below"), "value": BLOCKS},
    ]


class CompletionCreditFields:
    """Fields of the completion-credit block. Everything authored is ``Scope.settings`` (per usage)."""

    display_name = String(
        display_name=N_("Display name"),
        help=N_("The heading learners see above the credit."),
        default=DEFAULT_DISPLAY_NAME,
        scope=Scope.settings,
    )
    framework = String(
        display_name=N_("Criteria framework"),
        help=N_("The criteria the credit counts toward."),
        default=DEFAULT_FRAMEWORK,
        scope=Scope.settings,
        values_provider=_framework_values,
    )
    credit = String(
        display_name=N_("Credit"),
        help=N_("Indicator codes and points, written indicator:points and separated by commas, "
                "for example 5:2 or 5:2, 1:1."),
        default="",
        scope=Scope.settings,
    )
    learning_hours = Float(
        display_name=N_("Learning hours"),
        help=N_("Hours of learning the counted content represents (0 for none). They are recorded once, "
                "with the first indicator."),
        default=0.0,
        scope=Scope.settings,
    )
    scope = String(
        display_name=N_("Counted content"),
        help=N_("Which content the learner must complete to earn the credit."),
        default=SECTION,
        scope=Scope.settings,
        values_provider=_scope_values,
    )
    counted_blocks = String(
        display_name=N_("Counted blocks"),
        help=N_("When counting listed blocks: their url_name (or usage key), separated by commas, for example "
                "unit-1, quiz-1. A unit or other container counts everything in it."),
        default="",
        scope=Scope.settings,
    )
    min_score = Integer(
        display_name=N_("Minimum score (%)"),
        help=N_("The share of the graded points in the counted content the learner needs, "
                "from 0 (no minimum) to 100."),
        default=0,
        scope=Scope.settings,
        values={"min": 0, "max": 100, "step": 1},
    )

    # Per learner. Credit itself lives in the ledger; these only avoid repeating events.
    earned_at = String(
        help="When this block first sent the learner's credit (ISO 8601, UTC).",
        default=None,
        scope=Scope.user_state,
    )
    published_completion = Float(
        help="The completion this block last published for itself.",
        default=None,
        scope=Scope.user_state,
    )

    editable_fields = ("display_name", "framework", "credit", "learning_hours", "scope", "counted_blocks", "min_score")
