"""
A province's own criteria (tests/province.py: 8 indicators, 15 or 10 points each, 70 to be
recognised, at least 6 in each) loaded from a directory through the LEARNING_CITIZEN_FRAMEWORK_DIRS
setting: standing, exports and reports apply its rule, with no change to the code.
"""
import csv
import io
import json

import pytest

from tests import province
from tests.commands import run
from tests.factories import credit_event
from xblocks.ledger import api
from xblocks.reports.membership import import_members

pytestmark = [pytest.mark.database, pytest.mark.django_db]

# user: (population group, points in HN1..HN8)
LEARNERS = {
    201: ("rural", [15, 15, 15, 15, 6, 6, 6, 6]),      # 84: recognised
    202: ("rural", [15, 15, 15, 15, 10, 10, 10, 5]),   # 95, but HN8 is below its 6
    203: ("urban", [12, 12, 12, 12, 6, 6, 6, 6]),      # 72: recognised here, short of the shipped 80
    204: ("urban", [10, 10, 10, 10, 6, 6, 6, 6]),      # 64: below 70
}
MEMBERS = "user_id,birth_year,population_group,province_code,province_name,commune_code,commune_name\n" + "".join(
    f"{user},1980,{group},01,Tỉnh Một,00001,Xã Một\n" for user, (group, _) in LEARNERS.items())


def _credit(user, indicator, points, version=province.VERSION, source="completion"):
    api.append(credit_event(
        idempotency_key=f"province:{user}:{indicator}:{version}", learner={"user_id": user, "anonymous_id": f"anon-{user}"},
        framework={"id": province.FRAMEWORK_ID, "version": version}, indicator=indicator, points=points, period="2026",
        source={"kind": source, "course_key": f"course-v1:HN+C{user}+2026", "usage_key": None}, provenance="verified",
        assurance="auto-scored", occurred_at="2026-04-01T08:00:00+07:00"))


@pytest.fixture
def variant_site(settings, tmp_path):
    province.write(tmp_path / "frameworks")
    settings.LEARNING_CITIZEN_FRAMEWORK_DIRS = [str(tmp_path / "frameworks")]
    import_members(io.BytesIO(MEMBERS.encode("utf-8")))
    for user, (_, points) in LEARNERS.items():
        for code, value in zip(province.CODES, points):
            _credit(user, code, value, source="assessment" if code == "HN5" else "completion")
    # Credit recorded earlier under the shipped version (10 in each of its indicators) is still
    # accepted by its version, but its indicators are not the province's: it counts for nothing here.
    for code in range(1, 11):
        _credit(204, str(code), 10, version="1.0.0")


def test_standing_applies_the_variants_rule(variant_site):
    standings = {user: api.standing(user, "2026", province.FRAMEWORK_ID) for user in LEARNERS}
    assert {user: (s.framework_version, float(s.total), s.recognised, s.short) for user, s in standings.items()} == {
        201: ("2.0.0", 84.0, True, []), 202: ("2.0.0", 95.0, False, ["HN8"]),
        203: ("2.0.0", 72.0, True, []), 204: ("2.0.0", 64.0, False, [])}
    assert [i.code for i in standings[201].indicators] == province.CODES


def test_the_standing_command_applies_it(variant_site):
    code, out, err = run("standing", "--learner", "203", "--period", "2026", "--json")
    assert code == 0, err
    assert json.loads(out) == {
        "framework": {"id": province.FRAMEWORK_ID, "version": "2.0.0"}, "period": "2026", "total": 72.0, "threshold": 70.0,
        "recognised": True, "indicators": dict(zip(province.CODES, [12.0] * 4 + [6.0] * 4)), "short": []}
    code, out, err = run("standing", "--learner", "202", "--period", "2026")
    assert code == 0 and "95 points (70 needed), not recognised" in out and "indicator HN8: 5 of 10, short by 1" in out


def test_exports_apply_it(variant_site):
    code, out, err = run("export", "--period", "2026", "--format", "ob3")
    assert code == 0, err
    credentials = [json.loads(line) for line in out.splitlines()]
    subjects = [c["credentialSubject"] for c in credentials]
    assert [s["identifier"][-1]["identityHash"] for s in subjects] == ["anon-201", "anon-203"]
    assert [s["creditsEarned"] for s in subjects] == [84.0, 72.0]
    assert "(version 2.0.0)" in credentials[0]["description"]
    assert "at least 70 out of 100 points" in subjects[0]["achievement"]["criteria"]["narrative"]
    code, out, err = run("export", "--period", "2026", "--format", "csv", "--indicator", "HN8")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [(r["anonymous_id"], r["framework_version"], r["points"]) for r in rows] == [
        ("anon-201", "2.0.0", "6.00"), ("anon-202", "2.0.0", "5.00"), ("anon-203", "2.0.0", "6.00"), ("anon-204", "2.0.0", "6.00")]


def test_reports_apply_it(variant_site):
    code, out, err = run("report", "--period", "2026", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    (holders,) = [row for row in rows if row["section"] == "members"]
    assert (holders["count"], holders["of"]) == ("2", "4")                      # 201 and 203
    groups = {row["code"]: (row["label"], row["count"], row["of"]) for row in rows if row["section"] == "population-group"}
    assert groups == {"rural": ("Rural residents", "1", "2"), "urban": ("Urban residents", "1", "2")}
    targets = {row["code"]: row for row in rows if row["section"] == "target"}
    # Holders with digital skills: 6 points from the assessment on HN5 (the variant's digital-skills indicator).
    assert (targets["holders-with-digital-skills"]["count"], targets["holders-with-digital-skills"]["of"]) == ("2", "2")
    assert (targets["holders-proficient"]["count"], targets["holders-proficient"]["of"]) == ("0", "2")


def test_the_variant_is_published_where_its_credentials_point(variant_site, client):
    """A credential's achievement aligns to the framework document: the province's is served like a shipped one."""
    response = client.get(f"/learning-citizen/credentials/frameworks/{province.FRAMEWORK_ID}/{province.VERSION}")
    assert response.status_code == 200
    document = response.json()
    assert document["version"] == province.VERSION
    assert [indicator["code"] for group in document["groups"] for indicator in group["indicators"]] == province.CODES
