"""
The reviewer's desk through the handlers: the room left on each indicator (its maximum less what
already counts from every source, within the policy's cap), awards above it refused with nothing
written, what the learner is shown as counted, the queue's filters, learner names and who may see it.
"""
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests import harness
from tests.platform.student_user_models import profile_model, student_models_module
from xblocks.common.credit import give_credit
from xblocks.criteria.frameworks import get_framework
from xblocks.evidence.models import Declaration, ReviewEvent

from .conftest import LEARNER, ledger_entries

pytestmark = [pytest.mark.django_db, pytest.mark.database]

FRAMEWORK = "learning-citizen-2021-2030"


def _declared(caller, **fields):
    status, body = caller.declare(**fields)
    assert status == 201, body
    return body["declaration"]


def _course_credit(indicator, points, *, activity_date=None):
    """Credit from a course (not a declaration) on ``indicator``, in the period of ``activity_date``."""
    moment = datetime.combine(activity_date or date.today() - timedelta(days=10), time(12, 0))
    delivery = give_credit(source_kind="completion", user_id=int(LEARNER), framework=get_framework(FRAMEWORK),
                           indicator=indicator, points=Decimal(points), provenance="verified", assurance="auto-scored",
                           occurred_at=timezone.make_aware(moment), usage_key=f"block-v1:LC+X+1+type@html+block@{indicator}-{points}")
    assert not delivery.failures


def _queued(staff, declaration):
    status, body = staff.queue(status="all")
    assert status == 200, body
    return next(item for item in body["declarations"] if item["id"] == declaration["id"])


def _unchanged(declaration_id, entries_before):
    row = Declaration.objects.get(uuid=declaration_id)
    assert row.status == "submitted" and row.awarded == {} and row.credit_keys == []
    assert not ReviewEvent.objects.filter(declaration=row, action="approve").exists()
    assert len(ledger_entries(LEARNER)) == entries_before


def test_room_left_counts_credit_from_every_source_and_awards_above_it_are_refused(learner, staff):
    _course_credit("3", "7")
    declaration = _declared(learner, indicators=["3", "5"])
    item = _queued(staff, declaration)
    # Indicator 3 holds 7 of 10 from a course: 3 more can count; indicator 5 is empty.
    assert item["remaining"] == {"3": "3", "5": "10"}
    three = next(row for row in item["points"] if row["code"] == "3")
    assert three == {"code": "3", "points": "7", "max": "10", "room": "3", "declared": True}
    assert len(item["points"]) == len(get_framework(FRAMEWORK).indicators)  # every indicator, for the whole picture
    assert not next(row for row in item["points"] if row["code"] == "1")["declared"]

    status, body = staff.review(declaration, "approve", points={"3": "4", "5": "2"})
    assert status == 400
    assert [problem["field"] for problem in body["problems"]] == ["points-3"]
    assert "at most 3 more points" in body["problems"][0]["message"]
    _unchanged(declaration["id"], 1)

    status, body = staff.review(declaration, "approve", points={"3": "3", "5": "2"})
    assert status == 200, body
    standing = harness_standing(declaration)
    assert (standing["3"].earned, standing["3"].points) == (Decimal("10.00"), Decimal("10.00"))  # nothing capped away
    # The learner sees what counted, which is what was recorded.
    assert learner.state()[1]["declarations"][0]["awarded"] == {"3": "3", "5": "2"}


def harness_standing(declaration):
    from xblocks.ledger import api as ledger  # pylint: disable=import-outside-toplevel
    standing = ledger.standing(int(LEARNER), declaration["activityDate"][:4], FRAMEWORK)
    return {item.code: item for item in standing.indicators}


def test_a_full_indicator_takes_no_points_and_the_reviewer_is_told_plainly(learner, staff):
    _course_credit("5", "10")
    declaration = _declared(learner, indicators=["5"])
    item = _queued(staff, declaration)
    assert item["remaining"] == {"5": "0"}
    status, body = staff.review(declaration, "approve", points={"5": "4"})
    assert status == 400 and body["problems"][0]["field"] == "points-5"
    assert "full for this learner" in body["problems"][0]["message"]
    status, body = staff.review(declaration, "approve", points={})
    assert status == 400 and "no points can count" in body["problems"][0]["message"]
    _unchanged(declaration["id"], 1)
    # Rejecting with a reason is still possible.
    assert staff.review(declaration, "reject", reason="Indicator 5 is already complete this year.")[0] == 200


def test_the_refusal_is_translated(learner, as_user):
    _course_credit("5", "10")
    declaration = _declared(learner, indicators=["5"])
    staff = as_user("staff")
    from django.utils import translation  # pylint: disable=import-outside-toplevel
    with translation.override("vi"):
        status, body = staff.review(declaration, "approve", points={"5": "4"})
    assert status == 400
    assert "Chỉ số 5 của người học này đã đủ điểm tối đa" in body["problems"][0]["message"]


