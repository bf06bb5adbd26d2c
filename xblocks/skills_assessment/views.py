"""
What the assessment shows: HTML for the learner, staff and authors, rendered on the server.

Every string is translated here (templates only place them), every figure is computed here (the
chart's geometry too), and nothing built here ever reads an item's key: forms come from
:meth:`Item.public`, results from percents per competence.
"""
import random
import re
from functools import lru_cache
from pathlib import Path

from django.template import Context, Engine
from django.utils import formats

from xblocks.criteria.blueprints import draw_form
from xblocks.criteria.item_banks import MATCHING, MULTIPLE, ORDERING, RATING
from xblocks.criteria.language import localised

from . import assessment

TEMPLATES = Path(__file__).resolve().parent / "templates"
# The chart's geometry in SVG units: drawn for a phone (a 320-unit viewBox is about 1:1 at 360 px)
# and scaled up by the browser on wider screens.
CHART_WIDTH, BAR_WIDTH, ROW_HEIGHT, CHART_TOP = 320, 236, 56, 16
STATISTICS_FLAGS = {"facility_low": 0.2, "facility_high": 0.95, "discrimination_low": 0.2}


@lru_cache(maxsize=1)
def engine():
    return Engine(dirs=[str(TEMPLATES)], autoescape=True)


def render(name, context):
    return engine().get_template(name).render(Context(context))


def svg_number(value):
    """A coordinate for SVG: always a dot before the decimals (Django would write 70,8 in Vietnamese)."""
    return f"{value:.1f}"


def percent_text(value):
    return formats.number_format(round(value), 0) + " %"


