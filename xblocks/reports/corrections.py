"""
Corrections in the Django admin: "Reverse selected entries" on the ledger's entries.

Who may reverse: superusers, and global staff holding ``learning_citizen_reports.reverse_entry``,
checked on the server for every request. The action asks for the reason on a confirmation page
listing the entries, then takes the one road for taking credit back
(:func:`xblocks.common.credit.withdraw_credit`, which calls :func:`xblocks.ledger.api.reverse`).
"""
from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from xblocks.common.credit import withdraw_credit
from xblocks.ledger.models import Entry

from .downloads import _allowed  # the export permissions' rule: active, and superuser or global staff holding it

REVERSE_PERMISSION = "learning_citizen_reports.reverse_entry"


def can_reverse(user):
    return _allowed(user, REVERSE_PERMISSION)


class ReversalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the ledger with each reversal, and shown to whoever reads the entries."))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give the reason for the reversal."))
        return reason


class ReversePermissionMixin:
    """For the entries' ModelAdmin: the reverse action shows only to those allowed to reverse."""

    def has_reverse_permission(self, request):
        return can_reverse(request.user)


def why_not_reversible(entry):
    """Why ``entry`` cannot be reversed (a translated text), or "" when it can."""
    if entry.kind == Entry.Kind.REVERSAL:
        return _("a reversal itself")
    if Entry.objects.filter(reverses=entry).exists():
        return _("already reversed")
    return ""


@admin.action(description=_("Reverse selected entries"), permissions=["reverse"])
def reverse_entries(modeladmin, request, queryset):
    """First the confirmation page with the reason form; on its POST, the reversals."""
    if not can_reverse(request.user):  # checked again: an action can be posted by hand
        raise PermissionDenied
    entries = list(queryset.order_by("id"))
    form = ReversalForm(request.POST if "confirm" in request.POST else None)
    if form.is_bound and form.is_valid():
        reversed_count, skipped = 0, []
        with transaction.atomic():  # all the selected entries, or none
            for entry in entries:
                if why_not_reversible(entry):
                    skipped.append(entry.pk)
                    continue
                withdraw_credit(entry, reason=form.cleaned_data["reason"])
                reversed_count += 1
        modeladmin.message_user(request, ngettext(
            "%(count)d entry reversed.", "%(count)d entries reversed.", reversed_count) % {"count": reversed_count})
        if skipped:
            modeladmin.message_user(request, _("Not reversed (a reversal, or already reversed): {entries}.").format(
                entries=", ".join(str(pk) for pk in skipped)), level="warning")
        return None  # back to the list
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Reverse selected entries"),
        "opts": modeladmin.model._meta,  # pylint: disable=protected-access
        "entries": [(entry, why_not_reversible(entry)) for entry in entries],
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/learning_citizen_reports/entry/reverse_entries.html", context)
