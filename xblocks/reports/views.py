"""
Staff pages under /learning-citizen/reports/: a form, the export download, the report.

Every view checks on the server who is asking (:mod:`.downloads`): anonymous visitors are sent
to log in, anyone else without the permission gets 403. Only GET is served: nothing here
changes data.
"""
from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseForbidden
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from xblocks.criteria.problems import InvalidInput

from .downloads import attachment, can_export, can_view_reports, export_response, filename
from .exports import FORMATS, export_queryset


class ExportForm(forms.Form):
    period = forms.RegexField(regex=r"^[0-9]{4}$", required=False, label=gettext_lazy("Period (year)"))
    format = forms.ChoiceField(choices=[(name, name) for name in FORMATS], initial="csv", required=False, label=gettext_lazy("Format"))
    course = forms.CharField(required=False, max_length=255, label=gettext_lazy("Course key"))
    indicator = forms.CharField(required=False, max_length=20, label=gettext_lazy("Indicator code"))
    provenance = forms.ChoiceField(choices=[("", "—"), ("verified", "verified"), ("declared", "declared")], required=False,
                                   label=gettext_lazy("Provenance"))
    unit = forms.CharField(required=False, max_length=50, label=gettext_lazy("Unit code"))
    community = forms.CharField(required=False, max_length=50, label=gettext_lazy("Community code"))
    commune = forms.CharField(required=False, max_length=50, label=gettext_lazy("Commune code"))
    province = forms.CharField(required=False, max_length=50, label=gettext_lazy("Province code"))

    def clean(self):
        data = super().clean()
        data["format"] = data.get("format") or "csv"
        if data["format"] == "ob3" and not data.get("period"):
            self.add_error("period", _("The ob3 format needs a period: credentials are given for one period."))
        return data


class ReportForm(forms.Form):
    period = forms.RegexField(regex=r"^[0-9]{4}$", label=gettext_lazy("Period (year)"))
    area = forms.CharField(initial="all", max_length=120, required=False, label=gettext_lazy("Area"),
                           help_text=gettext_lazy("all, or province:CODE, commune:CODE, community:CODE, unit:CODE"))
    format = forms.ChoiceField(choices=[("html", "HTML"), ("csv", "CSV")], initial="html", required=False, label=gettext_lazy("Format"))


def _refuse(request, allowed):
    """A response refusing the request, or None when ``allowed(user)``."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not allowed(request.user):
        return HttpResponseForbidden(_("You do not have permission to download Learning Citizen exports or reports."))
    return None


def _page(request, export_form=None, report_form=None, problems=(), status=200):
    context = {
        "export_form": export_form if export_form is not None else ExportForm(),
        "report_form": report_form if report_form is not None else ReportForm(),
        "can_export": can_export(request.user),
        "can_view_reports": can_view_reports(request.user),
        "problems": problems,
    }
    return HttpResponse(render_to_string("learning_citizen_reports/downloads.html", context, request=request), status=status)


@require_GET
def index(request):
    refusal = _refuse(request, lambda user: can_export(user) or can_view_reports(user))
    return refusal or _page(request)


@require_GET
def export(request):
    refusal = _refuse(request, can_export)
    if refusal:
        return refusal
    form = ExportForm(request.GET)
    if not form.is_valid():
        return _page(request, export_form=form, status=400)
    data = form.cleaned_data
    try:
        queryset = export_queryset(data["period"] or None, course=data["course"], indicator=data["indicator"],
                                   provenance=data["provenance"], unit=data["unit"], community=data["community"],
                                   commune=data["commune"], province=data["province"])
    except InvalidInput as error:
        return _page(request, export_form=form, problems=[problem.render(_) for problem in error.problems], status=400)
    return export_response(queryset, data["format"], period=data["period"] or None)


@require_GET
def report(request):
    from .progress import build_report  # pylint: disable=import-outside-toplevel
    from .render import render_html, write_csv  # pylint: disable=import-outside-toplevel

    refusal = _refuse(request, can_view_reports)
    if refusal:
        return refusal
    form = ReportForm(request.GET)
    if not form.is_valid():
        return _page(request, report_form=form, status=400)
    data = form.cleaned_data
    try:
        built = build_report(data["period"], data["area"] or "all")
    except InvalidInput as error:
        return _page(request, report_form=form, problems=[problem.render(_) for problem in error.problems], status=400)
    if data.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        write_csv(built, response)
        return attachment(response, filename(f"learning-citizen-report-{data['period']}", "csv"))
    response = HttpResponse(render_html(built), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
