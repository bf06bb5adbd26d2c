"""
What the standing page shows, in the viewer's language: a plain data structure for the template,
built from the ledger (:func:`panel_context`), plus the SVG chart geometry.

Every figure a chart draws is also written out as text in the same panel (the table of indicators
and the summary), and each chart carries a title and description for screen readers.
"""
from datetime import timezone as dt_timezone
from decimal import Decimal

from django.utils import timezone

from xblocks.common import places
from xblocks.common.mixins import shipped_language
from xblocks.criteria.language import localised
from xblocks.criteria.standing import format_points

CHART_WIDTH = 320
LABEL_WIDTH = 34
VALUE_WIDTH = 74
ROW_HEIGHT = 26
BAR_HEIGHT = 14
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def svg(value):
    """A coordinate as text, so the template never writes it with a localised decimal comma."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def number(value):
    """Points for people in the active language: 7.5 in English, 7,5 in Vietnamese."""
    text = format_points(value)
    return text.replace(".", ",") if shipped_language() == "vi" else text


def day(moment):
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    if shipped_language() == "vi":
        return f"{local.day:02d}/{local.month:02d}/{local.year}"
    return f"{local.day} {MONTHS_EN[local.month - 1]} {local.year}"


def plural_count(value):
    """The count ngettext chooses a form by: 1 for exactly one point, 2 (plural) for any other amount, 1.5 too."""
    return 1 if value == 1 else 2


def points_text(ngettext, value):
    """"1 point", "7.5 points" (in Vietnamese "1 điểm", "7,5 điểm")."""
    return ngettext("{points} point", "{points} points", plural_count(value)).format(points=number(value))


def _source_label(_, kind):
    return {
        "completion": _("Course content completed"),
        "assessment": _("Skills assessment"),
        "declaration": _("Declaration with evidence"),
        "course-passing": _("Course passed"),
        "certificate": _("Course certificate"),
        "import": _("Imported record"),
    }.get(kind, kind)


def _provenance_label(_, provenance):
    return {"verified": _("Verified by the platform"), "declared": _("Declared by the learner")}.get(provenance, provenance)


def _assurance_label(_, assurance):
    return {"self-reported": _("Self-reported"), "auto-scored": _("Scored automatically"),
            "staff-reviewed": _("Reviewed by staff")}.get(assurance, assurance)


def indicator_rows(_, framework, standing):
    rows = []
    for position, indicator in enumerate(standing.indicators):
        definition = framework.indicator(indicator.code)
        shortfall = indicator.shortfall
        if shortfall > 0:
            status = _("short by {points}").format(points=number(shortfall))
        else:
            status = _("minimum reached")
        capped = indicator.earned > indicator.points
        share = float(indicator.points / indicator.max_points) if indicator.max_points else 0.0
        minimum_share = float(indicator.min_points / indicator.max_points) if indicator.max_points else 0.0
        bar_space = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
        rows.append({
            "code": indicator.code,
            "title": localised(definition.title, shipped_language()) if definition else indicator.code,
            "points": number(indicator.points),
            "max": number(indicator.max_points),
            "min": number(indicator.min_points),
            "short": shortfall > 0,
            "status": status,
            "capped_note": _("{earned} recorded; at most {maximum} count").format(
                earned=number(indicator.earned), maximum=number(indicator.max_points)) if capped else "",
            "y": svg(position * ROW_HEIGHT),
            "y_end": svg((position + 1) * ROW_HEIGHT),
            "bar_y": svg(position * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2),
            "text_y": svg(position * ROW_HEIGHT + ROW_HEIGHT // 2 + 5),
            "bar_x": svg(LABEL_WIDTH),
            "bar_space": svg(bar_space),
            "bar_width": svg(bar_space * share),
            "min_x": svg(LABEL_WIDTH + bar_space * minimum_share),
            "value_text": f"{number(indicator.points)}/{number(indicator.max_points)}",
        })
    return rows


class Names:
    """Names of the places behind a page's credit, each looked up once (the directories may read a store)."""

    def __init__(self, entries):
        self.titles = places.credit_titles(entries)
        uris = [item.get("uri", "") for entry in entries for item in (entry.evidence or []) if isinstance(item, dict)]
        self.files = places.evidence_names([uri for uri in uris if uri])
        self._courses, self._activities = {}, {}

    def course(self, course_key):
        if course_key not in self._courses:
            self._courses[course_key] = places.course(course_key)
        return self._courses[course_key]

    def activity(self, usage_key):
        if usage_key not in self._activities:
            self._activities[usage_key] = places.activity(usage_key)
        return self._activities[usage_key]


