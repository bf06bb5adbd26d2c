"""
Membership: who belongs to which family, clan, community and unit, and where they live.

Local government has two tiers (province and commune, since 7/2025): there is no district.
A member's commune is where they are registered; families and communities lie in one commune;
a unit (agency, school, enterprise) has its seat in one commune; clans span communes.
Members are keyed by the platform's user id, as the ledger is. Rows are kept by
``learning-citizen import-members`` and in the Django admin.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from xblocks.ledger.fields import KeyField


class Province(models.Model):
    code = KeyField(_("code"), max_length=50, unique=True)  # compared exactly on every database, as the import compares it
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ("code",)

    def __str__(self):
        return f"{self.name} ({self.code})"


class Commune(models.Model):
    code = KeyField(_("code"), max_length=50, unique=True)  # compared exactly on every database, as the import compares it
    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province"))

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ("code",)

    def __str__(self):
        return f"{self.name} ({self.code})"


class Collective(models.Model):
    """A family, clan, community (residential group or village) or unit (agency, school, enterprise)."""

    class Kind(models.TextChoices):
        FAMILY = "family", _("family")
        CLAN = "clan", _("clan")
        COMMUNITY = "community", _("community")
        UNIT = "unit", _("unit")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    code = KeyField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    unit_kind = models.CharField(_("unit kind"), max_length=40, blank=True,
                                 help_text=_("For units only: one of the unit kinds of the national targets (agency, school, enterprise)."))
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="collectives",
                                verbose_name=_("commune"),
                                help_text=_("Where a family or community lies, or where a unit has its seat; empty for clans."))

    class Meta:
        verbose_name = _("family, clan, community or unit")
        verbose_name_plural = _("families, clans, communities and units")
        ordering = ("kind", "code")
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="lc_collective_kind_code")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name} ({self.code})"


class Member(models.Model):
    class Role(models.TextChoices):
        NONE = "", _("(no unit)")
        STAFF = "staff", _("staff")
        LEARNER = "learner", _("learner")

    user_id = models.BigIntegerField(_("user id"), unique=True, help_text=_("The learner's user id on the platform, as in the ledger."))
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    population_group = models.CharField(_("population group"), max_length=40)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="members", verbose_name=_("commune"))
    family = models.ForeignKey(Collective, on_delete=models.PROTECT, null=True, blank=True, related_name="family_members",
                               limit_choices_to={"kind": "family"}, verbose_name=_("family"))
    clan = models.ForeignKey(Collective, on_delete=models.PROTECT, null=True, blank=True, related_name="clan_members",
                             limit_choices_to={"kind": "clan"}, verbose_name=_("clan"))
    community = models.ForeignKey(Collective, on_delete=models.PROTECT, null=True, blank=True, related_name="community_members",
                                  limit_choices_to={"kind": "community"}, verbose_name=_("community"))
    unit = models.ForeignKey(Collective, on_delete=models.PROTECT, null=True, blank=True, related_name="unit_members",
                             limit_choices_to={"kind": "unit"}, verbose_name=_("unit"))
    unit_role = models.CharField(_("role in the unit"), max_length=10, choices=Role.choices, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ("user_id",)
        permissions = [
            ("export_credit", _("Can export ledger credit")),
            ("view_progress_report", _("Can view progress reports")),
            ("reverse_entry", _("Can reverse ledger entries")),
        ]

    def __str__(self):
        return str(_("member {user_id}")).format(user_id=self.user_id)


class MemberImport(models.Model):
    """
    One run of ``import-members``: the rows it staged carry its id, so runs side by side never
    mix, and a run that died before cleaning up is recognised by its age and removed.
    Internal to :mod:`xblocks.reports.membership`; never shown in the admin.
    """

    started_at = models.DateTimeField(auto_now_add=True)


class StagedMember(models.Model):
    """
    A line of a membership file as read, before the import moves the file into the tables above
    in one transaction (:mod:`xblocks.reports.membership`). A value that failed its check is
    stored empty, so that the checks across lines run on what the line gave correctly.
    Codes and names are compared exactly here too (``KeyField``), as the import compares them.
    """

    member_import = models.ForeignKey(MemberImport, on_delete=models.CASCADE, related_name="+", db_index=False)  # the line constraint leads with it
    line = models.PositiveIntegerField()
    user_id = models.BigIntegerField(null=True)
    birth_year = models.PositiveSmallIntegerField(null=True)
    population_group = models.CharField(max_length=40, blank=True)
    province = KeyField(max_length=50, blank=True)
    province_name = KeyField(max_length=200, blank=True)
    commune = KeyField(max_length=50, blank=True)
    commune_name = KeyField(max_length=200, blank=True)
    family = KeyField(max_length=50, blank=True)
    family_name = KeyField(max_length=200, blank=True)
    clan = KeyField(max_length=50, blank=True)
    clan_name = KeyField(max_length=200, blank=True)
    community = KeyField(max_length=50, blank=True)
    community_name = KeyField(max_length=200, blank=True)
    unit = KeyField(max_length=50, blank=True)
    unit_name = KeyField(max_length=200, blank=True)
    unit_kind = KeyField(max_length=40, blank=True)
    unit_role = models.CharField(max_length=10, blank=True)
    unit_commune = KeyField(max_length=50, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member_import", "line"], name="lc_staged_member_line")]
        indexes = [models.Index(fields=["member_import", "user_id"], name="lc_staged_member_user")]
