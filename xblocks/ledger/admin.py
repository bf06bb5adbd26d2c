"""
Read-only Django admin for the ledger: entries can be searched and read, never edited here.
The operations layer (xblocks/reports/admin.py) adds its export actions to the entries' admin.
"""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from xblocks.criteria.frameworks import available_frameworks

from .models import ChainHead, CourseCreditRule, Entry


class ReadOnlyAdmin(admin.ModelAdmin):
    """History is written only through xblocks.ledger.api; the admin shows it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "user_id", "framework_id", "indicator", "points", "period", "source_kind",
                    "provenance", "assurance", "occurred_at")
    list_filter = ("kind", "period", "framework_id", "indicator", "source_kind", "provenance", "assurance")
    search_fields = ("=user_id", "=anonymous_id", "=idempotency_key", "=event_id", "course_key")
    # No date_hierarchy: on MySQL it needs the server's time-zone tables whenever TIME_ZONE is not
    # UTC, and its per-page date queries are costly on a large ledger. The period filter does the job.
    readonly_fields = [field.name for field in Entry._meta.get_fields() if field.concrete]
    show_full_result_count = False  # COUNT(*) over a large ledger on every page is wasted work


@admin.register(ChainHead)
class ChainHeadAdmin(ReadOnlyAdmin):
    list_display = ("chain", "length", "head_hash")
    change_list_template = "admin/learning_citizen_ledger/chainhead/change_list.html"

    def changelist_view(self, request, extra_context=None):
        """The chain heads, and the criteria frameworks the ledger validates credit against."""
        frameworks = [
            {
                "id": framework.id,
                "version": framework.version,
                "title": framework.title,
                "indicators": framework.indicators,
                "min_total": framework.min_total,
                "unconfirmed": framework.unconfirmed,
            }
            for framework in available_frameworks().values()
        ]
        extra_context = {**(extra_context or {}), "frameworks": frameworks, "frameworks_title": _("Criteria frameworks")}
        return super().changelist_view(request, extra_context)


@admin.register(CourseCreditRule)
class CourseCreditRuleAdmin(admin.ModelAdmin):
    """Course → criteria rules: editable, checked against the framework on save (model ``clean``)."""

    list_display = ("course_key", "framework_id", "indicator", "points", "hours", "on_passing", "on_certificate",
                    "enabled", "modified")
    list_filter = ("enabled", "on_passing", "on_certificate", "framework_id", "indicator")
    search_fields = ("course_key",)
    fieldsets = (
        (None, {"fields": ("course_key", "enabled")}),
        (_("Credit"), {"fields": ("framework_id", "indicator", "points", "hours")}),
        (_("When it is earned"), {"fields": ("on_passing", "on_certificate")}),
    )