def _evidence_links(_, entry, names):
    """Links a learner can follow, and their files by name; never a ``urn:uuid:``."""
    links = []
    for number_, item in enumerate(entry.evidence or [], start=1):
        uri = item.get("uri", "") if isinstance(item, dict) else ""
        if uri.startswith(("https://", "http://")):
            links.append({"uri": uri, "text": uri, "linkable": True})
        elif uri:
            links.append({"uri": "", "text": names.files.get(uri) or _("File {number} kept with the declaration").format(
                number=number_), "linkable": False})
    return links


def credit_items(_, entries, ngettext, names=None):
    names = names or Names(entries)
    items = []
    for entry in entries:
        reversal = entry.kind == "reversal"
        points = points_text(ngettext, abs(entry.points))
        if reversal:
            change = _("−{points} (taken back: {reason})").format(points=points, reason=entry.reason) if entry.reason \
                else _("−{points} (taken back)").format(points=points)
        else:
            change = "+" + points
        course = names.course(entry.course_key) if entry.course_key else None
        activity = names.activity(entry.usage_key) if entry.usage_key else None
        declaration = names.titles.get(entry.pk)
        items.append({
            "id": entry.pk,
            "indicator": _("Indicator {code}").format(code=entry.indicator),
            "change": change,
            "reversal": reversal,
            "reason": "" if reversal else entry.reason,
            "date": day(entry.occurred_at),
            "datetime": entry.occurred_at.astimezone(dt_timezone.utc).isoformat(),
            "source": _source_label(_, entry.source_kind),
            "course": course,
            # A declaration is known by the title its learner gave it; the block it was declared in comes second.
            "declaration": declaration or "",
            "activity": activity,
            "provenance": _provenance_label(_, entry.provenance),
            "assurance": _assurance_label(_, entry.assurance),
            "evidence": _evidence_links(_, entry, names),
        })
    return items


def summary(_, standing, ngettext, rows=()):
    """The verdict in words, with every number the total chart shows; the indicators short, by name."""
    total = _("{total} of {maximum} points; {threshold} needed.").format(
        total=number(standing.total), maximum=number(standing.max_total), threshold=number(standing.min_total))
    if standing.recognised:
        return total, _("Recognised as a Learning Citizen for {period}.").format(period=standing.period), [], []
    reasons = []
    missing = standing.min_total - standing.total
    if missing > 0:
        reasons.append(ngettext("The total is {points} point short.", "The total is {points} points short.",
                                plural_count(missing)).format(points=number(missing)))
    below = [row for row in rows if row["short"]]
    return total, _("Not yet recognised for {period}.").format(period=standing.period), reasons, below


def next_steps(_, ngettext, *, framework, standing, rows, entries, learner_id, dom_id):
    """
    For every indicator below its minimum, and (while the total is short) every indicator with room
    left: what is missing, where on this site to earn it (linked), and what may be declared.
    """
    from .next_steps import declaration_room, ways_to_earn  # pylint: disable=import-outside-toplevel
    if standing.recognised:
        return []
    total_short = standing.total < standing.min_total
    by_code = {indicator.code: indicator for indicator in standing.indicators}
    wanted = [row for row in rows if row["short"]] + [
        row for row in rows if not row["short"] and total_short and by_code[row["code"]].points < by_code[row["code"]].max_points]
    codes = [row["code"] for row in wanted]
    ways = ways_to_earn(learner_id, framework.id, codes)
    declared = {}
    for entry in entries:
        if entry.source_kind == "declaration":
            declared[entry.indicator] = declared.get(entry.indicator, Decimal("0")) + entry.points
    kind_labels = {
        "course": _("Course"), "completion": _("Course content"), "assessment": _("Skills assessment"),
        "declaration": _("Declare here"),
    }
    steps = []
    for row in wanted:
        indicator = by_code[row["code"]]
        if row["short"]:
            need = ngettext("{points} more point needed to reach the minimum of {minimum}.",
                            "{points} more points needed to reach the minimum of {minimum}.",
                            plural_count(indicator.shortfall)).format(points=number(indicator.shortfall), minimum=row["min"])
        else:
            room = indicator.max_points - indicator.points
            need = ngettext("Room for {points} more point toward the total.", "Room for {points} more points toward the total.",
                            plural_count(room)).format(points=number(room))
        allowed, room_declared = declaration_room(framework.id, row["code"], declared.get(row["code"], Decimal("0")))
        declarations = ""
        if allowed is not None:
            kinds = ", ".join(_(kind) for kind in allowed.kinds)
            if room_declared > 0:
                declarations = ngettext(
                    "Declarations with evidence may add up to {points} more point this period: {kinds}.",
                    "Declarations with evidence may add up to {points} more points this period: {kinds}.",
                    plural_count(room_declared)).format(points=number(room_declared), kinds=kinds)
            else:
                declarations = _("Declarations with evidence have reached their cap on this indicator this period.")
        steps.append({
            "code": row["code"],
            "title": row["title"],
            "anchor": f"{dom_id}-next-{row['code']}",
            "short": row["short"],
            "need": need,
            "ways": [{"title": way["place"].title, "url": way["place"].url, "kind": kind_labels.get(way["kind"], "")}
                     for way in ways.get(row["code"], [])],
            "declarations": declarations,
        })
    return steps


