"""
A report as CSV, and as one self-contained HTML page (inline CSS and SVG, no scripts, no
external assets) that reads on a phone and meets WCAG 2.1 AA: every chart is an image with a
text alternative, and the same figures stand in a table next to it.
"""
import textwrap
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from xblocks.common.mixins import shipped_language
from xblocks.common.spreadsheet import csv_writer, spreadsheet_safe
from xblocks.criteria.language import localised

# Chart geometry, in SVG user units; the page scales the drawing to the screen's width.
CHART_WIDTH = 320
_BAR_LEFT, _BAR_WIDTH = 4, 312
_LINE = 17
_WRAP = 38


def text(titles):
    """The active language's text of a {"vi": …, "en": …} title (fallbacks: :func:`~xblocks.criteria.language.localised`)."""
    return localised(titles, shipped_language())


def percent_text(value):
    """45.5 → "45,5 %" in Vietnamese, "45.5 %" in English; None → "—"."""
    if value is None:
        return "—"
    return f"{formats.number_format(value, 1)} %"


def target_text(value):
    """A target as its data gives it: 40 → "40 %", 97.5 → "97,5 %" in Vietnamese."""
    if value is None:
        return "—"
    exact = Decimal(f"{value.normalize():f}")
    return f"{formats.number_format(exact, max(-exact.as_tuple().exponent, 0))} %"


def _area_label(area):
    if area.kind == "all":
        return _("All members")
    kinds = {"province": _("Province"), "commune": _("Commune"), "community": _("Community"), "unit": _("Unit")}
    label = f"{kinds[area.kind]} {area.name} ({area.code})"
    return f"{label}, {area.parent}" if area.parent else label


def _level_text(level):
    if level is None:
        return _("not assessable")
    if level == 0:
        return _("below level 1")
    return _("level {level}").format(level=level)


# --- CSV -----------------------------------------------------------------------------------------

def csv_rows(report):
    """The report as flat rows (dicts): one per target, then the supporting figures."""
    progress, area = report.progress, report.area
    milestones = progress.targets.milestones
    area_code = "all" if area.kind == "all" else f"{area.kind}:{area.code}"

    def row(section, code, label, share=None, kind="", level=None, comparisons=()):
        # Text that comes from data (codes, names, kinds) is guarded; numbers stay numbers.
        item = {
            "period": progress.period, "area": spreadsheet_safe(area_code), "section": section,
            "code": spreadsheet_safe(code), "label": spreadsheet_safe(label),
            "kind": spreadsheet_safe(kind), "count": "" if share is None else share.count, "of": "" if share is None else share.of,
            "percent": "" if share is None or share.percent is None else f"{share.percent:.1f}",
            "level": "" if level is None else level,
        }
        by_year = {comparison.milestone: comparison for comparison in comparisons}
        for year in milestones:
            comparison = by_year.get(year)
            item[f"target_{year}"] = "" if comparison is None or comparison.target_percent is None else f"{comparison.target_percent.normalize():f}"
            item[f"met_{year}"] = "" if comparison is None or comparison.met is None else ("yes" if comparison.met else "no")
            item[f"gap_{year}"] = "" if comparison is None or comparison.gap_points is None else f"{comparison.gap_points:.1f}"
            item[f"more_needed_{year}"] = "" if comparison is None or comparison.more_needed is None else comparison.more_needed
        return item

    rows = [row("target", line.target.code, text(line.target.title), line.share, comparisons=line.comparisons)
            for line in progress.target_lines()]
    rows.append(row("members", "title-holders", _("Title holders among all members counted"), progress.holders))
    kinds = {"family": _("Adults in families"), "clan": _("Adults in clans"), "community": _("Adults in communities")}
    rows += [row("group-kind", kind, kinds[kind], share) for kind, share in progress.by_group_kind.items()]
    rows += [row("population-group", code, text(report.population_group_titles.get(code)) or code, share)
             for code, share in progress.by_population_group]
    rows += [row("unit", unit.code, unit.name, unit.share, kind=unit.kind, level=unit.level) for unit in progress.units]
    for item in progress.breakdown:
        name = report.breakdown_names.get(item.key, item.key)
        rows.append(row("breakdown-adults-in-groups", item.key, name, item.adults_in_groups, kind=report.breakdown_kind or ""))
        rows.append(row("breakdown-unit-staff", item.key, name, item.unit_staff, kind=report.breakdown_kind or ""))
    return rows


