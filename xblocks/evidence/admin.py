"""Django admin: declarations can be read and searched; decisions are made in the block, where they become credit."""
from django.contrib import admin

from .models import Declaration, EvidenceFile, ReviewEvent


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EvidenceFileInline(_ReadOnly, admin.TabularInline):
    model = EvidenceFile
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_at")
    readonly_fields = fields
    extra = 0


class ReviewEventInline(_ReadOnly, admin.TabularInline):
    model = ReviewEvent
    fields = ("at", "actor_id", "action", "status", "reason", "points")
    readonly_fields = fields
    extra = 0


@admin.register(Declaration)
class DeclarationAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("id", "user_id", "title", "kind", "activity_date", "status", "course_key", "updated_at")
    list_filter = ("status", "kind", "period", "framework_id")
    search_fields = ("=user_id", "=uuid", "course_key", "usage_key")
    date_hierarchy = "activity_date"
    readonly_fields = [field.name for field in Declaration._meta.get_fields() if field.concrete]
    inlines = [EvidenceFileInline, ReviewEventInline]
