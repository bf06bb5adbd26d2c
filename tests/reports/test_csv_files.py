"""
Every CSV file the suite writes, with text that could break a row or run as a formula, read back
by Python's csv module and by a spreadsheet's row splitting (tests/spreadsheets.py): one record
per entry or report line, the text as it was (a guard apostrophe aside), no formula anywhere.

The files: ``learning-citizen export --format csv`` and ``report --format csv`` (to a file), the
staff download of both in the LMS, and the admin actions on entries and members.
"""
import pytest
from django.db import connection

from tests.commands import run
from tests.factories import credit_event
from tests.reports.test_downloads import EXPORT, REPORT, admin_user, body, user
from tests.spreadsheets import read_both, runnable
from xblocks.common.spreadsheet import NUL_REPLACEMENT
from xblocks.ledger import api
from xblocks.ledger.models import Entry
from xblocks.reports.models import Collective, Member

pytestmark = [pytest.mark.database, pytest.mark.django_db]

NASTY = ["a\r=1+1", "a\n=1+1", "a\r\n=1+1", "\r=1+1", "x,y", "x;y", 'say "hi"', "=1+1", "+1", "-1", "@SUM(A1)",
         "\t=1", " =1+1", "\n@x"]
NUL = "a\x00=1"
# Entry columns the ledger writes itself (numbers, timestamps): not guarded, not text.
NOT_TEXT = {"entry_id", "reverses", "points", "hours", "occurred_at", "recorded_at", "chain", "position"}


def as_written(value):
    return value.replace("\0", NUL_REPLACEMENT)


def nasty_entries():
    """One credit per nasty text (in the anonymous id, course key and usage key), and one reversal."""
    entries = [api.append(credit_event(learner={"user_id": 9000 + number, "anonymous_id": value},
                                       source={"kind": "import", "course_key": value, "usage_key": value})).entry
               for number, value in enumerate(NASTY)]
    api.reverse(entries[0], reason="=wrong\r=1+1")
    texts = list(NASTY) + [NASTY[0]]
    if connection.vendor != "postgresql":   # PostgreSQL cannot hold a NUL; the others can, whatever ingest refuses
        extra = api.append(credit_event(learner={"user_id": 8999, "anonymous_id": "nul"})).entry
        Entry.objects.filter(pk=extra.pk).update(anonymous_id=NUL, course_key=NUL, usage_key=NUL)
        texts.append(NUL)
    return texts


def check_entries_file(text, texts):
    header, rows = read_both(text)
    assert len(rows) == len(texts)
    for row, value in zip(rows, texts):
        cells = dict(zip(header, row))
        for column in ("anonymous_id", "course_key", "usage_key"):
            assert cells[column] in (as_written(value), "'" + as_written(value)), (column, cells[column])
        assert not any(runnable(cell) for name, cell in cells.items() if name not in NOT_TEXT)
        assert not runnable(row[0])
    assert "\0" not in text


def test_the_export_command_writes_one_record_per_entry(tmp_path):
    texts = nasty_entries()
    target = tmp_path / "credit.csv"
    code, _, err = run("export", "--format", "csv", "-o", str(target))
    assert code == 0, err
    check_entries_file(target.read_bytes().decode("utf-8"), texts)


def test_the_staff_download_and_the_admin_actions_write_one_record_per_entry(client):
    texts = nasty_entries()
    client.force_login(admin_user("exporter", EXPORT))
    download = client.get("/learning-citizen/reports/export", {"format": "csv"})
    assert download.status_code == 200
    check_entries_file(body(download), texts)
    chosen = [str(pk) for pk in Entry.objects.order_by("id").values_list("pk", flat=True)]
    action = client.post("/admin/learning_citizen_ledger/entry/", {"action": "export_entries_csv", "_selected_action": chosen})
    check_entries_file(body(action), texts)


def test_the_members_credit_action_writes_one_record_per_entry(client, population):
    Entry.objects.filter(user_id=1).update(course_key=NASTY[0], usage_key=NASTY[2], anonymous_id=NASTY[3])
    client.force_login(admin_user("auditor", EXPORT))
    member = Member.objects.get(user_id=1)
    response = client.post("/admin/learning_citizen_reports/member/",
                           {"action": "export_members_credit_csv", "_selected_action": [str(member.pk)]})
    header, rows = read_both(body(response))
    assert len(rows) == Entry.objects.filter(user_id=1).count()
    for row in rows:
        cells = dict(zip(header, row))
        assert (cells["course_key"], cells["usage_key"], cells["anonymous_id"]) == ("a\r=1+1", "a\r\n=1+1", "'\r=1+1")


def nasty_units():
    """Each unit of the population named (and its kind set) with a nasty text."""
    units = list(Collective.objects.filter(kind="unit").order_by("pk"))
    names = (NASTY + [NUL] if connection.vendor != "postgresql" else NASTY)[:len(units)]
    for unit, name in zip(units, names):
        Collective.objects.filter(pk=unit.pk).update(name=name, unit_kind=name[:40])
    return {unit.code: name for unit, name in zip(units, names)}


def check_report_file(text, rows_before, names):
    header, rows = read_both(text)
    assert len(rows) == rows_before
    seen = 0
    for row in rows:
        cells = dict(zip(header, row))
        assert not runnable(row[0])
        assert not any(runnable(cells[name]) for name in ("area", "code", "label", "kind"))
        if cells["section"] == "unit" and cells["code"] in names:
            assert cells["label"] in (as_written(names[cells["code"]]), "'" + as_written(names[cells["code"]]))
            seen += 1
    assert seen == len(names) and "\0" not in text


def test_the_report_command_writes_one_record_per_line(population, tmp_path):
    target = tmp_path / "report.csv"
    assert run("report", "--period", "2026", "--format", "csv", "-o", str(target))[0] == 0
    rows_before = len(read_both(target.read_bytes().decode("utf-8"))[1])
    names = nasty_units()
    assert len(names) >= 2
    code, _, err = run("report", "--period", "2026", "--format", "csv", "-o", str(target))
    assert code == 0, err
    check_report_file(target.read_bytes().decode("utf-8"), rows_before, names)


def test_the_report_download_writes_one_record_per_line(client, population):
    client.force_login(user("reader", staff=True, permissions=(REPORT,)))
    query = {"period": "2026", "format": "csv"}
    rows_before = len(read_both(body(client.get("/learning-citizen/reports/report", query)))[1])
    names = nasty_units()
    response = client.get("/learning-citizen/reports/report", query)
    assert response.status_code == 200
    check_report_file(body(response), rows_before, names)
