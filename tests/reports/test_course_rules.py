"""
Course-level rules, driven by the platform's real openedx-events signals and payload classes:
passing and certificates credit mapped courses once, a revoked certificate withdraws the credit.
"""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from opaque_keys.edx.keys import CourseKey
from openedx_events.data import EventsMetadata
from openedx_events.learning.data import CertificateData, CourseData, CoursePassingStatusData, UserData, UserPersonalData
from openedx_events.learning.signals import CERTIFICATE_CREATED, CERTIFICATE_REVOKED, COURSE_PASSING_STATUS_UPDATED

from xblocks.ledger import api
from xblocks.reports.course_rules import rule_key
from xblocks.ledger.models import CourseCreditRule, Entry

pytestmark = [pytest.mark.database, pytest.mark.django_db]

COURSE = "course-v1:LearningCitizenVN+KNS101+2026"
OTHER_COURSE = "course-v1:LearningCitizenVN+OTHER+2026"


def user(user_id=201):
    return UserData(id=user_id, is_active=True,
                    pii=UserPersonalData(username=f"learner{user_id}", email=f"learner{user_id}@example.org", name="Nguyễn Văn A"))


def course(course_key=COURSE):
    return CourseData(course_key=CourseKey.from_string(course_key), display_name="Kỹ năng số cơ bản")


def passing(is_passing=True, user_id=201, course_key=COURSE):
    return COURSE_PASSING_STATUS_UPDATED.send_event(
        course_passing_status=CoursePassingStatusData(is_passing=is_passing, course=course(course_key), user=user(user_id)))


def certificate(signal, user_id=201, course_key=COURSE, status="downloadable", metadata=None):
    data = CertificateData(user=user(user_id), course=course(course_key), mode="honor", grade="0.9",
                           download_url="", name="Nguyễn Văn A", current_status=status)
    if metadata is not None:  # as the event bus re-sends an event: with its original metadata
        return signal.send_event_with_custom_metadata(metadata, certificate=data)
    return signal.send_event(certificate=data)


@pytest.fixture
def passing_rule():
    return CourseCreditRule.objects.create(course_key=COURSE, indicator="5", points=Decimal("3"), hours=Decimal("6"),
                                           on_passing=True, on_certificate=False)


@pytest.fixture
def certificate_rule():
    return CourseCreditRule.objects.create(course_key=COURSE, indicator="2", points=Decimal("2"),
                                           on_passing=False, on_certificate=True)


def credits(**filters):
    return Entry.objects.filter(kind=Entry.Kind.CREDIT, **filters)


def test_passing_a_mapped_course_credits_it_once(passing_rule):
    passing()
    passing()  # the bus delivers at least once; grades are recomputed often
    entry = credits().get()
    assert (entry.user_id, entry.indicator, entry.points, entry.hours) == (201, "5", Decimal("3.00"), Decimal("6.00"))
    assert (entry.source_kind, entry.course_key, entry.provenance) == ("course-passing", COURSE, "verified")
    assert entry.idempotency_key == rule_key(201, COURSE, "learning-citizen-2021-2030", "5")


def test_no_credit_when_not_passing_unmapped_or_disabled(passing_rule):
    passing(is_passing=False)
    passing(course_key=OTHER_COURSE)
    CourseCreditRule.objects.create(course_key=OTHER_COURSE, indicator="5", points=Decimal("1"), enabled=False)
    passing(course_key=OTHER_COURSE)
    assert not Entry.objects.exists()


def test_a_certificate_credits_and_its_revocation_withdraws(certificate_rule):
    passing()  # this rule waits for the certificate
    assert not Entry.objects.exists()
    certificate(CERTIFICATE_CREATED)
    certificate(CERTIFICATE_CREATED)
    original = credits().get()
    assert (original.indicator, original.source_kind) == ("2", "certificate")

    certificate(CERTIFICATE_REVOKED)
    certificate(CERTIFICATE_REVOKED)
    reversal = Entry.objects.get(kind=Entry.Kind.REVERSAL)
    assert reversal.reverses_id == original.pk and reversal.points == Decimal("-2.00")
    assert api.standing(201, original.period).total == 0
    assert api.verify().intact


