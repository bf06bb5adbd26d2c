"""The review flow through the handlers: credit sent once, within the caps, reversed on withdrawal or revocation."""
from decimal import Decimal

import pytest

from xblocks.evidence.models import Declaration, EvidenceFile
from xblocks.ledger import api as ledger

from .conftest import LEARNER, OTHER, ledger_entries, stored_files, unique_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.database]


def _declared(caller, **fields):
    status, body = caller.declare(**fields)
    assert status == 201, body
    return body["declaration"]


def test_approval_sends_one_declared_staff_reviewed_credit_per_indicator(learner, staff):
    declaration = _declared(learner, indicators=["5", "1"], hours="4", links="https://clc.example.vn/certificate/77")
    status, body = staff.review(declaration, "approve", points={"1": "1.5", "5": "3"})
    assert status == 200, body
    assert body["declaration"]["status"] == "approved"
    entries = ledger_entries(LEARNER)
    assert [(entry.indicator, entry.points) for entry in entries] == [("1", Decimal("1.50")), ("5", Decimal("3.00"))]
    # The keys as evidence review has always made them: a ledger that holds them gets no duplicate after an upgrade.
    assert [entry.idempotency_key for entry in entries] == [f"declaration:{declaration['id']}:1", f"declaration:{declaration['id']}:5"]
    for entry in entries:
        assert (entry.provenance, entry.assurance, entry.source_kind) == ("declared", "staff-reviewed", "declaration")
        assert entry.usage_key == str(learner.block.scope_ids.usage_id)
        file = EvidenceFile.objects.get()
        assert {"uri": f"urn:uuid:{file.uuid}", "sha256": file.sha256} in entry.evidence
        assert {"uri": "https://clc.example.vn/certificate/77"} in entry.evidence
    # The activity's hours count once, not once per indicator.
    assert [entry.hours for entry in entries] == [Decimal("4.00"), None]
    # The learner sees the decision and the points.
    status, body = learner.state()
    assert body["declarations"][0]["awarded"] == {"1": "1.5", "5": "3"}


def test_credit_is_sent_once_whatever_is_repeated(learner, staff):
    declaration = _declared(learner)
    assert staff.review(declaration, "approve", points={"3": "4"})[0] == 200
    status, body = staff.review(declaration, "approve", points={"3": "4"}, revision=2)
    assert status == 409
    status, body = staff.review(declaration, "approve", points={"3": "4"})  # the old revision
    assert status == 409
    assert len(ledger_entries(LEARNER)) == 1


def test_points_stay_within_the_policy_and_framework_caps(learner, staff):
    first = _declared(learner, indicators=["3"])
    second = _declared(learner, indicators=["3"])
    status, body = staff.review(first, "approve", points={"3": "11"})
    assert status == 400 and body["problems"][0]["field"] == "points-3"
    assert "at most 10 more points" in body["problems"][0]["message"]
    for points, fragment in (({"3": "-1"}, "cannot be negative"), ({"3": "lots"}, "must be a number"),
                             ({"3": "0"}, "more than 0 points"), ({"9": "2"}, "not part of this declaration")):
        status, body = staff.review(first, "approve", points=points)
        assert status == 400 and fragment in body["problems"][0]["message"], (points, body)
    assert staff.review(first, "approve", points={"3": "8"})[0] == 200
    # Only 2 points are left for indicator 3 from declarations this period.
    status, body = staff.queue()
    item = next(item for item in body["declarations"] if item["id"] == second["id"])
    assert item["remaining"] == {"3": "2"}
    status, body = staff.review(second, "approve", points={"3": "3"})
    assert status == 400 and "at most 2 more points" in body["problems"][0]["message"]
    assert staff.review(second, "approve", points={"3": "2"})[0] == 200
    assert ledger.standing(int(LEARNER), first["activityDate"][:4]).indicators[2].earned == Decimal("10.00")


def test_withdrawing_an_approved_declaration_appends_a_reversal(learner, staff):
    declaration = _declared(learner)
    assert staff.review(declaration, "approve", points={"3": "5"})[0] == 200
    status, body = learner.post_json("withdraw", {"declaration": declaration["id"]})
    assert status == 200 and body["declaration"]["status"] == "withdrawn"
    credit, reversal = ledger_entries(LEARNER)
    assert (reversal.kind, reversal.reverses_id, reversal.points) == ("reversal", credit.pk, Decimal("-5.00"))
    assert "withdrawn by the learner" in reversal.reason
    # Withdrawn is final; the credit is not reversed twice.
    assert learner.post_json("withdraw", {"declaration": declaration["id"]})[0] == 409
    assert len(ledger_entries(LEARNER)) == 2
    assert ledger.verify().intact


def test_revoking_an_approval_needs_a_reason_and_appends_a_reversal(learner, staff):
    declaration = _declared(learner, indicators=["3", "4"])
    status, body = staff.review(declaration, "approve", points={"3": "2", "4": "1"})
    assert status == 200
    approved = body["declaration"]
    status, body = staff.review(approved, "revoke", reason="  ")
    assert status == 400 and body["problems"][0]["field"] == "reason"
    status, body = staff.review(approved, "revoke", reason="The certificate belongs to someone else.")
    assert status == 200 and body["declaration"]["status"] == "revoked"
    entries = ledger_entries(LEARNER)
    assert sorted(entry.points for entry in entries) == [Decimal("-2.00"), Decimal("-1.00"), Decimal("1.00"), Decimal("2.00")]
    status, body = learner.state()
    assert body["declarations"][0]["reason"] == "The certificate belongs to someone else."
    assert body["declarations"][0]["withdrawable"] is False


