"""The standing block over HTTP in the workbench: who may see what, the figures, the credential download."""
import json

import pytest

from xblocks.ledger import api
from xblocks.credentials import credentials

from .conftest import give_credit, recognise

pytestmark = [pytest.mark.database, pytest.mark.django_db, pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]
USAGE = "learning-citizen-standing.learning-citizen-standing.d0.u0"


def post(client, student, payload, language="en"):
    return client.post(f"/handler/{USAGE}/standing/?student={student}", json.dumps(payload),
                       content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)


def test_a_recognised_learner_sees_figures_credit_and_the_download(page, signing_key_path):
    recognise(701)
    html = page("701")
    assert "Your standing in 2026" in html and "Recognised as a Learning Citizen for 2026." in html
    assert "85 of 100 points; 80 needed." in html
    # Each figure is in the table (wide columns) and in the cards (narrow ones); CSS shows one of them.
    assert html.count("minimum reached") == 20 and "8.5/10" in html
    assert html.count("Declaration with evidence") == 0 and html.count("Course content completed") == 10
    assert "Verified by the platform" in html
    assert "course-v1:" not in html and "urn:uuid:" not in html  # no key is a name
    assert "What would close the gap" not in html  # recognised: nothing to close
    assert f"/handler/{USAGE}/credential/?student=701&amp;period=2026" in html
    assert 'role="img"' in html and "indicator 1: 8.5 of 10, minimum 5" in html


def test_shortfalls_are_named_in_vietnamese_with_decimal_commas(page):
    give_credit(702, {"1": 7.5, "2": 3})
    html = page("702", "vi")
    assert "Chưa được công nhận năm 2026." in html
    assert "Tổng điểm còn thiếu 69,5 điểm." in html and "còn thiếu 2" in html
    assert "Dưới mức tối thiểu ở các chỉ số:" in html and "Cách bù phần còn thiếu" in html
    assert 'href="#lc-standing-' in html and "-next-2\">2. " in html
    assert "Tải chứng nhận" not in html


def test_a_learner_cannot_look_up_someone_else(client, page):
    recognise(703)
    page("704")
    response = post(client, "704", {"learner": "703"})
    assert response.status_code == 403 and "only see your own standing" in response.json()["error"]
    assert '<form class="lc-standing__lookup"' not in page("704")


def test_staff_can_look_up_a_learner(client, page):
    recognise(705)
    assert '<form class="lc-standing__lookup"' in page("staff")
    response = post(client, "staff", {"learner": "705", "period": "2026"})
    assert response.status_code == 200
    html = response.json()["html"]
    assert "Standing of learner 705 in 2026" in html and "85 of 100 points" in html
    assert "credential" not in html.split("lc-standing__heading")[1].split("Points per indicator")[0]  # no download for someone else


def test_periods_with_credit_can_be_chosen(client, page):
    give_credit(706, {"1": 4}, period="2025")
    give_credit(706, {"1": 6}, period="2026")
    html = page("706")
    assert '<option value="2026" selected>' in html and '<option value="2025">' in html
    html = post(client, "706", {"period": "2025"}).json()["html"]
    assert "Your standing in 2025" in html and "4 of 100 points" in html
    html = post(client, "706", {"period": "1999"}).json()["html"]  # not a period of this learner: the newest
    assert "Your standing in 2026" in html


def test_reversals_are_shown_and_counted(page):
    entries = give_credit(707, {"1": 6, "2": 5})
    api.reverse(entries[0], reason="entered twice")
    html = page("707")
    assert "−6 points (taken back: entered twice)" in html and "reversal of entry" not in html
    assert "5 of 100 points" in html


def test_the_credential_downloads_and_verifies(client, page, signing_key_path):
    recognise(708)
    page("708")
    response = client.get(f"/handler/{USAGE}/credential/?student=708&period=2026")
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"
    assert 'filename="learning-citizen-2026.jwt"' in response["Content-Disposition"]
    report = credentials.verify(response.content.decode())
    assert report.valid and report.revoked is False and report.period == "2026"
    give_credit(709, {"1": 9})
    assert client.get(f"/handler/{USAGE}/credential/?student=709&period=2026").status_code == 409


def test_without_a_signing_key_the_download_says_so(client, page, settings):
    settings.LEARNING_CITIZEN_CREDENTIALS = {"SIGNING_KEY_PATH": None}
    recognise(710)
    page("710")
    response = client.get(f"/handler/{USAGE}/credential/?student=710&period=2026", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503 and b"no signing key" in response.content


def test_public_documents_are_served(client, signing_key_path):
    recognise(711)
    issued = credentials.issue(711, "2026")
    assert client.get("/learning-citizen/credentials/issuer").json()["type"] == ["Profile"]
    jwk = client.get(f"/learning-citizen/credentials/keys/{issued.key_id}").json()
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and "d" not in jwk
    assert client.get("/learning-citizen/credentials/keys/nope").status_code == 404
    status = client.get(f"/learning-citizen/credentials/status/{issued.status_list_id}")
    assert status.status_code == 200 and status["Content-Type"] == "application/vc+jwt"
    framework = client.get("/learning-citizen/credentials/frameworks/learning-citizen-2021-2030/1.0.0").json()
    assert framework["recognition"]["min_total"] == 80
    achievement = client.get("/learning-citizen/credentials/achievements/learning-citizen-2021-2030/1.0.0/2026?lang=en").json()
    assert achievement["name"] == "Learning Citizen 2026"
