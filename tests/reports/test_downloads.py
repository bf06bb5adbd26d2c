"""Staff downloads in the LMS and the Django admin actions: who may, what they get."""
import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from xblocks.ledger.models import Entry

pytestmark = [pytest.mark.database, pytest.mark.django_db]

BASE = "/learning-citizen/reports/"


def user(name, *, staff=False, superuser=False, permissions=()):
    person = get_user_model().objects.create_user(name, password="x", is_staff=staff, is_superuser=superuser)
    for codename in permissions:
        app_label, code = codename.split(".")
        person.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=code))
    return person


def body(response):
    return b"".join(response.streaming_content).decode("utf-8") if response.streaming else response.content.decode("utf-8")


@pytest.fixture(autouse=True)
def english_pages(client):
    """Pages in English (the site's default language is Vietnamese)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


EXPORT = "learning_citizen_reports.export_credit"
REPORT = "learning_citizen_reports.view_progress_report"


@pytest.mark.parametrize("path", ["", "export?format=csv", "report?period=2026"])
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.get(BASE + path)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("who", ["learner", "staff-without-permission", "permission-without-staff"])
@pytest.mark.parametrize("path", ["", "export?format=csv", "report?period=2026"])
def test_others_are_refused(client, population, who, path):
    people = {
        "learner": lambda: user("learner"),
        "staff-without-permission": lambda: user("staff", staff=True),
        "permission-without-staff": lambda: user("clerk", permissions=(EXPORT, REPORT)),
    }
    client.force_login(people[who]())
    response = client.get(BASE + path)
    assert response.status_code == 403
    assert "Entry" not in body(response) and "anon-" not in body(response)


def test_the_export_permission_does_not_open_reports(client, population):
    client.force_login(user("exporter", staff=True, permissions=(EXPORT,)))
    assert client.get(BASE + "report?period=2026").status_code == 403
    page = client.get(BASE)
    assert page.status_code == 200 and 'action="export"' in body(page) and 'action="report"' not in body(page)


def test_staff_with_the_permission_download_a_streamed_export(client, population):
    client.force_login(user("exporter", staff=True, permissions=(EXPORT,)))
    response = client.get(BASE + "export", {"period": "2026", "format": "csv", "unit": "U1"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="learning-citizen-credit-')
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert len(rows) == 30 and {row["anonymous_id"] for row in rows} == {"anon-1", "anon-5", "anon-8"}   # as the command gives


@pytest.mark.parametrize("query, message", [
    ({"format": "ob3"}, "The ob3 format needs a period"),
    ({"format": "pdf"}, "Select a valid choice"),
    ({"format": "csv", "period": "26"}, "Enter a valid value"),
    ({"format": "csv", "unit": "ZZ"}, "there is no unit with code ZZ"),
])
def test_bad_export_requests_are_explained(client, population, query, message):
    client.force_login(user("exporter", staff=True, permissions=(EXPORT,)))
    response = client.get(BASE + "export", query)
    assert response.status_code == 400 and message in body(response)


def test_reports_in_html_and_csv(client, population):
    client.force_login(user("analyst", staff=True, permissions=(REPORT,)))
    page = client.get(BASE + "report", {"period": "2026", "area": "province:01"})
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "57.1 %" in body(page)           # adults in learning groups, as tests/reports/test_report_figures.py counts
    sheet = client.get(BASE + "report", {"period": "2026", "area": "province:01", "format": "csv"})
    assert sheet["Content-Disposition"].startswith('attachment; filename="learning-citizen-report-2026-')
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(body(sheet))) if row["section"] == "target"}
    assert (rows["adults-in-learning-groups"]["count"], rows["adults-in-learning-groups"]["of"]) == ("4", "7")
    missing = client.get(BASE + "report", {"period": "2026", "area": "province:99"})
    assert missing.status_code == 400 and "there is no province with code 99" in body(missing)


def test_a_superuser_may_do_both(client, population):
    client.force_login(user("root", superuser=True, staff=True))
    assert client.get(BASE + "export", {"format": "jsonl", "province": "02"}).status_code == 200
    assert client.get(BASE + "report", {"period": "2026"}).status_code == 200


def test_only_get_is_served(client, population):
    client.force_login(user("root", superuser=True, staff=True))
    assert client.post(BASE + "export", {"format": "csv"}).status_code == 405


# --- Django admin actions ------------------------------------------------------------------------

def admin_user(name, *permissions):
    return user(name, staff=True, permissions=("learning_citizen_ledger.view_entry", "learning_citizen_reports.view_member",
                                               *permissions))


def test_admin_action_exports_the_selected_entries(client, population):
    client.force_login(admin_user("auditor", EXPORT))
    chosen = list(Entry.objects.filter(user_id=12).order_by("id").values_list("pk", flat=True)[:3])
    response = client.post("/admin/learning_citizen_ledger/entry/",
                           {"action": "export_entries_csv", "_selected_action": [str(pk) for pk in chosen]})
    assert response.status_code == 200 and response.streaming
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert [int(row["entry_id"]) for row in rows] == chosen


def test_admin_action_exports_the_selected_members_credit(client, population):
    client.force_login(admin_user("auditor", EXPORT))
    from xblocks.reports.models import Member  # pylint: disable=import-outside-toplevel
    chosen = Member.objects.filter(user_id__in=(12, 13)).values_list("pk", flat=True)
    response = client.post("/admin/learning_citizen_reports/member/",
                           {"action": "export_members_credit_xapi", "_selected_action": [str(pk) for pk in chosen]})
    assert response.status_code == 200
    assert len(body(response).splitlines()) == 20


def test_admin_actions_are_not_offered_without_the_permission(client, rf, population):
    from django.contrib import admin  # pylint: disable=import-outside-toplevel
    from django.core.exceptions import PermissionDenied  # pylint: disable=import-outside-toplevel
    from xblocks.reports.models import Member  # pylint: disable=import-outside-toplevel
    viewer, exporter = admin_user("viewer"), admin_user("exporter", EXPORT)
    entry_admin = admin.site._registry[Entry]  # pylint: disable=protected-access
    offered = {}
    for person in (viewer, exporter):
        request = rf.get("/admin/learning_citizen_ledger/entry/")
        request.user = person
        offered[person.username] = sorted(entry_admin.get_actions(request))
    assert offered == {"viewer": [], "exporter": ["export_entries_csv", "export_entries_jsonl", "export_entries_xapi"]}
    # The action checks again when called, whatever the admin offered.
    request = rf.post("/admin/learning_citizen_ledger/entry/")
    request.user = viewer
    (export_csv,) = [action for action in entry_admin.actions if action.__name__ == "export_entries_csv"]
    with pytest.raises(PermissionDenied):
        export_csv(entry_admin, request, Entry.objects.all())
    # Posting the action by hand is refused: the admin answers with its list, not a download.
    client.force_login(viewer)
    pk = Member.objects.order_by("pk").first().pk
    response = client.post("/admin/learning_citizen_reports/member/",
                           {"action": "export_members_credit_csv", "_selected_action": [str(pk)]})
    assert not response.streaming and "Content-Disposition" not in response


def test_membership_is_editable_in_the_admin_with_the_import_rules(client, population):
    client.force_login(user("root", superuser=True, staff=True))
    from xblocks.reports.models import Collective, Commune, Member  # pylint: disable=import-outside-toplevel
    member = Member.objects.get(user_id=4)
    commune = Commune.objects.get(code="00001")
    form = {"user_id": "4", "birth_year": "1970", "population_group": "farmers", "commune": str(commune.pk),
            "family": "", "clan": "", "community": "", "unit": str(Collective.objects.get(kind="unit", code="U1").pk),
            "unit_role": ""}
    refused = client.post(f"/admin/learning_citizen_reports/member/{member.pk}/change/", form)
    assert refused.status_code == 200 and "A member of a unit is staff or a learner there." in body(refused)
    form["unit_role"] = "staff"
    form["family"] = str(Collective.objects.get(kind="family", code="F3").pk)   # F3 lies in 00002
    refused = client.post(f"/admin/learning_citizen_reports/member/{member.pk}/change/", form)
    assert "lies in another commune than the member" in body(refused)
    form["family"] = ""
    saved = client.post(f"/admin/learning_citizen_reports/member/{member.pk}/change/", form)
    assert saved.status_code == 302
    member.refresh_from_db()
    assert (member.unit.code, member.unit_role) == ("U1", "staff")