def test_request_changes_then_edit_then_approve(learner, staff, evidence_storage, django_capture_on_commit_callbacks):
    declaration = _declared(learner, files=[("first.pdf", None), ("second.pdf", None)])
    assert staff.review(declaration, "reject", reason="")[0] == 400  # a reason is required
    status, body = staff.review(declaration, "request_changes", reason="Add the attendance list.")
    assert status == 200
    status, body = learner.state()
    mine = body["declarations"][0]
    assert (mine["status"], mine["reason"], mine["editable"]) == ("changes_requested", "Add the attendance list.", True)
    dropped = mine["files"][0]["id"]
    fields = {"indicators": ["3"], "kind": "club-or-seminar", "title": "Reading club, with attendance",
              "activity_date": mine["activityDate"], "hours": "2.5", "description": "Now with the list.", "links": ""}
    with django_capture_on_commit_callbacks(execute=True):  # the dropped file leaves storage once the change commits
        status, body = learner.post_form("update", {**fields, "declaration": mine["id"], "remove_files": [dropped]},
                                         [("attendance.pdf", unique_pdf("attendance"))])
    assert status == 200, body
    edited = body["declaration"]
    assert (edited["status"], edited["title"], edited["revision"]) == ("submitted", "Reading club, with attendance", 3)
    assert sorted(item["name"] for item in edited["files"]) == ["attendance.pdf", "second.pdf"]
    assert len(stored_files(evidence_storage)) == 2
    assert staff.review(edited, "approve", points={"3": "3"})[0] == 200
    history = [event["action"] for event in learner.state()[1]["declarations"][0]["history"]]
    assert history == ["submit", "request_changes", "edit", "approve"]


def test_a_rejected_declaration_can_be_corrected_and_resubmitted(learner, staff):
    declaration = _declared(learner)
    status, body = staff.review(declaration, "reject", reason="This is not a learning activity.")
    assert status == 200 and body["declaration"]["status"] == "rejected"
    assert ledger_entries(LEARNER) == []
    status, body = learner.post_json("withdraw", {"declaration": declaration["id"]})
    assert status == 200 and body["declaration"]["status"] == "withdrawn"


def test_duplicates_are_refused_for_the_learner_and_flagged_for_the_reviewer(learner, other, staff, evidence_storage):
    shared = unique_pdf("same certificate")
    first = _declared(learner, files=[("certificate.pdf", shared)], title="Office IT course", activity_date="2026-03-02")
    # The same file again, by the same learner: refused.
    status, body = learner.declare(files=[("copy.pdf", shared)])
    assert status == 400 and "already evidence for your declaration" in body["problems"][0]["message"]
    # The same activity (kind, date, name; case and spacing ignored): refused.
    status, body = learner.declare(title="  office   IT COURSE ", activity_date="2026-03-02", kind=first["kind"])
    assert status == 400 and body["problems"][0]["field"] == "title"
    # Two identical files in one declaration: refused.
    status, body = learner.declare(files=[("a.pdf", unique_pdf("twin")), ("b.pdf", unique_pdf("twin"))])
    assert status == 400 and "same file as another one you chose" in body["problems"][0]["message"]
    # Another learner with the same file: accepted, and the reviewer is told (without naming anyone).
    theirs = _declared(other, files=[("my-certificate.pdf", shared)])
    status, body = staff.queue()
    flags = {item["id"]: item["flags"] for item in body["declarations"]}
    assert flags[theirs["id"]] == ["The same file is evidence in 1 declaration(s) by other learners."]
    assert flags[first["id"]] == ["The same file is evidence in 1 declaration(s) by other learners."]
    assert Declaration.objects.count() == 2 and len(stored_files(evidence_storage)) == 2
    # A withdrawn declaration no longer blocks the file.
    assert learner.post_json("withdraw", {"declaration": first["id"]})[0] == 200
    assert learner.declare(files=[("certificate.pdf", shared)])[0] == 201


def test_queue_filters(learner, other, staff):
    reading = _declared(learner, indicators=["1"], kind="reading", title="Read three books on farming")
    course = _declared(other, indicators=["5"], kind="course-elsewhere", title="Smartphone course")
    assert staff.review(course, "approve", points={"5": "2"})[0] == 200

    def ids(**filters):
        status, body = staff.queue(**filters)
        assert status == 200
        return [item["id"] for item in body["declarations"]]

    assert ids() == [reading["id"]]                                     # waiting for a decision, by default
    assert ids(status="all") == [reading["id"], course["id"]]
    assert ids(status="approved") == [course["id"]]
    assert ids(status="all", indicator="5") == [course["id"]]
    assert ids(status="all", indicator="1") == [reading["id"]]
    assert ids(status="all", kind="reading") == [reading["id"]]
    assert ids(status="all", search="SMARTPHONE") == [course["id"]]
    status, body = staff.queue(status="all")
    assert {item["learner"]["id"] for item in body["declarations"]} == {int(LEARNER), int(OTHER)}


def test_links_become_valid_uris_that_the_credit_event_accepts(learner, staff):
    declaration = _declared(learner, links="https://thư-viện.example.vn/sách hay?x=<script>\nhttps://example.org/a")
    assert declaration["links"] == ["https://xn--th-vin-4zb3960d.example.vn/s%C3%A1ch%20hay?x=%3Cscript%3E",
                                    "https://example.org/a"]
    status, body = staff.review(declaration, "approve", points={"3": "1"})
    assert status == 200, body
    assert {"uri": "https://example.org/a"} in ledger_entries(LEARNER)[0].evidence
