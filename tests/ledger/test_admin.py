"""The ledger in the Django admin: readable and searchable, never editable."""
import pytest
from django.contrib.auth import get_user_model

from tests.factories import credit_event
from xblocks.ledger import api
from xblocks.ledger.models import Entry

pytestmark = [pytest.mark.database, pytest.mark.django_db]

ENTRIES = "/admin/learning_citizen_ledger/entry/"
HEADS = "/admin/learning_citizen_ledger/chainhead/"


@pytest.fixture(name="superuser_client")
def logged_in_superuser(client):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "x"))
    return client


@pytest.fixture(name="entry")
def one_entry():
    return api.append(credit_event(learner={"user_id": 321, "anonymous_id": "anon-321"}, indicator="7")).entry


def test_entries_list_search_and_filter(superuser_client, entry):
    page = superuser_client.get(ENTRIES)
    assert page.status_code == 200 and b"321" in page.content
    assert superuser_client.get(ENTRIES, {"q": "321"}).context["cl"].result_count == 1
    assert superuser_client.get(ENTRIES, {"q": "999"}).context["cl"].result_count == 0
    assert superuser_client.get(ENTRIES, {"period": "2026", "indicator": "7"}).context["cl"].result_count == 1
    assert superuser_client.get(f"{ENTRIES}{entry.pk}/change/").status_code == 200


def test_nothing_can_be_added_changed_or_deleted(superuser_client, entry):
    assert superuser_client.get(f"{ENTRIES}add/").status_code == 403
    assert superuser_client.post(f"{ENTRIES}{entry.pk}/change/", {"points": "10"}).status_code == 403
    assert superuser_client.post(f"{ENTRIES}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert f"{entry.points:.2f}" == "4.00" and Entry.objects.count() == 1


def test_chain_heads_page_shows_the_frameworks(superuser_client, entry):
    page = superuser_client.get(HEADS)
    assert page.status_code == 200
    text = page.content.decode()
    assert "learning-citizen-2021-2030" in text and "Công dân học tập" in text
    assert "Uses ICT and smart devices for work and life" in text


def test_learners_without_staff_status_are_sent_to_the_login(client, entry):
    client.force_login(get_user_model().objects.create_user("learner", "l@example.org", "x"))
    assert client.get(ENTRIES).status_code == 302
