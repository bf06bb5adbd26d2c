"""
Editable membership in the Django admin, with the same rules import-members applies; and the
export and reverse actions on the ledger's entries, added to the ledger's read-only admin from here.
"""
from datetime import date

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.targets import get_targets
from xblocks.ledger.admin import EntryAdmin
from xblocks.ledger.models import Entry

from .corrections import ReversePermissionMixin, reverse_entries
from .downloads import ExportPermissionMixin, entry_export_actions, member_export_actions
from .models import Collective, Commune, Member, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "province")
    list_filter = ("province",)
    search_fields = ("code", "name")
    autocomplete_fields = ("province",)


class CollectiveForm(forms.ModelForm):
    class Meta:
        model = Collective
        fields = ("kind", "code", "name", "unit_kind", "commune")

    def clean(self):
        data = super().clean()
        kind, unit_kind, commune = data.get("kind"), data.get("unit_kind"), data.get("commune")
        kinds = get_targets().unit_kind_codes
        errors = {}
        if kind == Collective.Kind.UNIT and unit_kind not in kinds:
            errors["unit_kind"] = _("A unit needs one of these kinds: {kinds}.").format(kinds=", ".join(kinds))
        if kind != Collective.Kind.UNIT and unit_kind:
            errors["unit_kind"] = _("Only units have a unit kind.")
        if kind in (Collective.Kind.FAMILY, Collective.Kind.COMMUNITY, Collective.Kind.UNIT) and commune is None:
            errors["commune"] = _("Families and communities lie in a commune, and units have their seat in one.")
        if errors:
            raise ValidationError(errors)
        return data


@admin.register(Collective)
class CollectiveAdmin(admin.ModelAdmin):
    form = CollectiveForm
    list_display = ("kind", "code", "name", "unit_kind", "commune")
    list_filter = ("kind", "unit_kind", "commune__province")
    search_fields = ("code", "name")
    autocomplete_fields = ("commune",)


class MemberForm(forms.ModelForm):
    population_group = forms.ChoiceField(label=_("population group"))

    class Meta:
        model = Member
        fields = ("user_id", "birth_year", "population_group", "commune", "family", "clan", "community", "unit", "unit_role")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        framework = get_framework(get_targets().criteria_framework)
        self.fields["population_group"].choices = [(code, code) for code in framework.population_groups]

    def clean(self):
        data = super().clean()
        errors = {}
        unit, role, commune = data.get("unit"), data.get("unit_role"), data.get("commune")
        if unit and not role:
            errors["unit_role"] = _("A member of a unit is staff or a learner there.")
        if role and not unit:
            errors["unit_role"] = _("Only members of a unit have a role in it.")
        for name in ("family", "community"):
            group = data.get(name)
            if group is not None and commune is not None and group.commune_id and group.commune_id != commune.pk:
                errors[name] = _("{group} lies in another commune than the member's.").format(group=group)
        birth_year = data.get("birth_year")
        if birth_year is not None and not 1900 <= birth_year <= date.today().year:
            errors["birth_year"] = _("Give a year between 1900 and this year.")
        if errors:
            raise ValidationError(errors)
        return data


@admin.register(Member)
class MemberAdmin(ExportPermissionMixin, admin.ModelAdmin):
    form = MemberForm
    list_display = ("user_id", "birth_year", "population_group", "commune", "family", "clan", "community", "unit", "unit_role")
    list_filter = ("population_group", "unit_role", "commune__province", "unit__unit_kind")
    search_fields = ("=user_id", "family__code", "community__code", "unit__code", "commune__code")
    autocomplete_fields = ("commune", "family", "clan", "community", "unit")
    list_select_related = ("commune", "family", "clan", "community", "unit")
    actions = member_export_actions()


# The ledger registers its read-only admin of entries and knows nothing of exports or corrections;
# this layer replaces that registration with one offering streaming downloads of the selected
# entries to holders of the export permission, and their reversal to holders of the reverse one.
admin.site.unregister(Entry)


@admin.register(Entry)
class EntryExportAdmin(ExportPermissionMixin, ReversePermissionMixin, EntryAdmin):
    actions = [*entry_export_actions(), reverse_entries]