class ViewBuilder:  # pylint: disable=too-many-public-methods
    def __init__(self, block, config):
        self.block = block
        self.config = config
        self.t = block.translator
        self.uid = "lc-sa-" + re.sub(r"[^A-Za-z0-9_-]+", "-", block.usage_key)

    @property
    def lang(self):
        return self.t.language

    def title(self, text):
        return localised(text, self.lang)

    # -- small pieces ---------------------------------------------------------------------------

    def level_text(self, level):
        _ = self.t.gettext
        return _("Not yet level 1") if level is None else _("Level {level}").format(level=level)

    def tier_text(self, tier):
        return self.title(tier.title) if tier is not None else "—"

    def policy_text(self):
        _ = self.t.gettext
        return {
            "highest": _("Your result is your best attempt."),
            "latest": _("Your result is your latest attempt."),
            "average": _("Your result is the average of your attempts."),
        }[self.block.attempt_policy]

    def attempts_text(self):
        t = self.t
        used, allowed = len(self.block.attempts), self.block.max_attempts
        if not allowed:
            return t.ngettext("{used} attempt used (no limit).", "{used} attempts used (no limit).", used).format(used=used)
        return t.ngettext("{used} of {allowed} attempt used.", "{used} of {allowed} attempts used.", allowed).format(
            used=used, allowed=allowed)

    def time_text(self):
        minutes = self.block.time_limit_minutes
        if not minutes:
            return self.t.gettext("No time limit.")
        return self.t.ngettext("Time limit: {minutes} minute.", "Time limit: {minutes} minutes.", minutes).format(minutes=minutes)

    def can_start(self):
        return not self.block.max_attempts or len(self.block.attempts) < self.block.max_attempts

    def form_size(self):
        return len(draw_form(self.config.bank, list(self.config.rules), random.Random(0)))

    # -- the learner's view ---------------------------------------------------------------------

    def student(self, problems, moment):
        _ = self.t.gettext
        staff = self.block.current_user().staff
        context = {"uid": self.uid, "lang": self.lang, "title": self.display_name(), "staff": staff,
                   "staff_heading": _("Item statistics (course staff)"), "stats_button": _("Show item statistics")}
        if problems:
            context["body"] = render("not_ready.html", {
                "message": _("This assessment is not set up correctly yet. Please tell the course team."),
                "problems": [self.t.render(p) for p in problems] if staff else [],
            })
            context["staff"] = False
        elif self.block.current_form and assessment.is_expired(self.block.current_form, moment):
            context["body"] = render("expired.html", {
                "attempt_id": self.block.current_form["id"],
                "message": _("Time is up for this attempt. It is being closed; your result follows."),
            })
        elif self.block.current_form:
            context["body"] = self.form_html(self.block.current_form, moment)
        elif self.block.attempts:
            context["body"] = self.results_html()
        else:
            context["body"] = self.intro_html()
        return render("student.html", context)

    def display_name(self):
        default = self.block.fields["display_name"].default
        return self.t.gettext(default) if self.block.display_name == default else self.block.display_name

    def intro_html(self):
        _ = self.t.gettext
        size = self.form_size()
        return render("intro.html", {
            # The item bank's description is written for authors (who wrote the items, on which pattern):
            # learners read what the assessment asks of them, in their language.
            "description": _("For each competence of the {framework} framework, you say how well you can do it "
                             "and answer a short question about it.").format(
                                 framework=self.title(self.config.framework.short_title)),
            "facts": [self.t.ngettext("{count} question.", "{count} questions.", size).format(count=size),
                      self.time_text(), self.attempts_text(), self.policy_text()],
            "note": _("This is a self-assessment: it shows your digital skills by competence of the {framework} "
                      "framework and what to learn next. It is not a certificate.").format(
                          framework=self.title(self.config.framework.short_title)),
            "button": _("Start the assessment"),
        })

    def form_html(self, form, moment):
        _ = self.t.gettext
        items = assessment.public_form(self.config, form, self.lang)
        framework = self.config.framework
        groups, current = [], None
        for number, item in enumerate(items, start=1):
            domain = framework.domain_of(item["competences"][0])
            if current is None or current["code"] != domain.code:
                current = {"code": domain.code, "title": self.title(domain.title), "items": []}
                groups.append(current)
            item["number"] = number
            item["competence_labels"] = [f"{code} {self.title(framework.competence(code).title)}" for code in item["competences"]]
            item["hint"] = {
                MULTIPLE: _("Choose all that apply."),
                ORDERING: _("Give each step its position, from 1 (first) onwards."),
                MATCHING: _("For each item, choose the one that matches it."),
                RATING: {"knowledge": _("Self-rating: knowledge"), "skills": _("Self-rating: skills"),
                         "attitudes": _("Self-rating: attitudes")}.get(item["dimension"], ""),
            }.get(item["kind"], "")
            if item["kind"] == ORDERING:
                item["positions"] = list(range(1, len(item["options"]) + 1))
            current["items"].append(item)
        left = assessment.seconds_left(form, moment)
        return render("form.html", {
            "attempt_id": form["id"], "groups": groups, "count": len(items),
            "heading": _("Attempt {number}").format(number=form["number"]),
            "seconds_left": "" if left is None else left,
            "time_label": _("Time left"),
            "instructions": _("Answer every question, then submit. Your answers are scored only when you submit."),
            "position_label": _("Position"), "choose": _("Choose…"), "submit": _("Submit my answers"),
            "competence_label": _("Competence"),
        })

    def form_response(self, form, moment):
        return {"html": self.form_html(form, moment), "attempt_id": form["id"],
                "seconds_left": assessment.seconds_left(form, moment)}

    # -- results -----------------------------------------------------------------------------------

    def results_html(self):
        _ = self.t.gettext
        config, attempts = self.config, self.block.attempts
        result = assessment.counted_result(config, attempts)
        framework = config.framework
        domains = []
        for index, domain in enumerate(result.domains):
            info = framework.domain(domain.score.code)
            domains.append({
                "code": domain.score.code, "title": self.title(info.title),
                "percent": percent_text(domain.score.percent), "level": self.level_text(domain.score.level),
                "tier": self.tier_text(domain.score.tier), "band": self.title(domain.score.band.title),
                "bar": svg_number(BAR_WIDTH * domain.score.percent / 100.0),
                "y": CHART_TOP + index * ROW_HEIGHT,
                "competences": [{
                    "code": score.code, "title": self.title(framework.competence(score.code).title),
                    "percent": percent_text(score.percent), "level": self.level_text(score.level),
                    "tier": self.tier_text(score.tier), "gap": score.code in result.gaps,
                } for score in domain.competences],
            })
        gaps = []
        for code in result.gaps:
            score = next(s for s in result.competences if s.code == code)
            gaps.append({"code": code, "title": self.title(framework.competence(code).title),
                         "level": self.level_text(score.level),
                         "links": [{"url": link.url, "title": link.title or link.url} for link in config.links_for(code)]})
        unlinked = sum(1 for gap in gaps if not gap["links"])
        axis_y = CHART_TOP + len(domains) * ROW_HEIGHT - 4
        height = axis_y + 6
        gridlines = [{"x": svg_number(BAR_WIDTH * band.from_percent / 100.0), "label": f"{band.from_percent:g}"}
                     for band in config.scale.bands if band.from_percent > 0]
        axis = [{"x": 0, "label": "0", "anchor": "start"}] + \
            [{"x": line["x"], "label": line["label"], "anchor": "middle"} for line in gridlines] + \
            [{"x": BAR_WIDTH, "label": "100 %", "anchor": "end"}]
        chart_desc = "; ".join(f"{d['title']}: {d['percent']}, {d['level']} ({d['tier']})" for d in domains)
        yes, no = _("Reached"), _("Not yet")
        return render("results.html", {
            "uid": self.uid, "heading": _("Your results"),
            "overall_label": _("Overall"), "overall_percent": percent_text(result.overall.percent),
            "overall_level": self.level_text(result.overall.level), "overall_tier": self.tier_text(result.overall.tier),
            "facts": [
                {"label": _("Has digital skills"), "value": yes if result.has_digital_skills else no,
                 "rule": self.title(config.scale.has_digital_skills.description) if config.scale.has_digital_skills.description else ""},
                {"label": _("Proficient"), "value": yes if result.proficient else no,
                 "rule": self.title(config.scale.proficient.description) if config.scale.proficient.description else ""},
            ],
            "policy": self.policy_text(),
            "chart_title": _("Scores by domain"), "chart_desc": chart_desc, "chart_width": CHART_WIDTH,
            "chart_height": height, "bar_width": BAR_WIDTH, "value_x": BAR_WIDTH + 6, "gridlines": gridlines,
            "axis": axis, "axis_y": axis_y,
            "chart_caption": _("Bars show each domain's score out of 100 %; the dashed lines mark where the bands begin: {bands}.").format(
                bands=", ".join(f"{self.title(band.title)} {band.from_percent:g} %" for band in config.scale.bands if band.from_percent > 0)),
            "domains": domains,
            "table_caption": _("Scores by domain and competence"),
            "columns": [_("Domain or competence"), _("Score"), _("Level (tier)")],
            "gaps_heading": _("What to learn next"), "gaps": gaps,
            "gaps_intro": _("These competences are below level {level}.").format(level=config.scale.gap_below_level),
            "no_gaps": _("No competence is below level {level}. Keep practising to go further.").format(
                level=config.scale.gap_below_level),
            # Said once under the list, not after every competence without a course.
            "no_links": self.t.ngettext(
                "No course is linked to this competence yet: ask your community learning centre.",
                "No course is linked to these competences yet: ask your community learning centre.",
                unlinked) if unlinked else "",
            "gap_mark": _("(to learn next)"),
            "history_heading": _("Your attempts"),
            "history_columns": [_("Attempt"), _("Ended"), _("Score"), _("Level")],
            "history": [{"number": a["number"], "ended": self.when(a["submitted_at"]),
                         "percent": percent_text(a["percent"]), "level": self.level_text(a["level"]),
                         "status": _("time ran out") if a["status"] == assessment.EXPIRED else ""}
                        for a in reversed(attempts)],
            "attempts": self.attempts_text(),
            "can_start": self.can_start(), "button": _("Start a new attempt"),
            "no_more": _("You have used all your attempts."),
        })

    def when(self, iso_text):
        moment = assessment.parse_time(iso_text)
        return formats.date_format(moment, "SHORT_DATETIME_FORMAT") if moment else ""

    def results_response(self, already_submitted=False, expired=False):
        _ = self.t.gettext
        if already_submitted:
            notice = _("This attempt was already submitted; it counts once.")
        elif expired:
            notice = _("Time was up before your answers arrived: the attempt ended without them.")
        else:
            notice = _("Your answers were recorded.")
        # The notice goes to the block's status region (shown and announced once), not into the results too.
        return {"html": self.results_html(), "already_submitted": already_submitted, "expired": expired,
                "notice": notice}

    # -- staff -------------------------------------------------------------------------------------

    def statistics_response(self, rows):
        _ = self.t.gettext
        bank = self.config.bank
        items = []
        for row in rows:
            item = bank.item(row.item_id)
            flags = []
            if row.facility is not None and row.facility < STATISTICS_FLAGS["facility_low"]:
                flags.append(_("very hard"))
            if row.facility is not None and row.facility > STATISTICS_FLAGS["facility_high"]:
                flags.append(_("very easy"))
            if row.discrimination is not None and row.discrimination < STATISTICS_FLAGS["discrimination_low"]:
                flags.append(_("weak discrimination"))
            items.append({
                "id": row.item_id, "prompt": self.title(item.prompt) if item else "", "kind": item.kind if item else "",
                "competences": ", ".join(item.competences) if item else "", "responses": row.responses,
                "facility": "—" if row.facility is None else f"{row.facility:.2f}",
                "discrimination": "—" if row.discrimination is None else f"{row.discrimination:.2f}",
                "flags": ", ".join(flags),
            })
        html = render("statistics.html", {
            "uid": self.uid,
            "caption": _("Item statistics from each learner's latest submitted attempt"),
            "columns": [_("Item"), _("Kind"), _("Competences"), _("Responses"), _("Facility"), _("Discrimination"), _("Review")],
            "items": items, "empty": _("No attempt has been submitted yet."),
            "explanation": _("Facility is the mean score (0 to 1). Discrimination is the correlation between the item "
                             "and the learner's other items; below 0.2 the item hardly separates stronger from weaker learners. "
                             "It needs at least 3 responses."),
        })
        return {"html": html, "items": [dict(item) for item in items]}

    # -- authors ------------------------------------------------------------------------------------

    def author(self, problems):
        _ = self.t.gettext
        context = {"title": self.display_name(), "problems": [self.t.render(p) for p in problems],
                   "problems_heading": _("Fix these before learners can take the assessment:")}
        if self.config is not None:
            bank, framework = self.config.bank, self.config.framework
            kinds = {}
            for item in bank.items:
                kinds[item.kind] = kinds.get(item.kind, 0) + 1
            context["facts"] = [
                (_("Item bank"), f"{self.title(bank.title)} ({bank.id} {bank.version})"),
                (_("Competence framework"), f"{self.title(framework.title)} ({framework.id} {framework.version})"),
                (_("Items in the bank"), ", ".join(f"{kind}: {count}" for kind, count in sorted(kinds.items()))),
                (_("Competences covered"), f"{len(bank.covered_competences())} / {len(framework.competences)}"),
                (_("Questions per form"), str(self.form_size())),
                (_("Proficiency scale"), f"{self.title(self.config.scale.title)} ({self.config.scale.id} {self.config.scale.version})"),
                (_("Attempts allowed"), str(self.block.max_attempts) if self.block.max_attempts else _("No limit")),
                (_("Time limit"), self.time_text()),
            ]
        return render("author.html", context)

    # -- scripts ------------------------------------------------------------------------------------

    def js_settings(self):
        _ = self.t.gettext
        return {"text": {
            "unanswered": _("Please answer every question before you submit. Not answered yet: {numbers}."),
            "positions": _("Question {number}: give each step a different position."),
            "submitting": _("Submitting your answers…"),
            "starting": _("Preparing your questions…"),
            "time_up": _("Time is up. Your answers are being submitted."),
            "minutes_left": _("{minutes} minutes left."),
            "one_minute_left": _("1 minute left."),
            "error": _("Something went wrong. Please try again."),
            "results_ready": _("Your results are shown below."),
            "form_ready": _("Your questions are ready."),
        }}
