"""The learner's view, Studio's preview, and the data the mobile apps read."""
import re

from django.utils import formats, timezone
from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.utils.resources import ResourceLoader

from xblocks.common.mixins import READ_ONLY_MESSAGE
from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.problems import InvalidInput
from xblocks.criteria.standing import format_points

from ..config import BLOCKS, COURSE, block_names, parse_credit
from ..fields import DEFAULT_DISPLAY_NAME

loader = ResourceLoader("xblocks.completion_credit.block")


def percentage(value):
    """50 → "50%", 62.5 → "62.5%" (kept out of the messages, where a % would read as a format)."""
    return f"{format_points(value)}%"


class ViewsMixin:
    """Everything here only reads; the ``check`` handler is the one place credit is sent."""

    def title(self):
        if not self.display_name or self.display_name == DEFAULT_DISPLAY_NAME:
            return self._(DEFAULT_DISPLAY_NAME)
        return self.display_name

    def _dom_id(self, suffix):
        return "lc-credit-" + re.sub(r"[^A-Za-z0-9_-]", "-", str(self.scope_ids.usage_id)) + "-" + suffix

    def _framework(self):
        try:
            return get_framework(self.framework)
        except InvalidInput:
            return None

    def offers(self):
        """What the block credits, as sentences ("2 points toward indicator 5: ...")."""
        framework = self._framework()
        items, _problems = parse_credit(self.credit)
        sentences = []
        for item in items:
            indicator = framework.indicator(item.indicator) if framework else None
            sentences.append(self.ngettext("{points} point toward indicator {indicator}: {title}",
                                           "{points} points toward indicator {indicator}: {title}",
                                           1 if item.points == 1 else 2).format(
                points=format_points(item.points), indicator=item.indicator,
                title=self.localised(indicator.title) if indicator else "?"))
        if self.learning_hours:
            sentences.append(self._("Learning hours: {hours}").format(hours=format_points(self.learning_hours)))
        return sentences

    def requirement(self):
        _ = self._
        if self.min_score:
            sentences = {
                COURSE: _("To earn it, complete all the content of this course and score at least {percent} on its graded items."),
                BLOCKS: _("To earn it, complete the content listed for this credit and score at least {percent} on its graded items."),
            }
            default = _("To earn it, complete all the content of this section and score at least {percent} on its graded items.")
        else:
            sentences = {
                COURSE: _("To earn it, complete all the content of this course."),
                BLOCKS: _("To earn it, complete the content listed for this credit."),
            }
            default = _("To earn it, complete all the content of this section.")
        return sentences.get(self.scope, default).format(percent=percentage(self.min_score))

    def counts_toward(self):
        framework = self._framework()
        name = self.localised(framework.title) if framework else self.framework
        return self._("This counts toward the “{framework}” title.").format(framework=name)

    # -- the status panel (rendered here and returned by the check handler) -----------------

    def status_texts(self, status):  # pylint: disable=too-many-branches
        _ = self._
        progress = status.progress
        texts = {"message": "", "lines": [], "remaining": [], "score": ""}
        state = status.state
        if state == status.MISCONFIGURED:
            texts["message"] = _("This credit is not set up yet. The course team has been shown what to fix.")
        elif state == status.ANONYMOUS:
            texts["message"] = _("Sign in to earn this credit.")
        elif state == status.NO_TRACKING:
            texts["message"] = _("Progress tracking is turned off on this site, so this credit cannot be earned yet.")
        elif state == status.EMPTY:
            texts["message"] = _("There is no content to complete for this credit yet.")
        elif state == status.IN_PROGRESS:
            left = progress.total - progress.done
            texts["message"] = self.ngettext("Complete {count} more item to earn this credit.",
                                             "Complete {count} more items to earn this credit.", left).format(count=left)
            texts["remaining"] = [item.display_name for item in progress.remaining()]
        elif state == status.SCORE_SHORT:
            texts["message"] = _("You have completed everything, but this credit needs a score of {needed} on the "
                                 "graded items and yours is {score}. Try the graded items again to improve it.").format(
                needed=percentage(status.min_score), score=percentage(progress.score_percent))
        elif state == status.PENDING and status.read_only:
            texts["message"] = _("The requirements are met. The credit is recorded when the learner opens this page themselves.")
        elif state == status.PENDING:
            texts["message"] = _("You have met the requirements. Your credit is being recorded.")
        elif state == status.EARNED:
            texts["message"] = _("Credit earned. It is in your Learning Citizen record.")
        elif state == status.WITHDRAWN:
            texts["message"] = _("This credit was withdrawn from your Learning Citizen record.")
        for line in status.lines:
            if line.entry is None:
                continue
            sentence = self.ngettext("{points} point toward indicator {indicator} ({title}), recorded on {date} for {period}.",
                                     "{points} points toward indicator {indicator} ({title}), recorded on {date} for {period}.",
                                     1 if line.entry.points == 1 else 2).format(
                points=format_points(line.entry.points), indicator=line.indicator, title=self.localised(line.title),
                date=formats.date_format(timezone.localtime(line.entry.recorded_at), "SHORT_DATE_FORMAT"),
                period=line.entry.period)
            if line.reversal is not None:
                sentence += " " + _("Withdrawn: {reason}").format(reason=line.reversal.reason)
            texts["lines"].append(sentence)
        if status.min_score and progress.total and progress.score_read:
            if progress.score_percent is None:
                texts["score"] = _("Score on graded items: not yet scored (needed: {needed}).").format(
                    needed=percentage(status.min_score))
            else:
                texts["score"] = _("Score on graded items: {score} (needed: {needed}).").format(
                    score=percentage(progress.score_percent), needed=percentage(status.min_score))
        if status.read_only:
            texts["message"] = " ".join(filter(None, [texts["message"], _(READ_ONLY_MESSAGE)]))
        return texts

    def render_status(self, status):
        progress = status.progress
        texts = self.status_texts(status)
        percent = int(round(100 * progress.ratio)) if progress.total else 0
        counter = self.ngettext("{done} of {total} item completed", "{done} of {total} items completed",
                                progress.total).format(done=progress.done, total=progress.total)
        context = {
            "state": status.state,
            "show_progress": progress.total > 0 and status.state not in (status.MISCONFIGURED, status.ANONYMOUS),
            "done": progress.done,
            "total": progress.total,
            "percent": percent,
            "counter": counter,
            "texts": texts,
            "label_id": self._dom_id("progress-label"),
            "progress_label": self._("Progress"),
            "remaining_label": self._("Still to complete"),
            "earned": status.state == status.EARNED,
        }
        return loader.render_django_template("templates/status.html", context)

    def status_payload(self, status):
        texts = self.status_texts(status)
        return {
            "state": status.state,
            "completed": status.progress.done,
            "total": status.progress.total,
            "score_percent": status.progress.score_percent,
            "announcement": " ".join(filter(None, [texts["message"]] + texts["lines"])),
            "html": self.render_status(status),
        }

    # -- views ---------------------------------------------------------------------------------

    def _fragment(self, html, initialize=True):
        fragment = Fragment(html)
        fragment.add_css(loader.load_unicode("static/css/completion_credit.css"))
        if initialize:
            fragment.add_javascript(loader.load_unicode("static/js/completion_credit.js"))
            fragment.initialize_js("CompletionCreditBlock", {
                "checkOnLoad": True,
                "errorText": self._("Your progress could not be checked just now. Please try again."),
            })
        return fragment

    @XBlock.supports("multi_device")
    def student_view(self, context=None):  # pylint: disable=unused-argument
        status = self.credit_status(award=False)
        html = loader.render_django_template("templates/student_view.html", {
            "heading_id": self._dom_id("heading"),
            "title": self.title(),
            "counts_toward": self.counts_toward(),
            "offers": self.offers(),
            "requirement": self.requirement(),
            "status_html": self.render_status(status),
            "check_label": self._("Check my progress"),
            "status_region_label": self._("Your progress toward this credit"),
            "status_label_id": self._dom_id("status-label"),
        })
        return self._fragment(html)

    def author_view(self, context=None):  # pylint: disable=unused-argument
        """Studio's preview: the configuration, what it counts, and what is wrong with it."""
        from ..content import counted_items  # pylint: disable=import-outside-toplevel
        items, missing = counted_items(self, self.scope, self.counted_blocks)
        html = loader.render_django_template("templates/author_view.html", {
            "heading_id": self._dom_id("heading"),
            "title": self.title(),
            "counts_toward": self.counts_toward(),
            "offers": self.offers(),
            "requirement": self.requirement(),
            "problems": [self.translator.render(problem) for problem in self.configuration_problems()],
            "problems_label": self._("Fix these before learners can earn this credit:"),
            "counted": self.ngettext("It counts {count} item:", "It counts {count} items:", len(items)).format(count=len(items)),
            "items": [item.display_name for item in items],
            "missing": self._("Listed but not found in this course: {names}").format(names=", ".join(missing)) if missing else "",
        })
        return self._fragment(html, initialize=False)

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """The configuration, as JSON, for the mobile apps (what is credited and what counts)."""
        framework = self._framework()
        items, _problems = parse_credit(self.credit)
        return {
            "display_name": self.title(),
            "framework": {"id": self.framework, "version": framework.version if framework else None,
                          "title": framework.title if framework else {}},
            "credit": [{"indicator": item.indicator, "points": float(item.points),
                        "title": (framework.indicator(item.indicator).title
                                  if framework and framework.indicator(item.indicator) else {})} for item in items],
            "learning_hours": self.learning_hours,
            "scope": self.scope,
            "counted_blocks": block_names(self.counted_blocks),
            "min_score": self.min_score,
        }