def test_a_certificate_issued_again_credits_again_but_a_stale_redelivery_does_not(certificate_rule):
    first_sent = CERTIFICATE_CREATED.generate_signal_metadata(time=datetime.now(timezone.utc) - timedelta(hours=1))
    certificate(CERTIFICATE_CREATED, metadata=first_sent)
    certificate(CERTIFICATE_REVOKED)
    certificate(CERTIFICATE_CREATED, metadata=first_sent)  # the old event, redelivered after the revocation
    assert credits().count() == 1
    certificate(CERTIFICATE_CREATED)  # a new certificate, issued now
    certificate(CERTIFICATE_CREATED)
    assert credits().count() == 2
    newest = credits().order_by("id").last()
    assert newest.idempotency_key.endswith(":2") and not Entry.objects.filter(reverses=newest).exists()


def test_a_status_that_is_not_an_award_credits_nothing(certificate_rule):
    certificate(CERTIFICATE_CREATED, status="notpassing")
    assert not Entry.objects.exists()


def test_passing_and_certificate_on_one_rule_credit_once_and_passing_cannot_undo_a_revocation():
    CourseCreditRule.objects.create(course_key=COURSE, indicator="5", points=Decimal("3"), on_passing=True, on_certificate=True)
    passing()
    certificate(CERTIFICATE_CREATED)
    assert credits().count() == 1
    certificate(CERTIFICATE_REVOKED)
    passing()
    assert credits().count() == 1 and Entry.objects.filter(kind=Entry.Kind.REVERSAL).count() == 1


def test_learners_and_rules_are_independent(passing_rule):
    CourseCreditRule.objects.create(course_key=COURSE, indicator="1", points=Decimal("1"))
    passing(user_id=201)
    passing(user_id=202)
    assert sorted(credits().values_list("user_id", "indicator")) == [(201, "1"), (201, "5"), (202, "1"), (202, "5")]


def test_the_metadata_time_dates_the_credit(passing_rule):
    sent = datetime(2025, 12, 31, 23, 0, tzinfo=timezone.utc)
    COURSE_PASSING_STATUS_UPDATED.send_event_with_custom_metadata(
        COURSE_PASSING_STATUS_UPDATED.generate_signal_metadata(time=sent),
        course_passing_status=CoursePassingStatusData(is_passing=True, course=course(), user=user()))
    entry = credits().get()
    assert entry.occurred_at == sent and entry.period == "2025"


@pytest.mark.parametrize("changes, field, message", [
    ({"indicator": "12"}, "indicator", "unknown indicator 12 in framework learning-citizen-2021-2030"),
    ({"points": Decimal("11")}, "points", "11 points is more than indicator 5 allows (10.00)"),
    ({"points": Decimal("0")}, "points", "points must be more than 0"),
    ({"on_passing": False, "on_certificate": False}, "on_passing", "choose when the credit is earned"),
    ({"framework_id": "nope"}, "framework_id", "unknown criteria framework nope"),
])
def test_a_rule_is_checked_against_the_framework(changes, field, message):
    rule = CourseCreditRule(**{"course_key": COURSE, "indicator": "5", "points": Decimal("3"), **changes})
    with pytest.raises(ValidationError) as caught:
        rule.full_clean()
    assert any(message in text for text in caught.value.message_dict[field])


def test_administrators_edit_rules_in_the_django_admin(client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "secret")
    client.force_login(admin)
    assert client.get("/admin/learning_citizen_ledger/coursecreditrule/add/").status_code == 200
    form = {"course_key": COURSE, "enabled": "on", "framework_id": "learning-citizen-2021-2030", "indicator": "5",
            "points": "11", "hours": "", "on_passing": "on"}
    response = client.post("/admin/learning_citizen_ledger/coursecreditrule/add/", form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and not CourseCreditRule.objects.exists()  # refused, with the message
    assert "11 points is more than indicator 5 allows" in response.content.decode()
    response = client.post("/admin/learning_citizen_ledger/coursecreditrule/add/", {**form, "points": "3"})
    assert response.status_code == 302
    rule = CourseCreditRule.objects.get()
    assert (rule.indicator, rule.points, rule.on_passing, rule.on_certificate) == ("5", Decimal("3.00"), True, False)
    assert client.get("/admin/learning_citizen_ledger/coursecreditrule/").status_code == 200


def test_events_metadata_is_the_real_class():
    assert isinstance(COURSE_PASSING_STATUS_UPDATED.generate_signal_metadata(), EventsMetadata)
