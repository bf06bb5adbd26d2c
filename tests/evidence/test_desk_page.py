"""
The reviewer's desk across courses (/learning-citizen/evidence/desk): reviewers only, checked on
the server; declarations from every block with the learner's name and points on the declared
indicators, filtered by status, indicator, course and date; bad filters get a translated 400.
"""
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone, translation

from tests import harness
from xblocks.evidence.models import Declaration

from .conftest import LEARNER, Caller

pytestmark = [pytest.mark.django_db, pytest.mark.database]

DESK = "/learning-citizen/evidence/desk"
COURSE = "course-v1:LC+CDHT+2026"


@pytest.fixture
def two_blocks(db):
    """A declaration by learner 101 in each of two evidence blocks; the second block sits in a course."""
    made = []
    for indicator in ("3", "5"):
        usage_id = harness.load('<evidence-declaration display_name="Declare"/>', f"desk-{uuid.uuid4().hex[:8]}", user="setup")
        status, body = Caller(usage_id, LEARNER).declare(indicators=[indicator], title=f"Activity for indicator {indicator}")
        assert status == 201, body
        made.append(body["declaration"])
    Declaration.objects.filter(uuid=made[1]["id"]).update(course_key=COURSE)
    return made


def _user(username, *, reviewer=False, **fields):
    user = get_user_model().objects.create(username=username, **fields)
    if reviewer:
        user.user_permissions.add(Permission.objects.get(codename="review_declaration"))
    return user


def test_only_reviewers_may_open_the_desk(client, two_blocks):
    assert client.get(DESK).status_code == 302  # anonymous: to the login page
    client.force_login(_user("learner"))
    response = client.get(DESK)
    assert response.status_code == 403 and "Activity for indicator" not in response.content.decode()
    client.force_login(_user("staff-without-permission", is_staff=True))
    assert client.get(DESK).status_code == 403
    client.force_login(_user("gone", reviewer=True, is_active=False))
    assert client.get(DESK).status_code in (302, 403)
    client.force_login(_user("officer", reviewer=True))
    assert client.get(DESK).status_code == 200
    assert client.post(DESK).status_code == 405


def test_the_desk_lists_every_blocks_declarations_with_names_points_and_links(client, two_blocks):
    get_user_model().objects.create(id=int(LEARNER), username="lan", first_name="Lan", last_name="Nguyễn")
    client.force_login(_user("officer", reviewer=True))
    page = client.get(DESK, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Activity for indicator 3" in page and "Activity for indicator 5" in page
    assert "2 declarations" in page
    assert page.count("Learner: Lan Nguyễn") == 2 and "#101" not in page
    assert "Indicator 3: 0 of 10 count now; room left 10" in page
    # The declaration made in a course links to its block there; the other says why it cannot.
    assert f'href="/courses/{COURSE}/jump_to/' in page
    assert page.count("Open in its course to decide") == 1


def test_the_desk_filters_by_status_indicator_course_and_date(client, two_blocks):
    client.force_login(_user("officer", reviewer=True))
    Declaration.objects.filter(uuid=two_blocks[0]["id"]).update(created_at=timezone.now() - timedelta(days=10))

    def titles(**query):
        response = client.get(DESK, query, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        page = response.content.decode()
        return {title for title in ("Activity for indicator 3", "Activity for indicator 5") if title in page}

    assert titles(indicator="5") == {"Activity for indicator 5"}
    assert titles(course=COURSE) == {"Activity for indicator 5"}
    assert titles(submitted_from=timezone.localdate().isoformat()) == {"Activity for indicator 5"}
    assert titles(submitted_to=(timezone.localdate() - timedelta(days=5)).isoformat()) == {"Activity for indicator 3"}
    assert titles(status="approved") == set()
    assert titles(status="all") == {"Activity for indicator 3", "Activity for indicator 5"}


@pytest.mark.parametrize("language, expected", [("en", "Give the date as year-month-day"), ("vi", "Hãy ghi ngày theo dạng năm-tháng-ngày")])
def test_bad_filters_get_a_translated_400_and_list_nothing(client, two_blocks, language, expected):
    client.force_login(_user("officer", reviewer=True))
    with translation.override(language):
        response = client.get(DESK, {"submitted_from": "2026-W05"}, HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 400 and expected in page
    assert ("Gửi từ ngày: " if language == "vi" else "Submitted from: ") + expected in page  # names the filter at fault
    assert "Activity for indicator" not in page
    assert f'lang="{language}"' in page


def test_the_desk_is_vietnamese_on_a_vietnamese_request(client, two_blocks):
    client.force_login(_user("officer", reviewer=True))
    with translation.override("vi"):
        page = client.get(DESK, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Bàn làm việc của người duyệt" in page and "2 bản kê khai" in page


def test_the_lms_url_config_names_the_desks_urls_module():
    import importlib  # pylint: disable=import-outside-toplevel

    from django.apps import apps  # pylint: disable=import-outside-toplevel
    config = apps.get_app_config("learning_citizen_evidence")
    url_config = config.plugin_app["url_config"]["lms.djangoapp"]
    module = importlib.import_module(f"{config.name}.{url_config['relative_path']}")
    assert module.app_name == url_config["namespace"] == "learning_citizen_evidence"
    assert url_config["regex"] == r"^learning-citizen/evidence/"