def csv_fields(report):
    fields = ["period", "area", "section", "code", "label", "kind", "count", "of", "percent", "level"]
    for year in report.progress.targets.milestones:
        fields += [f"target_{year}", f"met_{year}", f"gap_{year}", f"more_needed_{year}"]
    return fields


def write_csv(report, out):
    fields = csv_fields(report)
    writer = csv_writer(out)
    writer.writerow(fields)
    writer.writerows([row[field] for field in fields] for row in csv_rows(report))


# --- HTML ----------------------------------------------------------------------------------------

def _wrap(label):
    return textwrap.wrap(label, _WRAP) or [""]


def _x(percent):
    return _BAR_LEFT + float(percent) * _BAR_WIDTH / 100


def _target_chart(lines, milestones):
    """Geometry of the targets chart: one bar per measured target, a mark per milestone's target."""
    styles = ["6 4", ""]          # the earlier milestone dashed, the last one solid
    rows, y = [], 4
    for line in lines:
        if line.share is None or line.share.percent is None:
            continue
        label = _wrap(text(line.target.title))
        label_y = y + 13
        bar_y = y + len(label) * _LINE + 2
        marks, legend = [], []
        for index, comparison in enumerate(line.comparisons):
            if comparison.target_percent is None:
                continue
            dash = styles[0] if index < len(milestones) - 1 else styles[1]
            marks.append({"x": round(_x(comparison.target_percent), 1), "dash": dash})
            legend.append(_("{year}: {target}").format(year=comparison.milestone, target=target_text(comparison.target_percent)))
        rows.append({
            "label": label, "label_y": label_y, "bar_y": bar_y, "bar_width": round(float(line.share.percent) * _BAR_WIDTH / 100, 1),
            "value": percent_text(line.share.percent), "value_y": bar_y + 13,
            "marks": marks, "mark_top": bar_y - 4, "mark_bottom": bar_y + 22,
            "legend": _("Target {targets}").format(targets="; ".join(legend)) if legend else _("No target set"),
            "legend_y": bar_y + 39,
        })
        y = bar_y + 54
    return {"rows": rows, "height": y, "left": _BAR_LEFT, "width": _BAR_WIDTH, "full": CHART_WIDTH}


def _count_chart(items):
    """Geometry of a chart of counts: [(label, count)] as bars scaled to the largest count."""
    top = max((count for _, count in items), default=0) or 1
    rows, y = [], 4
    for label, count in items:
        bar_y = y + _LINE + 2
        width = round(count * (_BAR_WIDTH - 60) / top, 1)
        rows.append({"label": _wrap(label), "label_y": y + 13, "bar_y": bar_y, "value_y": bar_y + 13,
                     "bar_width": width, "value_x": round(_BAR_LEFT + width + 6, 1), "value": formats.number_format(count, 0)})
        y = bar_y + 30
    return {"rows": rows, "height": y, "left": _BAR_LEFT, "full": CHART_WIDTH}


def _breakdown_chart(report):
    """Two bars per breakdown row: title holders among adults in groups, and among unit staff."""
    rows, y = [], 4
    for item in report.progress.breakdown:
        name = report.breakdown_names.get(item.key, item.key)
        bar_y = y + _LINE + 2
        bars = []
        for index, share in enumerate((item.adults_in_groups, item.unit_staff)):
            percent = share.percent
            width = 0 if percent is None else round(float(percent) * (_BAR_WIDTH - 70) / 100, 1)
            bars.append({
                "y": bar_y + index * 20, "width": width, "value_x": round(_BAR_LEFT + width + 6, 1),
                "value": percent_text(percent), "pattern": index == 1, "value_y": bar_y + index * 20 + 13,
            })
        rows.append({"label": _wrap(f"{name} ({item.key})"), "label_y": y + 13, "bars": bars})
        y = bar_y + 50
    return {"rows": rows, "height": y, "left": _BAR_LEFT, "full": CHART_WIDTH}


