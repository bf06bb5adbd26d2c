"""`learning-citizen` commands: ingest all-or-nothing, standing, verify exit codes, export."""
import csv
import json
import subprocess

import pytest
from django.db import connection

from tests.factories import credit_document
from tests.commands import console_environment, console_script, run
from xblocks.cli import command_language
from xblocks.ledger import api
from xblocks.ledger.models import Entry

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def write_lines(path, lines):
    path.write_bytes(b"".join((line if isinstance(line, bytes) else line.encode()) + b"\n" for line in lines))
    return str(path)


def test_ingest_appends_every_line_and_counts_duplicates(tmp_path):
    documents = [credit_document() for _ in range(5)]
    path = write_lines(tmp_path / "credit.jsonl", [json.dumps(d) for d in documents] + ["", json.dumps(documents[0])])
    code, out, _ = run("ingest", path)
    assert code == 0 and "Appended 5 entries; skipped 1 already recorded." in out
    code, out, _ = run("ingest", path)
    assert code == 0 and "Appended 0 entries; skipped 6 already recorded." in out
    assert Entry.objects.count() == 5


BAD_LINES = {
    "malformed": (b'{"id": ', "malformed JSON"),
    "not-object": (b"[1, 2]", "a credit event must be a JSON object"),
    "not-utf8": (b'{"a": "\xff"}', "line is not UTF-8 text"),
    "framework": (json.dumps(credit_document(framework={"id": "nope", "version": "1.0.0"})).encode(), "unknown criteria framework nope"),
    "indicator": (json.dumps(credit_document(indicator="42")).encode(), "unknown indicator 42"),
    "negative": (json.dumps(credit_document(points=-3)).encode(), "$.points"),
    "text-points": (json.dumps(credit_document(points="ten")).encode(), "'ten' is not of type 'number'"),
    "wrong-type": (json.dumps(credit_document(learner={"user_id": [1], "anonymous_id": 5})).encode(), "is not of type"),
    "huge": (b'{"x": "' + b"a" * (10 * 1024 * 1024) + b'"}', "line is longer than 65536 bytes"),
}


@pytest.mark.parametrize("kind", sorted(BAD_LINES))
def test_a_bad_line_is_reported_with_its_number_and_nothing_is_appended(tmp_path, kind):
    api.append_many([])  # no-op: the ledger starts empty
    bad, reason = BAD_LINES[kind]
    lines = [json.dumps(credit_document()), json.dumps(credit_document()), bad, json.dumps(credit_document())]
    code, out, err = run("ingest", write_lines(tmp_path / "credit.jsonl", lines))
    assert code == 1 and out == ""
    assert "nothing was appended" in err
    assert "line 3:" in err and reason in err
    assert "line 1" not in err and "line 4" not in err
    assert Entry.objects.count() == 0


def test_every_bad_line_is_reported(tmp_path):
    lines = [b"{", json.dumps(credit_document()).encode(), json.dumps(credit_document(points=-1, indicator="0")).encode()]
    code, _, err = run("ingest", write_lines(tmp_path / "credit.jsonl", lines))
    assert code == 1
    assert "line 1: malformed JSON" in err and "line 3: $.points" in err
    assert Entry.objects.count() == 0


def test_a_key_reused_for_a_different_credit_is_a_bad_line(tmp_path):
    recorded = credit_document(points=4)
    run("ingest", write_lines(tmp_path / "first.jsonl", [json.dumps(recorded)]))
    in_file = credit_document()
    lines = [
        json.dumps(in_file),
        json.dumps({**recorded, "id": credit_document()["id"], "points": 5}),  # the ledger holds this key with 4 points
        json.dumps(credit_document()),
        json.dumps({**in_file, "id": credit_document()["id"], "indicator": "6"}),  # line 1's key, another indicator
        json.dumps(recorded),  # a true repeat: skipped, not an error
    ]
    code, out, err = run("ingest", write_lines(tmp_path / "second.jsonl", lines))
    assert code == 1 and out == "" and "nothing was appended" in err
    assert f"line 2: idempotency_key: idempotency key {recorded['idempotency_key']} is already recorded for a different credit (points differ)" in err
    assert (f"line 4: idempotency_key: idempotency key {in_file['idempotency_key']} is already used on line 1 for a different "
            "credit (indicator differ)") in err
    assert "line 3" not in err and "line 5" not in err
    assert Entry.objects.count() == 1


def test_ingest_of_a_missing_file_says_so(tmp_path):
    code, _, err = run("ingest", str(tmp_path / "absent.jsonl"))
    assert code == 1 and "Cannot read" in err and "absent.jsonl" in err


