"""
The evidence app's one page: the reviewer's desk across courses (:mod:`xblocks.evidence.desk`).
GET only; anonymous visitors are sent to log in, anyone without the reviewer permission gets 403.
Its text is in the suite's XBlock catalogue, like the block's.
"""
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseForbidden
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from xblocks import compat
from xblocks.common.mixins import suite_translator
from xblocks.criteria.language import localised
from xblocks.criteria.problems import InvalidInput

from .desk import DESK_REFUSED, DESK_STRINGS, can_use_desk, desk_declarations, offered, rooms_of
from .labels import STATUS_LABELS
from .policy import available_policies

FILTERS = ("status", "indicator", "submitted_from", "submitted_to")


def _translator():
    return suite_translator()


def _plain(value):
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".")


def _block_url(row):
    """The LMS's jump-to address of the block the declaration was made in, or "" outside a course."""
    if not row.course_key.startswith("course-v1:"):
        return ""
    return f"/courses/{row.course_key}/jump_to/{row.usage_key}"


@require_GET
def desk(request):
    t = _translator()
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_use_desk(request.user):
        return HttpResponseForbidden(t.gettext(DESK_REFUSED), content_type="text/plain; charset=utf-8")
    raw = {name: request.GET.get(name, "") for name in FILTERS}
    raw["status"] = raw["status"] or "submitted"
    course = request.GET.get("course", "").strip()[:255]
    problems, rows, status = [], [], 200
    try:
        _filters, rows = desk_declarations(raw, course=course)
    except InvalidInput as error:
        # Each problem names the filter at fault by its label (the filters' names are DESK_STRINGS keys).
        problems = [f"{t.gettext(DESK_STRINGS[problem.where])}: {t.sentence(problem)}" if problem.where in FILTERS
                    else t.sentence(problem) for problem in error.problems]
        status = 400
    names = compat.learner_names({row.user_id for row in rows})
    rooms = rooms_of(rows)
    policies = available_policies()
    items = []
    for row in rows:
        room = rooms.get((row.user_id, row.period, row.policy_id), {})
        items.append({
            "title": row.title,
            "learner": names.get(row.user_id) or row.learner_name or t.gettext(DESK_STRINGS["unnamed"]),
            "course": row.course_key,
            "status": t.gettext(STATUS_LABELS.get(row.status, row.status)),
            "submitted": t.gettext(DESK_STRINGS["submitted"]).format(date=timezone.localtime(row.created_at).strftime("%Y-%m-%d")),
            "points": [t.gettext(DESK_STRINGS["points_line"]).format(
                code=code, points=_plain(room[code].points), maximum=_plain(room[code].max_points), room=_plain(room[code].room))
                for code in row.indicators if code in room],
            "url": _block_url(row),
        })
    indicators, _kinds = offered()
    titles = {item.code: localised(item.title, t.language) for policy in policies.values() for item in policy.framework.indicators}
    html = render_to_string("learning_citizen_evidence/desk.html", {
        "language": t.language,
        "text": {key: t.gettext(value) for key, value in DESK_STRINGS.items()},
        "statuses": [{"value": key, "label": t.gettext(label)} for key, label in STATUS_LABELS.items()],
        "indicators": [{"value": code, "label": f"{code}. {titles.get(code, '')}"} for code in indicators],
        "chosen": {**raw, "course": course},
        "problems": problems,
        "items": items,
        "count": t.ngettext("{count} declaration", "{count} declarations", len(items)).format(count=len(items)),
    }, request=request)
    response = HttpResponse(html, status=status, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
