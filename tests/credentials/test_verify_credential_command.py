"""`learning-citizen verify-credential FILE`: exit 0 valid, 2 not valid, 3 revoked, 4 status unknown."""
import json

import pytest

from tests.commands import run
from xblocks.ledger import api
from xblocks.credentials import credentials
from xblocks.credentials.keys import generate_key_file

from .conftest import recognise, verified_elsewhere

pytestmark = [pytest.mark.database, pytest.mark.django_db, pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]


@pytest.fixture
def credential_file(signing_key_path, tmp_path):
    entries = recognise(601)
    issued = credentials.issue(601, "2026")
    path = tmp_path / "credential.jwt"
    path.write_text(issued.token)
    return path, issued, entries


def test_a_valid_credential(credential_file):
    path, issued, _ = credential_file
    code, out, err = run("verify-credential", str(path))
    assert code == 0, err
    assert "Signature valid" in out and "one of this site's keys" in out
    assert "Status: not revoked" in out and str(issued.id) in out


def test_a_changed_credential(credential_file, tmp_path):
    path, _, _ = credential_file
    token = path.read_text()
    header, payload, signature = token.split(".")
    middle = len(payload) // 2
    changed = tmp_path / "changed.jwt"
    changed.write_text(".".join([header, payload[:middle] + ("A" if payload[middle] != "A" else "B") + payload[middle + 1:], signature]))
    code, _, err = run("verify-credential", str(changed))
    assert code == 2 and "NOT valid" in err


def test_a_revoked_credential(credential_file, django_capture_on_commit_callbacks):
    path, _, entries = credential_file
    with django_capture_on_commit_callbacks(execute=True):
        api.reverse(entries[3], reason="evidence withdrawn")
    code, out, err = run("verify-credential", str(path), "--json")
    assert code == 3 and "revoked" in err
    report = json.loads(out)
    assert report["valid"] is True and report["revoked"] is True


def test_a_status_list_given_as_a_file(credential_file, tmp_path, settings):
    path, issued, _ = credential_file
    status_file = tmp_path / "status.jwt"
    status_file.write_text(credentials.status_list_token(issued.status_list))
    code, out, _ = run("verify-credential", str(path), "--status-list", str(status_file))
    assert code == 0 and "Status: not revoked (given:" in out


def test_a_foreign_key_offline(credential_file, tmp_path, settings):
    path, _, _ = credential_file
    other = generate_key_file(tmp_path / "other.pem")
    code, _, err = run("verify-credential", str(path), "--issuer-key", str(other))
    assert code == 2 and "not signed with the key given" in err
    settings.LEARNING_CITIZEN_CREDENTIALS = {**settings.LEARNING_CITIZEN_CREDENTIALS, "SIGNING_KEY_PATH": str(other)}
    code, _, err = run("verify-credential", str(path), "--offline")
    assert code == 2 and "not one of this site's keys" in err


def test_status_unknown_offline(credential_file, tmp_path, settings):
    path, _, _ = credential_file
    signing = settings.LEARNING_CITIZEN_CREDENTIALS["SIGNING_KEY_PATH"]
    settings.LEARNING_CITIZEN_CREDENTIALS = {**settings.LEARNING_CITIZEN_CREDENTIALS, "BASE_URL": "https://other.example.vn"}
    code, out, err = run("verify-credential", str(path), "--offline", "--issuer-key", signing)
    assert code == 4 and "the key given" in out and "is not on this site" in err


def test_not_a_credential(tmp_path, signing_key_path):
    junk = tmp_path / "junk.jwt"
    junk.write_text("hello")
    code, _, err = run("verify-credential", str(junk))
    assert code == 2 and "not a VC-JWT" in err
    code, _, err = run("verify-credential", str(tmp_path / "missing.jwt"))
    assert code == 1 and "Cannot read" in err


@pytest.mark.django_db(transaction=True)
def test_a_verifier_elsewhere_fetches_the_published_key_and_status_list(signing_key_path, live_server, settings, monkeypatch):
    """Another site knows none of our keys or lists: it fetches both from the issuer's own URLs."""
    report = verified_elsewhere(602, live_server, settings, monkeypatch)
    assert report.valid and report.key_source == "published", report.problems
    assert report.revoked is False and report.status_source.startswith("published: ")