def html_context(report):
    progress, targets = report.progress, report.progress.targets
    lines = progress.target_lines()
    level_counts = []
    assessable = [unit for unit in progress.units if unit.level is not None]
    for level in (0, *targets.level_numbers):
        level_counts.append((_level_text(level), sum(1 for unit in assessable if unit.level == level)))
    group_kinds = {"family": _("Adults in families"), "clan": _("Adults in clans"), "community": _("Adults in communities")}
    return {
        "lang": shipped_language(),
        "title": _("Learning Citizen progress, {period}: {area}").format(period=progress.period, area=_area_label(report.area)),
        "period": progress.period,
        "area": _area_label(report.area),
        "generated": formats.date_format(timezone.localtime(), "DATETIME_FORMAT"),
        "targets": {"title": text(targets.title), "id": targets.id, "version": targets.version,
                    "sources": [text(source) for source in targets.sources],
                    "unconfirmed": [text(item) for item in targets.unconfirmed],
                    "levels_source": text(targets.unit_levels_source),
                    "digital": text(targets.has_digital_skills.description), "proficient": text(targets.proficient.description),
                    "adult_age": targets.adult_age},
        "framework": {"title": text(report.framework.title), "id": report.framework.id, "version": report.framework.version},
        "milestones": targets.milestones,
        "lines": [{
            "code": line.target.code, "title": text(line.target.title), "source": text(line.target.source),
            "note": text(line.target.note), "share": line.share,
            "percent": percent_text(line.share.percent) if line.share else None,
            "comparisons": [{
                "milestone": comparison.milestone,
                "target": None if comparison.target_percent is None else target_text(comparison.target_percent),
                "met": comparison.met,
                "gap": None if comparison.gap_points is None else formats.number_format(comparison.gap_points, 1),
                "more": comparison.more_needed,
            } for comparison in line.comparisons],
        } for line in lines],
        "target_chart": _target_chart(lines, targets.milestones),
        "people": progress.people,
        "holders": {"share": progress.holders, "percent": percent_text(progress.holders.percent)},
        "group_kinds": [{"label": group_kinds[kind], "share": share, "percent": percent_text(share.percent)}
                        for kind, share in progress.by_group_kind.items()],
        "population_groups": [{"label": text(report.population_group_titles.get(code)) or code, "code": code, "share": share,
                               "percent": percent_text(share.percent)} for code, share in progress.by_population_group],
        "units": [{"code": unit.code, "name": unit.name, "kind": text(targets.unit_kind_title(unit.kind)) or unit.kind,
                   "basis": _("learners") if unit.basis == "learners" else _("all members"),
                   "share": unit.share, "percent": percent_text(unit.share.percent), "level": _level_text(unit.level)}
                  for unit in progress.units],
        "unit_levels": [{"level": level, "share": share, "percent": percent_text(share.percent)}
                        for level, share in progress.units_at_level.items()],
        "units_without_basis": progress.units_without_basis,
        "level_chart": _count_chart(level_counts),
        "level_counts": level_counts,
        "breakdown_kind": {"province": _("Province"), "commune": _("Commune"), "community": _("Community")}.get(report.breakdown_kind),
        "breakdown": [{"key": item.key, "name": report.breakdown_names.get(item.key, item.key),
                       "adults": item.adults_in_groups, "adults_percent": percent_text(item.adults_in_groups.percent),
                       "staff": item.unit_staff, "staff_percent": percent_text(item.unit_staff.percent)}
                      for item in progress.breakdown],
        "breakdown_chart": _breakdown_chart(report),
    }


def render_html(report):
    return render_to_string("learning_citizen_reports/report.html", html_context(report))
