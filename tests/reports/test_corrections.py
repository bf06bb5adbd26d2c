"""
Corrections by an administrator: `learning-citizen reverse ENTRY_ID --reason …` and the admin's
"Reverse selected entries", both through withdraw_credit → api.reverse.
"""
import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from tests.commands import run
from tests.factories import credit_event
from xblocks.ledger import api
from xblocks.ledger.models import Entry

pytestmark = [pytest.mark.database, pytest.mark.django_db]

CHANGELIST = "/admin/learning_citizen_ledger/entry/"
REVERSE = "learning_citizen_reports.reverse_entry"


def recorded(user_id=41, indicator="1", points=4.5, key=None):
    event = credit_event(idempotency_key=key or f"correction-test:{user_id}:{indicator}",
                         learner={"user_id": user_id, "anonymous_id": f"anon-{user_id}"},
                         indicator=indicator, points=points, period="2026")
    return api.append(event).entry


# --- the command --------------------------------------------------------------------------------

def test_reverse_appends_the_opposite_with_the_reason_and_the_ledger_stays_intact():
    entry = recorded()
    code, out, err = run("reverse", str(entry.pk), "--reason", "  wrong learner  ")
    assert code == 0, err
    reversal = Entry.objects.get(reverses=entry)
    assert f"Entry {entry.pk} reversed by entry {reversal.pk}" in out
    assert reversal.kind == Entry.Kind.REVERSAL and reversal.points == -entry.points and reversal.reason == "wrong learner"
    assert api.standing(41, "2026").total == 0
    code, out, err = run("verify")
    assert code == 0 and "Ledger intact: 2 entries verified." in out, err


def test_a_second_reverse_says_so_and_appends_nothing():
    entry = recorded()
    assert run("reverse", str(entry.pk), "--reason", "duplicate")[0] == 0
    count = Entry.objects.count()
    code, out, err = run("reverse", str(entry.pk), "--reason", "again")
    reversal = Entry.objects.get(reverses=entry)
    assert code == 1 and out == ""
    assert f"Entry {entry.pk} is already reversed by entry {reversal.pk}; nothing was appended." in err
    assert Entry.objects.count() == count and reversal.reason == "duplicate"


@pytest.mark.parametrize("case, message", [
    ("unknown", "There is no ledger entry 999999; nothing was reversed."),
    ("reversal", "is itself a reversal and cannot be reversed"),
    ("empty reason", "a reversal needs a reason"),
])
def test_refusals_are_clear_and_change_nothing(case, message):
    entry = recorded()
    reversal = api.reverse(entry, reason="first").entry
    other = recorded(user_id=42)
    target, reason = {"unknown": (999999, "x"), "reversal": (reversal.pk, "x"), "empty reason": (other.pk, "   ")}[case]
    count = Entry.objects.count()
    code, out, err = run("reverse", str(target), "--reason", reason)
    assert code == 1 and out == "" and message in err
    assert "Traceback" not in err
    assert Entry.objects.count() == count


def test_refusals_speak_vietnamese(monkeypatch):
    monkeypatch.setenv("LEARNING_CITIZEN_LANGUAGE", "vi")
    code, _out, err = run("reverse", "999999", "--reason", "x")
    assert code == 1 and "Không có bút toán 999999" in err


# --- the admin action ---------------------------------------------------------------------------

def staff(name, *permissions, superuser=False):
    person = get_user_model().objects.create_user(name, password="x", is_staff=True, is_superuser=superuser)
    for dotted in ("learning_citizen_ledger.view_entry", *permissions):
        app_label, codename = dotted.split(".")
        person.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return person


@pytest.fixture(autouse=True)
def english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def offered_actions(rf, person):
    request = rf.get(CHANGELIST)
    request.user = person
    return sorted(admin.site._registry[Entry].get_actions(request))  # pylint: disable=protected-access


def test_the_action_is_offered_only_with_the_permission(rf):
    assert "reverse_entries" not in offered_actions(rf, staff("viewer"))
    assert "reverse_entries" in offered_actions(rf, staff("corrector", REVERSE))
    assert "reverse_entries" in offered_actions(rf, staff("root", superuser=True))


def test_reverse_asks_for_a_reason_then_reverses_through_the_one_road(client):
    first, second = recorded(user_id=51), recorded(user_id=52)
    already = recorded(user_id=53)
    api.reverse(already, reason="earlier")
    selected = [str(first.pk), str(second.pk), str(already.pk)]
    client.force_login(staff("corrector", REVERSE))
    page = client.post(CHANGELIST, {"action": "reverse_entries", "_selected_action": selected})
    text = page.content.decode()
    assert page.status_code == 200 and 'name="csrfmiddlewaretoken"' in text and 'name="reason"' in text
    assert "already reversed" in text and all(f"<td>{pk}</td>" in text for pk in selected)
    assert Entry.objects.filter(kind=Entry.Kind.REVERSAL).count() == 1  # the page changed nothing
    # An empty reason is refused on the form, and nothing is appended.
    blank = client.post(CHANGELIST, {"action": "reverse_entries", "_selected_action": selected, "confirm": "yes", "reason": "  "})
    assert blank.status_code == 200 and "This field is required." in blank.content.decode()
    assert Entry.objects.filter(kind=Entry.Kind.REVERSAL).count() == 1
    done = client.post(CHANGELIST, {"action": "reverse_entries", "_selected_action": selected, "confirm": "yes",
                                    "reason": "course withdrawn"}, follow=True)
    text = done.content.decode()
    assert "2 entries reversed." in text and f"Not reversed (a reversal, or already reversed): {already.pk}." in text
    for entry in (first, second):
        assert Entry.objects.get(reverses=entry).reason == "course withdrawn"
    assert Entry.objects.filter(reverses=already).count() == 1
    assert api.verify().intact


def test_the_confirmation_post_needs_the_csrf_token():
    from django.test import Client  # pylint: disable=import-outside-toplevel
    entry = recorded()
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff("corrector", REVERSE))
    response = client.post(CHANGELIST, {"action": "reverse_entries", "_selected_action": [str(entry.pk)],
                                        "confirm": "yes", "reason": "x"})
    assert response.status_code == 403
    assert not Entry.objects.filter(reverses=entry).exists()


def test_a_forged_post_without_the_permission_changes_nothing(client, rf):
    entry = recorded()
    viewer = staff("viewer")
    client.force_login(viewer)
    response = client.post(CHANGELIST, {"action": "reverse_entries", "_selected_action": [str(entry.pk)],
                                        "confirm": "yes", "reason": "forged"})
    assert response.status_code in (200, 302, 403)
    assert not Entry.objects.filter(reverses=entry).exists()
    # The action itself checks again, whatever the admin offered.
    from django.core.exceptions import PermissionDenied  # pylint: disable=import-outside-toplevel
    from xblocks.reports.corrections import reverse_entries  # pylint: disable=import-outside-toplevel
    request = rf.post(CHANGELIST, {"confirm": "yes", "reason": "forged"})
    request.user = viewer
    with pytest.raises(PermissionDenied):
        reverse_entries(admin.site._registry[Entry], request, Entry.objects.all())  # pylint: disable=protected-access
    assert not Entry.objects.filter(reverses=entry).exists()
    # Staff without even the view permission get 403 from the list.
    client.force_login(get_user_model().objects.create_user("stranger", password="x", is_staff=True))
    assert client.get(CHANGELIST).status_code == 403
