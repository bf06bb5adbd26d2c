"""
The demo: `learning-citizen demo` loads members in every kind of place and group with their credit,
so the report has figures; the workbench's pages say their language and fit a phone; staff pages
are reached through the demo's sign-in, never a 404.
"""
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = [pytest.mark.database, pytest.mark.django_db]

REPORT = "/learning-citizen/reports/report?period=2026&area=province:48"


@pytest.fixture
def demo_data():
    call_command("learning_citizen", "demo", stdout=io.StringIO())


def test_the_demo_loads_members_in_every_kind_of_group_and_the_report_has_figures(demo_data):  # pylint: disable=unused-argument
    from xblocks.reports.models import Collective, Commune, Member, Province  # pylint: disable=import-outside-toplevel
    from xblocks.reports.progress import build_report  # pylint: disable=import-outside-toplevel

    assert Province.objects.filter(code="48").exists() and Commune.objects.count() == 2
    assert set(Collective.objects.values_list("kind", flat=True)) == {"family", "clan", "community", "unit"}
    assert Member.objects.count() == 21
    progress = build_report("2026", "province:48").progress
    assert progress.holders.of == 21 and 0 < progress.holders.count < 21
    out = io.StringIO()
    call_command("learning_citizen", "demo", stdout=out)  # loading again changes nothing
    assert "0 new ledger entries" in out.getvalue() and Member.objects.count() == 21


def test_a_visitor_signs_in_as_the_demo_administrator_and_reads_the_report(demo_data):  # pylint: disable=unused-argument
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    refused = client.get(REPORT)
    assert refused.status_code == 302 and refused["Location"].startswith("/accounts/login/?next=")
    sign_in = client.get(refused["Location"])
    assert sign_in.status_code == 200
    page = sign_in.content.decode()
    assert '<html lang="vi">' in page and 'name="viewport"' in page
    assert "Đăng nhập với vai trò quản trị viên trình diễn" in page
    next_address = re.search(r'name="next" value="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert next_address == REPORT
    signed_in = client.post("/accounts/login/", {"next": next_address})
    assert signed_in.status_code == 302 and signed_in["Location"] == REPORT
    report = client.get(REPORT)
    assert report.status_code == 200 and "Tỉnh Minh Họa" in report.content.decode()


def test_the_sign_in_goes_nowhere_off_the_site(demo_data):  # pylint: disable=unused-argument
    signed_in = Client().post("/accounts/login/", {"next": "https://attacker.example/"})
    assert signed_in["Location"] == "/learning-citizen/reports/"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_workbench_pages_carry_the_language_a_viewport_and_a_link_to_the_report(language):
    from workbench.runtime_util import reset_global_state  # pylint: disable=import-outside-toplevel
    reset_global_state()  # the scenarios, parsed into this test's database
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    for address in ("/", "/scenario/evidence-declaration.0/?student=101"):
        page = client.get(address).content.decode()
        assert f'<html lang="{language}">' in page
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
        assert 'href="/learning-citizen/reports/"' in page