def test_standing_json_has_the_published_shape(tmp_path):
    learner = {"user_id": 42, "anonymous_id": "anon-42"}
    lines = [json.dumps(credit_document(learner=learner, indicator=str(code), points=9)) for code in range(1, 11)]
    lines.append(json.dumps(credit_document(learner=learner, indicator="5", points=2)))
    run("ingest", write_lines(tmp_path / "credit.jsonl", lines))
    code, out, _ = run("standing", "--learner", "42", "--period", "2026", "--json")
    assert code == 0
    standing = json.loads(out)
    assert standing["total"] == 91.0 and standing["recognised"] is True and standing["short"] == []
    assert list(standing["indicators"]) == [str(n) for n in range(1, 11)]
    assert standing["indicators"]["5"] == 10.0  # 11 recorded, capped at 10


def test_standing_text_names_what_falls_short():
    api.append(api_event := __import__("tests.factories", fromlist=["credit_event"]).credit_event(
        learner={"user_id": 9, "anonymous_id": "a"}, indicator="5", points=3))
    code, out, _ = run("standing", "--learner", "9", "--period", "2026")
    assert code == 0 and api_event.user_id == 9
    assert "3 points (80 needed), not recognised" in out
    assert "indicator 5: 3 of 10, short by 2" in out


def test_standing_refuses_a_bad_period():
    code, _, err = run("standing", "--learner", "9", "--period", "this-year")
    assert code == 1 and "is not a calendar year" in err


def test_verify_exit_codes(tmp_path):
    run("ingest", write_lines(tmp_path / "credit.jsonl", [json.dumps(credit_document()) for _ in range(3)]))
    code, out, _ = run("verify")
    assert code == 0 and "Ledger intact: 3 entries verified." in out
    entry = Entry.objects.order_by("id")[1]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {connection.ops.quote_name(Entry._meta.db_table)} SET points = 10 WHERE id = %s", [entry.pk])
    code, _, err = run("verify")
    assert code == 2
    assert f"First broken: entry {entry.pk}" in err


def test_export_csv_and_jsonl_with_filters(tmp_path):
    lines = [json.dumps(credit_document(indicator="5", source={"kind": "completion", "course_key": "course-v1:A+B+C"})),
             json.dumps(credit_document(indicator="1", provenance="declared", assurance="staff-reviewed", source={"kind": "declaration"})),
             json.dumps(credit_document(indicator="2", period="2025", occurred_at="2025-05-05T00:00:00Z"))]
    run("ingest", write_lines(tmp_path / "credit.jsonl", lines))
    target = tmp_path / "out.csv"
    code, _, err = run("export", "--period", "2026", "--format", "csv", "-o", str(target))
    assert code == 0 and "Exported 2 entries" in err
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [row["indicator"] for row in rows] == ["5", "1"]
    assert "user_id" not in rows[0] and rows[0]["anonymous_id"].startswith("anon-")
    assert not (tmp_path / "out.csv.partial").exists()
    code, out, _ = run("export", "--period", "2026", "--format", "jsonl", "--provenance", "declared")
    exported = [json.loads(line) for line in out.splitlines()]
    assert [row["indicator"] for row in exported] == ["1"] and exported[0]["points"] == "4.00"
    code, out, _ = run("export", "--format", "jsonl", "--course", "course-v1:A+B+C")
    assert [json.loads(line)["indicator"] for line in out.splitlines()] == ["5"]


def test_export_to_an_unwritable_place_fails_cleanly(tmp_path):
    code, _, err = run("export", "--format", "csv", "-o", str(tmp_path / "no-such-dir" / "out.csv"))
    assert code == 1 and "Cannot write" in err


def test_command_language_follows_the_environment():
    assert command_language({"LANG": "vi_VN.UTF-8"}) == "vi"
    assert command_language({"LANG": "C.UTF-8"}) == "en"
    assert command_language({"LANG": "vi_VN.UTF-8", "LEARNING_CITIZEN_LANGUAGE": "en"}) == "en"


@pytest.mark.django_db(transaction=True)
def test_the_installed_console_script_runs_on_the_configured_database(tmp_path):
    """The real `learning-citizen` executable, in its own process, on this test's database."""
    env, script = console_environment(), console_script()
    path = write_lines(tmp_path / "credit.jsonl", [json.dumps(credit_document()), "not json"])
    failed = subprocess.run([script, "ingest", path], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert failed.returncode == 1 and "line 2: malformed JSON" in failed.stderr
    path = write_lines(tmp_path / "credit.jsonl", [json.dumps(credit_document())])
    done = subprocess.run([script, "ingest", path], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert Entry.objects.count() == 1
    verified = subprocess.run([script, "verify"], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert verified.returncode == 0 and "1 entries verified" in verified.stdout
