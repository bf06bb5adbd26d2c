"""
Deciding the learner's credit and sending it, once.

The server alone decides: the handler the browser calls takes no input, it reads completion and
scores (``content.py``), reads the ledger, and sends what is due on the ``CREDIT_EARNED`` signal.
Each credit's idempotency key is derived from (learner, usage key, framework, indicator), so a
reload, a repeated call or two racing requests produce the same key and the ledger records it
once; an event bus that redelivers does no harm either.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from xblock.core import XBlock

from xblocks.common.credit import credit_key, give_credit
from xblocks.common.handlers import EMPTY, json_handler
from xblocks.criteria.frameworks import as_points, get_framework
from xblocks.criteria.problems import InvalidInput

from ..config import parse_credit
from ..content import Progress, counted_items, course_key_of, learner_progress, read_score
from ..learner import current_learner

EARNED_EVENT = "vn.learningcitizen.completion_credit.earned"
SOURCE_KIND = "completion"


def idempotency_key(user_id, usage_key, framework_id, indicator):
    """The credit's key: the same learner, block and indicator always give the same key."""
    return credit_key(SOURCE_KIND, user_id=user_id, usage_key=usage_key, framework_id=framework_id, indicator=indicator)


@dataclass
class CreditLine:
    indicator: str
    title: dict
    points: Decimal
    hours: Decimal | None
    key: str = ""
    entry: object = None      # the ledger entry, once recorded
    reversal: object = None   # its reversal, if the credit was withdrawn


@dataclass
class CreditStatus:
    """Everything the view shows and the handler returns."""

    MISCONFIGURED, ANONYMOUS, NO_TRACKING, EMPTY = "misconfigured", "anonymous", "no-tracking", "empty"
    IN_PROGRESS, SCORE_SHORT, PENDING, EARNED, WITHDRAWN = "in-progress", "score-short", "pending", "earned", "withdrawn"

    learner: object
    problems: list
    progress: Progress
    lines: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    min_score: int = 0
    framework: object = None
    read_only: bool = False  # someone else is looking (masquerade, Studio): shown, never sent

    @property
    def recorded(self):
        return bool(self.lines) and all(line.entry is not None for line in self.lines)

    @property
    def state(self):  # pylint: disable=too-many-return-statements
        if self.problems or self.framework is None:
            return self.MISCONFIGURED
        if not self.learner.known:
            return self.ANONYMOUS
        if self.recorded:
            return self.WITHDRAWN if all(line.reversal is not None for line in self.lines) else self.EARNED
        if not self.progress.tracking:
            return self.NO_TRACKING
        if self.progress.total == 0:
            return self.EMPTY
        if not self.progress.complete:
            return self.IN_PROGRESS
        if not self.progress.meets(self.min_score):
            return self.SCORE_SHORT
        return self.PENDING

    @property
    def own_completion(self):
        """This block's completion: 1.0 once the credit is recorded, else the share of content done (< 1.0)."""
        if self.state in (self.EARNED, self.WITHDRAWN):
            return 1.0
        if not self.progress.total:
            return None
        return min(self.progress.ratio, 0.99)


class CreditMixin:
    """The ``check`` handler and what it relies on."""

    def credit_lines(self, framework):
        items, _problems = parse_credit(self.credit)
        hours = as_points(self.learning_hours) if self.learning_hours else None
        lines = []
        for position, item in enumerate(items):
            indicator = framework.indicator(item.indicator)
            lines.append(CreditLine(item.indicator, indicator.title if indicator else {}, item.points,
                                    hours if position == 0 else None))  # hours once, with the first indicator
        return lines

    def credit_status(self, award=False):
        """
        The learner's status; with ``award``, also send the credit that is due and publish completion,
        unless the view is read-only (staff viewing as the learner, Studio's preview): then it only reads.
        """
        learner = current_learner(self)
        award = award and not learner.read_only
        problems = self.configuration_problems()
        try:
            framework = get_framework(self.framework)
        except InvalidInput:
            framework = None
        items, missing = counted_items(self, self.scope, self.counted_blocks, learner.user_id)
        course_key = course_key_of(self)
        progress = learner_progress(self, items, learner.user_id, course_key)
        status = CreditStatus(learner, problems, progress, missing=missing, min_score=self.min_score or 0,
                              framework=framework, read_only=learner.read_only)
        if framework is not None and not problems:
            status.lines = self.credit_lines(framework)
            if learner.known:
                for line in status.lines:
                    line.key = idempotency_key(learner.user_id, self.scope_ids.usage_id, framework.id, line.indicator)
                self._read_ledger(status)
        if status.min_score and status.state == CreditStatus.PENDING:
            # Everything is completed and a minimum score is set: only now does the score decide
            # (in the LMS reading it means reading the learner's course grade, so not on every render).
            read_score(self, progress, learner.user_id, course_key)
        if award and status.state == CreditStatus.PENDING:
            self._send_credit(status, course_key)
            self._read_ledger(status)
        if award and learner.known:
            self._publish_own_completion(status)
        return status

    @staticmethod
    def _read_ledger(status):
        from xblocks.ledger import api  # pylint: disable=import-outside-toplevel
        keys = [line.key for line in status.lines]
        recorded = {entry.idempotency_key: entry for entry in api.entries(user_id=status.learner.user_id)
                    .filter(idempotency_key__in=keys)}
        reversals = {entry.reverses_id: entry for entry in api.entries(user_id=status.learner.user_id)
                     .filter(reverses__idempotency_key__in=keys)}
        for line in status.lines:
            line.entry = recorded.get(line.key)
            line.reversal = reversals.get(line.entry.pk) if line.entry is not None else None

    def _send_credit(self, status, course_key):
        """Send each credit not yet in the ledger; publish the tracking event for what is new."""
        learner = status.learner
        now = timezone.now()
        new_lines = []
        for line in status.lines:
            if line.entry is not None:
                continue
            delivery = give_credit(
                source_kind=SOURCE_KIND, user_id=learner.user_id, framework=status.framework,
                indicator=line.indicator, points=line.points, hours=line.hours, provenance="verified",
                assurance="auto-scored", occurred_at=now, course_key=course_key, usage_key=str(self.scope_ids.usage_id),
            )
            # In process the ledger's receiver says whether this request recorded it; over the event
            # bus nobody answers here, and this block's own memory decides.
            if delivery.created or (not delivery.answered and self.earned_at is None):
                new_lines.append((line, delivery.event))
        if self.earned_at is None:
            self.earned_at = now.isoformat()
        if new_lines:
            self.runtime.publish(self, EARNED_EVENT, {
                "user_id": learner.user_id,
                "course_key": course_key,
                "usage_key": str(self.scope_ids.usage_id),
                "framework": {"id": status.framework.id, "version": status.framework.version},
                "period": new_lines[0][1].period,
                "credit": [{"indicator": line.indicator, "points": float(line.points),
                            "hours": None if line.hours is None else float(line.hours),
                            "idempotency_key": line.key, "event_id": event.id} for line, event in new_lines],
                "completed": status.progress.done,
                "total": status.progress.total,
                "score_percent": status.progress.score_percent,
            })

    def _publish_own_completion(self, status):
        value = status.own_completion
        if value is None or value == self.published_completion:
            return
        self.emit_completion(value)
        self.published_completion = value

    @json_handler(EMPTY)
    def check(self, data, suffix=""):  # pylint: disable=unused-argument
        """
        Re-read the learner's progress and send the credit if it is due. The request body is
        empty: nothing the browser says can grant credit.
        """
        return self.status_payload(self.credit_status(award=True))
