"""Who may do what, checked through the block's handlers as the browser calls them."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from xblocks.common.mixins import workbench_user_id
from xblocks.evidence.models import Declaration

from .conftest import LEARNER, ledger_entries

pytestmark = [pytest.mark.django_db, pytest.mark.database]


def _declared(learner):
    status, body = learner.declare()
    assert status == 201, body
    return body["declaration"]


def test_learner_cannot_open_the_queue_or_decide(learner):
    declaration = _declared(learner)
    status, body = learner.queue()
    assert status == 403 and "Only course staff and reviewers" in body["message"]
    for action in ("approve", "request_changes", "reject", "revoke"):
        status, body = learner.review(declaration, action, reason="looks fine", points={"3": "10"})
        assert status == 403, (action, body)
    assert Declaration.objects.get(uuid=declaration["id"]).status == "submitted"
    assert ledger_entries(LEARNER) == []


def test_learner_cannot_raise_their_own_points(learner, staff):
    # Points sent with a declaration are not a field learners have: the form is refused, nothing stored.
    status, body = learner.post_form("declare", {**_fields(), "points": "10", "awarded": "3:10", "status": "approved"},
                                     [("proof.pdf", _pdf())])
    assert status == 400 and "awarded, points, status" in body["message"], body
    assert not Declaration.objects.exists()
    status, body = learner.post_form("declare", _fields(), [("proof.pdf", _pdf())])
    assert status == 201
    declaration = body["declaration"]
    assert declaration["status"] == "submitted" and declaration["awarded"] == {}
    status, body = staff.review(declaration, "approve", points={"3": "2"})
    assert status == 200, body
    # Once approved the learner can no longer change it, so cannot re-open it to more points.
    status, body = learner.post_form("update", {**_fields(), "declaration": declaration["id"]}, [("other.pdf", _pdf())])
    assert status == 409 and "can no longer be changed" in body["message"]
    status, body = learner.review(body_declaration(staff, declaration), "approve", points={"3": "10"})
    assert status == 403
    assert [str(entry.points) for entry in ledger_entries(LEARNER)] == ["2.00"]


def body_declaration(caller, declaration):
    status, body = caller.queue(status="all")
    return next(item for item in body["declarations"] if item["id"] == declaration["id"])


def test_a_learner_never_sees_another_learners_declarations_or_files(learner, other):
    declaration = _declared(learner)
    file_id = declaration["files"][0]["id"]
    status, body = other.state()
    assert status == 200 and body["declarations"] == []
    status, response = other.get("evidence", f"{declaration['id']}/{file_id}")
    assert status == 404
    status, body = other.post_form("update", {**_fields(), "declaration": declaration["id"]})
    assert status == 404
    status, body = other.post_json("withdraw", {"declaration": declaration["id"]})
    assert status == 404
    assert Declaration.objects.get(uuid=declaration["id"]).status == "submitted"
    # The owner still sees and downloads their own.
    status, body = learner.state()
    assert [item["id"] for item in body["declarations"]] == [declaration["id"]]
    status, response = learner.get("evidence", f"{declaration['id']}/{file_id}")
    assert status == 200 and response.body.startswith(b"%PDF-")


def test_evidence_download_is_served_safely_to_owner_and_reviewer(learner, staff, as_user):
    declaration = _declared(learner)
    file_id = declaration["files"][0]["id"]
    status, response = staff.get("evidence", f"{declaration['id']}/{file_id}")
    assert status == 200
    assert response.content_type == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert as_user("none").get("evidence", f"{declaration['id']}/{file_id}")[0] == 404  # no user
    assert learner.get("evidence", f"{declaration['id']}/not-a-uuid")[0] == 404


def test_nobody_reviews_their_own_declaration(staff):
    status, body = staff.declare()
    assert status == 201
    declaration = body["declaration"]
    status, body = staff.queue()
    item = next(item for item in body["declarations"] if item["id"] == declaration["id"])
    assert item["own"] is True
    status, body = staff.review(declaration, "approve", points={"3": "5"})
    assert status == 403 and "your own declaration" in body["message"]
    assert ledger_entries(workbench_user_id("staff")) == []


def test_holders_of_the_reviewer_permission_review_others_do_not(learner, as_user):
    declaration = _declared(learner)
    users = get_user_model()
    reviewer = users.objects.create(pk=7001, username="commune-reviewer")
    plain = users.objects.create(pk=7002, username="plain-user")
    users.objects.create(pk=7003, username="former-reviewer", is_active=False).user_permissions.add(
        Permission.objects.get(codename="review_declaration"))
    reviewer.user_permissions.add(Permission.objects.get(codename="review_declaration"))
    assert as_user("7002").queue()[0] == 403
    assert as_user("7003").queue()[0] == 403
    status, body = as_user("7001").queue()
    assert status == 200 and [item["id"] for item in body["declarations"]] == [declaration["id"]]
    status, body = as_user("7001").review(declaration, "approve", points={"3": "3"})
    assert status == 200, body
    assert plain.pk == 7002


def test_a_review_names_the_revision_it_saw(learner, staff):
    declaration = _declared(learner)
    status, body = staff.review(declaration, "request_changes", reason="Add the attendance list.")
    assert status == 200
    status, body = learner.post_form("update", {**_fields(), "declaration": declaration["id"]})
    assert status == 200, body
    # The reviewer still holds revision 2 (before the learner's edit): refused, nothing credited.
    status, body = staff.review(declaration, "approve", points={"3": "3"}, revision=2)
    assert status == 409 and "changed this declaration" in body["message"]
    assert ledger_entries(LEARNER) == []


def test_handlers_refuse_wrong_methods_and_unreadable_bodies(learner):
    import webob  # pylint: disable=import-outside-toplevel
    assert learner._send("declare", webob.Request.blank("/", method="GET"))[0] == 405  # pylint: disable=protected-access
    request = webob.Request.blank("/", method="POST", body=b"{not json", content_type="application/json")
    status, body = learner._send("review", request)  # pylint: disable=protected-access
    assert status == 400


def _fields():
    from .conftest import declaration_fields  # pylint: disable=import-outside-toplevel
    return declaration_fields()


def _pdf():
    from .conftest import unique_pdf  # pylint: disable=import-outside-toplevel
    return unique_pdf()
