"""
Exports and reports as HTTP downloads for staff: the permission checks, streaming responses, and
the Django admin actions. Every check is made on the server for every request.

Who may download:
* exports of ledger credit: superusers, and global staff holding
  ``learning_citizen_reports.export_credit``;
* progress reports: superusers, and global staff holding ``learning_citizen_reports.view_progress_report``.
"""
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xblocks import compat
from xblocks.ledger.models import Entry

from .exports import export_records

EXPORT_PERMISSION = "learning_citizen_reports.export_credit"
REPORT_PERMISSION = "learning_citizen_reports.view_progress_report"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
    "xapi": "application/x-ndjson; charset=utf-8",
    "ob3": "application/x-ndjson; charset=utf-8",
    "html": "text/html; charset=utf-8",
}
EXTENSIONS = {"csv": "csv", "jsonl": "jsonl", "xapi": "xapi.jsonl", "ob3": "ob3.jsonl", "html": "html"}
# Records per chunk handed to the web server: fewer, larger writes than one per row.
_BATCH = 500


def _allowed(user, permission):
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(user.is_superuser or (compat.is_global_staff(user) and user.has_perm(permission)))


def can_export(user):
    return _allowed(user, EXPORT_PERMISSION)


def can_view_reports(user):
    return _allowed(user, REPORT_PERMISSION)


def filename(stem, file_format):
    return f"{stem}-{timezone.localtime():%Y%m%d-%H%M%S}.{EXTENSIONS[file_format]}"


def _batched(records):
    batch = []
    for record in records:
        batch.append(record)
        if len(batch) >= _BATCH:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def attachment(response, name):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def export_response(queryset, file_format, *, period=None, stem="learning-citizen-credit"):
    """A streaming download of ``queryset`` in ``file_format``: rows are read and sent a page at a time."""
    records = export_records(queryset, file_format, period=period)
    response = StreamingHttpResponse(_batched(records), content_type=CONTENT_TYPES[file_format])
    return attachment(response, filename(stem, file_format))


# --- Django admin actions ------------------------------------------------------------------------

class ExportPermissionMixin:
    """For a ModelAdmin offering the export actions: they show only to those allowed to export."""

    def has_export_permission(self, request):
        return can_export(request.user)


def _entry_export_action(file_format, description):
    @admin.action(description=description, permissions=["export"])
    def action(modeladmin, request, queryset):  # pylint: disable=unused-argument
        if not can_export(request.user):   # checked again: an action can be posted by hand
            raise PermissionDenied
        return export_response(queryset.order_by("id"), file_format, stem="learning-citizen-entries")
    action.__name__ = f"export_entries_{file_format}"
    return action


def _member_export_action(file_format, description):
    @admin.action(description=description, permissions=["export"])
    def action(modeladmin, request, queryset):  # pylint: disable=unused-argument
        if not can_export(request.user):
            raise PermissionDenied
        entries = Entry.objects.filter(user_id__in=queryset.values("user_id")).order_by("id")
        return export_response(entries, file_format, stem="learning-citizen-members-credit")
    action.__name__ = f"export_members_credit_{file_format}"
    return action


def entry_export_actions():
    """Admin actions on ledger entries: the selected entries as CSV, JSON lines or xAPI statements."""
    return [
        _entry_export_action("csv", _("Export the selected entries (CSV)")),
        _entry_export_action("jsonl", _("Export the selected entries (JSON lines)")),
        _entry_export_action("xapi", _("Export the selected entries (xAPI statements)")),
    ]


def member_export_actions():
    """Admin actions on members: every ledger entry of the selected members."""
    return [
        _member_export_action("csv", _("Export the selected members' credit (CSV)")),
        _member_export_action("jsonl", _("Export the selected members' credit (JSON lines)")),
        _member_export_action("xapi", _("Export the selected members' credit (xAPI statements)")),
    ]