def next_steps_once(_, ngettext, steps):
    """
    What would repeat on every step, said once above them: the declarations allowed when they are the
    same for every indicator (they then leave the steps), and the indicators nothing on the site credits.
    """
    declarations = {step["declarations"] for step in steps}
    common = declarations.pop() if len(declarations) == 1 else ""
    if common:
        for step in steps:
            step["declarations"] = ""
    uncredited = sorted((step["code"] for step in steps if not step["ways"]), key=lambda code: (len(code), code))
    nowhere = ngettext("No activity or course on this site credits indicator {codes} yet.",
                       "No activity or course on this site credits indicators {codes} yet.",
                       len(uncredited)).format(codes=", ".join(uncredited)) if uncredited else ""
    return {"declarations": common, "nowhere": nowhere}


def panel_context(_, *, framework, standing, entries, periods, viewer_is_learner, learner_label, credential_url,
                  dom_id, ngettext, learner_id):
    """Everything the panel template needs (strings already translated)."""
    rows = indicator_rows(_, framework, standing)
    total_line, verdict, reasons, below = summary(_, standing, ngettext, rows)
    steps = next_steps(_, ngettext, framework=framework, standing=standing, rows=rows, entries=entries,
                       learner_id=learner_id, dom_id=dom_id)
    bar_space = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    max_total = standing.max_total or Decimal("1")
    chart_height = ROW_HEIGHT * len(rows)
    indicator_description = "; ".join(
        _("indicator {code}: {points} of {maximum}, minimum {minimum}").format(
            code=row["code"], points=row["points"], maximum=row["max"], minimum=row["min"])
        for row in rows)
    return {
        "dom_id": dom_id,
        "period": standing.period,
        "periods": [{"value": period, "selected": period == standing.period} for period in periods],
        "learner_label": learner_label,
        "viewer_is_learner": viewer_is_learner,
        "recognised": standing.recognised,
        "verdict": verdict,
        "total_line": total_line,
        "reasons": reasons,
        "below": [{"code": row["code"], "title": row["title"], "anchor": f"{dom_id}-next-{row['code']}"} for row in below],
        "next_steps": steps,
        "next_once": next_steps_once(_, ngettext, steps),
        "rows": rows,
        "credits": credit_items(_, entries, ngettext),
        "credential_url": credential_url if standing.recognised and viewer_is_learner else "",
        "chart": {
            "width": svg(CHART_WIDTH),
            "height": svg(chart_height),
            "value_x": svg(CHART_WIDTH - 4),
            "title": _("Points per indicator, {period}").format(period=standing.period),
            "description": indicator_description,
        },
        "total_chart": {
            "width": svg(CHART_WIDTH),
            "bar_x": svg(LABEL_WIDTH),
            "bar_space": svg(bar_space),
            "bar_width": svg(bar_space * min(float(standing.total / max_total), 1.0)),
            "threshold_x": svg(LABEL_WIDTH + bar_space * float(standing.min_total / max_total)),
            "value_text": f"{number(standing.total)}/{number(standing.max_total)}",
            "title": _("Total points, {period}").format(period=standing.period),
            "description": total_line,
            "reached": standing.total >= standing.min_total,
        },
        "labels": {
            "indicators": _("Points per indicator"),
            "indicator": _("Indicator"),
            "points": _("Points"),
            "minimum": _("Minimum"),
            "maximum": _("Maximum"),
            "status": _("Status"),
            "table_caption": _("Points per indicator in {period}, against each indicator's minimum and maximum").format(period=standing.period),
            "credits": _("Credit behind these figures"),
            "no_credits": _("No credit recorded for this period yet."),
            "source": _("Source"),
            "course": _("Course"),
            "activity": _("Activity"),
            "provenance": _("Provenance"),
            "assurance": _("Assurance"),
            "evidence": _("Evidence"),
            "reason": _("Reason"),
            "credential": _("Download my Learning Citizen credential (Open Badges 3.0)"),
            "credential_note": _("A signed file you can show to anyone; they can check it with the issuer's public key."),
            "chart_legend": _("The dark line on each bar marks the minimum for that indicator; the line on the total marks the points needed."),
            "total": _("Total"),
            "below": ngettext("Below the minimum on this indicator:", "Below the minimum on these indicators:", len(below)),
            "next_steps": _("What would close the gap"),
            "where": _("Where to earn it on this site:"),
            "declaration": _("Declaration"),
            "scroll_region": _("Points per indicator (scrolls sideways on small screens)"),
        },
    }
