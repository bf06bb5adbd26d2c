"""
What the standing page shows, in the viewer's language: a plain data structure for the template,
built from the ledger (:func:`panel_context`), plus the SVG chart geometry.

Every figure a chart draws is also written out as text in the same panel (the table of indicators
and the summary), and each chart carries a title and description for screen readers.
"""
from datetime import timezone as dt_timezone
from decimal import Decimal

from django.utils import timezone

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


def credit_items(_, entries):
    items = []
    for entry in entries:
        reversal = entry.kind == "reversal"
        points = number(abs(entry.points))
        if reversal:
            change = _("−{points} points (reversal of entry {entry})").format(points=points, entry=entry.reverses_id)
        else:
            change = _("+{points} points").format(points=points)
        links = []
        for item in entry.evidence or []:
            uri = item.get("uri", "") if isinstance(item, dict) else ""
            if uri:
                links.append({"uri": uri, "linkable": uri.startswith(("https://", "http://"))})
        items.append({
            "id": entry.pk,
            "indicator": _("Indicator {code}").format(code=entry.indicator),
            "change": change,
            "reversal": reversal,
            "reason": entry.reason,
            "date": day(entry.occurred_at),
            "datetime": entry.occurred_at.astimezone(dt_timezone.utc).isoformat(),
            "source": _source_label(_, entry.source_kind),
            "course": entry.course_key,
            "usage": entry.usage_key,
            "provenance": _provenance_label(_, entry.provenance),
            "assurance": _assurance_label(_, entry.assurance),
            "evidence": links,
        })
    return items


def summary(_, standing):
    """The verdict in words, with every number the total chart shows."""
    total = _("{total} of {maximum} points; {threshold} needed.").format(
        total=number(standing.total), maximum=number(standing.max_total), threshold=number(standing.min_total))
    if standing.recognised:
        return total, _("Recognised as a Learning Citizen for {period}.").format(period=standing.period), []
    reasons = []
    missing = standing.min_total - standing.total
    if missing > 0:
        reasons.append(_("The total is {points} points short.").format(points=number(missing)))
    if standing.short:
        reasons.append(_("Below the minimum: indicators {codes}.").format(codes=", ".join(standing.short)))
    return total, _("Not yet recognised for {period}.").format(period=standing.period), reasons


def panel_context(_, *, framework, standing, entries, periods, viewer_is_learner, learner_label, credential_url,
                  dom_id):
    """Everything the panel template needs (strings already translated)."""
    rows = indicator_rows(_, framework, standing)
    total_line, verdict, reasons = summary(_, standing)
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
        "rows": rows,
        "credits": credit_items(_, entries),
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
            "scroll_region": _("Points per indicator (scrolls sideways on small screens)"),
        },
    }
