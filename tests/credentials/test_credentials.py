"""
Credentials: issued only when recognised, verifiable by an independent JOSE library, broken by
any changed byte, and revoked when a reversal takes the learner below the threshold.
"""
import base64
import json

import pytest
from cryptography.hazmat.primitives import serialization
from joserfc import jwt as jose_jwt
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from xblocks.ledger import api
from xblocks.credentials import credentials, statuslist
from xblocks.credentials.keys import load_key_file
from xblocks.credentials.models import IssuedCredential

from .conftest import BASE_URL, give_credit, recognise

pytestmark = [pytest.mark.database, pytest.mark.django_db, pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]


def independent_key(pem_path):
    """The issuer's public key as joserfc reads it, from the PEM alone (no code of ours)."""
    private = serialization.load_pem_private_key(pem_path.read_bytes(), password=None)
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return OKPKey.import_key(public_pem)


def independent_decode(token, pem_path):
    return jose_jwt.decode(token, independent_key(pem_path), algorithms=["EdDSA"])


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_credential_verifies_with_an_independent_library(signing_key_path):
    entries = recognise(501)
    issued = credentials.issue(501, "2026", subject_name="Nguyễn Văn An")
    token = independent_decode(issued.token, signing_key_path)
    assert token.header["alg"] == "EdDSA" and token.header["kid"].startswith(f"{BASE_URL}/learning-citizen/credentials/keys/")
    claims = token.claims
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert claims["iss"] == claims["issuer"]["id"] == f"{BASE_URL}/learning-citizen/credentials/issuer"
    assert claims["jti"] == claims["id"] == f"urn:uuid:{issued.id}"
    subject = claims["credentialSubject"]
    assert subject["creditsEarned"] == 85.0 and subject["term"] == "2026"
    assert subject["identifier"][0] == {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": "Nguyễn Văn An"}
    achievement = subject["achievement"]
    assert achievement["creditsAvailable"] == 100.0
    assert achievement["alignment"][0]["targetType"] == "ext:CriteriaFramework"
    assert [a["targetCode"] for a in achievement["alignment"][1:]] == [str(code) for code in range(1, 11)]
    values = {result["resultDescription"].rsplit("#", 1)[1]: result["value"] for result in subject["result"]}
    assert values == {**{f"indicator-{code}": "8.5" for code in range(1, 11)}, "total": "85"}
    assert [item["id"] for item in claims["evidence"]] == [f"urn:uuid:{entry.event_id}" for entry in entries]
    assert entries[0].entry_hash in claims["evidence"][0]["description"]
    assert claims["credentialStatus"]["type"] == "BitstringStatusListEntry"


def changed_payload(token, old, new):
    header, payload, signature = token.split(".")
    text = unb64(payload).decode()
    assert old in text
    return ".".join([header, b64(text.replace(old, new, 1).encode()), signature])


def flipped_signature_byte(token, position=10):
    header, payload, signature = token.split(".")
    raw = bytearray(unb64(signature))
    raw[position] ^= 0x01
    return ".".join([header, payload, b64(bytes(raw))])


@pytest.mark.parametrize("tamper", [
    lambda token: changed_payload(token, '"creditsEarned":85.0', '"creditsEarned":95.0'),
    lambda token: changed_payload(token, '"term":"2026"', '"term":"2027"'),
    flipped_signature_byte,
], ids=["credits", "period", "signature"])
def test_one_changed_byte_fails_verification(signing_key_path, tamper):
    recognise(502)
    token = credentials.issue(502, "2026").token
    changed = tamper(token)
    assert sum(a != b for a, b in zip(unb64(changed.split(".")[1]), unb64(token.split(".")[1]))) <= 1
    with pytest.raises(JoseError):
        independent_decode(changed, signing_key_path)
    report = credentials.verify(changed)
    assert not report.valid
    assert "signature does not match" in str(report.problems[0])
    assert credentials.verify(token).valid


def test_no_credential_without_recognition(signing_key_path):
    give_credit(503, {str(code): 9 for code in range(1, 10)})  # 81 points but indicator 10 has nothing
    with pytest.raises(credentials.NotRecognised):
        credentials.issue(503, "2026")
    assert not IssuedCredential.objects.exists()


def test_same_entries_same_credential_new_credit_new_credential(signing_key_path):
    recognise(504)
    first = credentials.issue(504, "2026")
    assert credentials.issue(504, "2026").pk == first.pk
    give_credit(504, {"5": 1})
    second = credentials.issue(504, "2026")
    assert second.pk != first.pk and second.total == first.total + 1
    assert second.status_index != first.status_index or second.status_list_id != first.status_list_id


def test_verify_reports_the_credential_and_its_status(signing_key_path):
    recognise(505)
    issued = credentials.issue(505, "2026")
    report = credentials.verify(issued.token)
    assert report.valid and report.revoked is False, report.problems
    assert report.key_source == "configured" and report.period == "2026" and report.total == "85.0"
    assert report.status_source.startswith("local: ")


def test_a_reversal_below_the_threshold_revokes(signing_key_path, django_capture_on_commit_callbacks):
    entries = recognise(506)
    issued = credentials.issue(506, "2026")
    with django_capture_on_commit_callbacks(execute=True):
        api.reverse(entries[0], reason="duplicate of another declaration")  # 85 - 8.5 = 76.5 < 80
    issued.refresh_from_db()
    assert issued.revoked and "duplicate of another declaration" in issued.revocation_reason
    report = credentials.verify(issued.token)
    assert report.valid and report.revoked is True
    # The published list says so too, and an independent library accepts the list's signature.
    list_token = credentials.status_list_token(issued.status_list)
    subject = independent_decode(list_token, signing_key_path).claims["credentialSubject"]
    assert statuslist.bit_is_set(statuslist.decode(subject["encodedList"]), issued.status_index)


def test_a_reversal_that_keeps_the_title_revokes_nothing(signing_key_path, django_capture_on_commit_callbacks):
    entries = recognise(507, points=9)  # 90 points
    extra = give_credit(507, {"1": 1})[0]
    issued = credentials.issue(507, "2026")
    with django_capture_on_commit_callbacks(execute=True):
        api.reverse(extra, reason="entered twice")
    issued.refresh_from_db()
    assert not issued.revoked
    assert credentials.verify(issued.token).revoked is False
    assert entries  # the learner still stands at 90


def test_a_key_from_elsewhere_is_not_trusted(signing_key_path, tmp_path, settings):
    recognise(508)
    token = credentials.issue(508, "2026").token
    settings.LEARNING_CITIZEN_CREDENTIALS = {**settings.LEARNING_CITIZEN_CREDENTIALS,
                                             "SIGNING_KEY_PATH": str(tmp_path / "new.pem"), "GENERATE_KEY": True}
    report = credentials.verify(token, fetch=False)
    assert not report.valid and "not one of this site's keys" in str(report.problems[0])
    # After a key rotation the old key stays trusted when listed.
    settings.LEARNING_CITIZEN_CREDENTIALS = {**settings.LEARNING_CITIZEN_CREDENTIALS, "TRUSTED_KEY_PATHS": [str(signing_key_path)]}
    assert credentials.verify(token, fetch=False).valid
    # A key given explicitly must be the one that signed.
    report = credentials.verify(token, issuer_key_paths=[str(tmp_path / "new.pem")])
    assert not report.valid and "not signed with the key given" in str(report.problems[0])


def test_status_list_encoding_round_trip():
    encoded = statuslist.encode([0, 7, 131071], 131072)
    bits = statuslist.decode(encoded)
    assert len(bits) == 16384 and encoded.startswith("u")
    assert [statuslist.bit_is_set(bits, i) for i in (0, 1, 7, 8, 131071)] == [True, False, True, False, True]
    assert bits[0] == 0b10000001


def test_key_file_problems(tmp_path):
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    with pytest.raises(Exception, match="not an unencrypted Ed25519 or RSA key"):
        load_key_file(bad)
    with pytest.raises(Exception, match="cannot read the key file"):
        load_key_file(tmp_path / "missing.pem")


def test_documents_parse_as_json(signing_key_path):
    recognise(509)
    payload = json.loads(unb64(credentials.issue(509, "2026").token.split(".")[1]))
    assert payload["credentialSchema"][0]["type"] == "1EdTechJsonSchemaValidator2019"


def test_the_jwt_subject_is_the_credential_subject_id_and_hides_the_user_id(signing_key_path, settings):
    """VC Data Model 1.1 §6.3.1 (JWT encoding): ``sub`` carries ``credentialSubject.id``."""
    recognise(7301)
    recognise(7302)
    first = independent_decode(credentials.issue(7301, "2026").token, signing_key_path).claims
    other = independent_decode(credentials.issue(7302, "2026").token, signing_key_path).claims
    assert first["sub"] == first["credentialSubject"]["id"] and first["sub"].startswith("urn:uuid:")
    assert "7301" not in first["sub"] and "anon-7301" not in first["sub"]
    assert other["sub"] != first["sub"]
    # The same learner keeps the same id in a later credential (another period).
    recognise(7301, period="2027")
    later = independent_decode(credentials.issue(7301, "2027").token, signing_key_path).claims
    assert later["sub"] == first["sub"]