def test_a_revoked_approval_shows_the_learner_no_points(learner, staff):
    declaration = _declared(learner)
    status, body = staff.review(declaration, "approve", points={"3": "4"})
    assert status == 200
    assert learner.state()[1]["declarations"][0]["awarded"] == {"3": "4"}
    status, body = staff.review(body["declaration"], "revoke", reason="The certificate belongs to someone else.")
    assert status == 200
    shown = learner.state()[1]["declarations"][0]
    assert shown["status"] == "revoked" and shown["awarded"] == {}
    assert sum(entry.points for entry in ledger_entries(LEARNER)) == 0


def test_queue_filters_by_status_indicator_and_submission_date(learner, staff):
    old = _declared(learner, indicators=["3"])
    new = _declared(learner, indicators=["5"])
    ten_days_ago = timezone.now() - timedelta(days=10)
    Declaration.objects.filter(uuid=old["id"]).update(created_at=ten_days_ago)

    def ids(**filters):
        status, body = staff.queue(**filters)
        assert status == 200, body
        return {item["id"] for item in body["declarations"]}

    today = timezone.localdate().isoformat()
    assert ids() == {old["id"], new["id"]}
    assert ids(indicator="5") == {new["id"]}
    assert ids(submitted_from=today) == {new["id"]}
    assert ids(submitted_to=(timezone.localdate() - timedelta(days=5)).isoformat()) == {old["id"]}
    assert ids(submitted_from=ten_days_ago.date().isoformat(), submitted_to=today) == {old["id"], new["id"]}
    assert ids(status="approved") == set()
    status, body = staff.queue()
    assert body["count"] == "2 declarations"


@pytest.mark.parametrize("filters, field", [
    ({"status": "everything"}, "status"),
    ({"indicator": "99"}, "indicator"),
    ({"kind": "party"}, "kind"),
    ({"status": ["submitted"]}, "status"),
    ({"submitted_from": "2026-W05"}, "submitted_from"),
    ({"submitted_from": "2026-02-30"}, "submitted_from"),
    ({"submitted_from": "2026-03-02", "submitted_to": "2026-03-01"}, "submitted_to"),
])
def test_bad_filters_get_a_translated_400_naming_the_filter(staff, filters, field):
    status, body = staff.queue(**filters)
    assert status == 400
    assert [problem["field"] for problem in body["problems"]] == [field]
    assert body["problems"][0]["message"]


def test_learners_are_named_by_the_site_never_by_a_number(learner, staff):
    declaration = _declared(learner)
    # The workbench has no site user for 101: the name its user service gave at submission.
    told = learner.block.current_user().name
    assert told and told != LEARNER and LEARNER in told  # the workbench's "XBlock User (101)"
    assert _queued(staff, declaration)["learner"]["name"] == told
    Declaration.objects.filter(uuid=declaration["id"]).update(learner_name="")
    assert _queued(staff, declaration)["learner"]["name"] == ""  # the page then says it has no name, not "#101"
    # A site user with that id: Django's full name outside the LMS ...
    get_user_model().objects.create(id=int(LEARNER), username="lan", first_name="Lan", last_name="Nguyễn")
    assert _queued(staff, declaration)["learner"]["name"] == "Lan Nguyễn"


def test_in_the_lms_learners_are_named_by_their_profile(learner, staff, platform):
    declaration = _declared(learner)
    get_user_model().objects.create(id=int(LEARNER), username="lan")
    profiles = profile_model({int(LEARNER): "Nguyễn Thị Lan"})
    platform(student_models_module(profiles=profiles))
    assert _queued(staff, declaration)["learner"]["name"] == "Nguyễn Thị Lan"
    assert profiles.objects.asked == [[int(LEARNER)]]  # one read for the whole queue


def test_the_desk_comes_first_for_reviewers_and_not_at_all_for_learners(learner, staff):
    learner_page = harness.render(learner.block)
    assert "lc-ev-queue" not in learner_page and "lc-ev-declare" in learner_page
    staff_page = harness.render(staff.block)
    assert 0 <= staff_page.index("lc-ev-queue") < staff_page.index("lc-ev-declare")


@pytest.mark.parametrize("student", ["101", "none"])
@pytest.mark.parametrize("filters", [{"status": "all", "submitted_from": "2020-01-01"}, {"status": "everything", "submitted_from": "x"}])
def test_learners_and_visitors_get_403_from_the_desk_whatever_the_filters(as_user, learner, student, filters):
    _declared(learner)
    status, body = as_user(student).queue(**filters)
    assert status == 403 and "declarations" not in body
    assert not body.get("problems")  # refused before the filters are even read
