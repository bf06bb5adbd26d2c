"""
RS256 beside EdDSA: credentials signed with either verify with joserfc (not the signer's PyJWT),
the key each publishes is the JWK joserfc derives from the PEM alone, and `verify-credential` accepts both.
"""
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwt as jose_jwt
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey, RSAKey

from tests.commands import run
from xblocks.credentials import credentials
from xblocks.credentials.keys import load_key_file, signing_key
from xblocks.criteria.problems import InvalidInput

from .conftest import BASE_URL, recognise, verified_elsewhere

pytestmark = [pytest.mark.database, pytest.mark.django_db, pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]

INDEPENDENT = {"EdDSA": OKPKey, "RS256": RSAKey}


def public_pem(pem_path):
    private = serialization.load_pem_private_key(pem_path.read_bytes(), password=None)
    return private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


@pytest.fixture(params=["EdDSA", "RS256"])
def algorithm_and_key(request):
    fixture = "signing_key_path" if request.param == "EdDSA" else "rsa_signing_key_path"
    return request.param, request.getfixturevalue(fixture)


def test_a_credential_verifies_with_joserfc_under_its_algorithm(algorithm_and_key):
    algorithm, pem_path = algorithm_and_key
    recognise(8101)
    issued = credentials.issue(8101, "2026")
    independent = INDEPENDENT[algorithm].import_key(public_pem(pem_path))
    token = jose_jwt.decode(issued.token, independent, algorithms=[algorithm])
    assert token.header["alg"] == algorithm
    assert token.claims["sub"] == token.claims["credentialSubject"]["id"]
    other = "RS256" if algorithm == "EdDSA" else "EdDSA"
    with pytest.raises(JoseError):
        jose_jwt.decode(issued.token, independent, algorithms=[other])


def test_the_published_key_is_the_jwk_joserfc_derives(algorithm_and_key, client, settings):
    algorithm, pem_path = algorithm_and_key
    settings.ROOT_URLCONF = "xblocks.workbench.urls"
    recognise(8102)
    kid = jose_jwt.decode(credentials.issue(8102, "2026").token,
                          INDEPENDENT[algorithm].import_key(public_pem(pem_path)), algorithms=[algorithm]).header["kid"]
    response = client.get(kid[len(BASE_URL):])
    assert response.status_code == 200
    published = json.loads(response.content)
    expected = INDEPENDENT[algorithm].import_key(public_pem(pem_path))
    assert {name: published[name] for name in expected.as_dict()} == expected.as_dict()
    assert published["alg"] == algorithm and published["use"] == "sig"
    assert kid.rsplit("/", 1)[1] == expected.thumbprint()


def test_verify_credential_accepts_both(algorithm_and_key, tmp_path):
    algorithm, _pem = algorithm_and_key
    recognise(8103)
    path = tmp_path / "credential.jwt"
    path.write_text(credentials.issue(8103, "2026").token)
    code, out, err = run("verify-credential", str(path))
    assert code == 0, err
    assert f"Signature valid: {algorithm} key" in out
    code, out, err = run("verify-credential", "--json", str(path))
    assert code == 0 and json.loads(out)["algorithm"] == algorithm


def test_a_changed_rs256_credential_is_refused(rsa_signing_key_path):
    recognise(8104)
    header, payload, signature = credentials.issue(8104, "2026").token.split(".")
    changed = signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")
    report = credentials.verify(f"{header}.{payload}.{changed}", fetch=False)
    assert not report.valid and "signature does not match" in str(report.problems[0])


def test_a_header_naming_the_other_algorithm_is_refused(rsa_signing_key_path):
    """An RSA key never verifies a token whose header claims EdDSA (no algorithm confusion)."""
    import base64
    recognise(8105)
    header, payload, signature = credentials.issue(8105, "2026").token.split(".")
    claimed = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    claimed["alg"] = "EdDSA"
    forged = base64.urlsafe_b64encode(json.dumps(claimed).encode()).rstrip(b"=").decode()
    report = credentials.verify(f"{forged}.{payload}.{signature}", fetch=False)
    assert not report.valid and "is a key for RS256" in str(report.problems[0])


def test_the_demo_generates_an_rsa_key_when_rs256_is_chosen(tmp_path, settings):
    path = tmp_path / "var" / "issuer-rsa.pem"
    key = signing_key({"SIGNING_KEY_PATH": str(path), "GENERATE_KEY": True, "SIGNING_ALGORITHM": "RS256"})
    assert isinstance(key.private_key, rsa.RSAPrivateKey) and key.private_key.key_size == 3072
    assert key.algorithm == "RS256" and (path.stat().st_mode & 0o777) == 0o600


def test_a_key_that_does_not_fit_the_algorithm_is_refused(signing_key_path, tmp_path):
    with pytest.raises(InvalidInput, match="is a key for EdDSA, not for the chosen algorithm RS256"):
        signing_key({"SIGNING_KEY_PATH": str(signing_key_path), "GENERATE_KEY": False, "SIGNING_ALGORITHM": "RS256"})
    with pytest.raises(InvalidInput, match="unknown signing algorithm HS256"):
        signing_key({"SIGNING_KEY_PATH": str(signing_key_path), "GENERATE_KEY": False, "SIGNING_ALGORITHM": "HS256"})
    short = tmp_path / "short.pem"
    short.write_bytes(rsa.generate_private_key(65537, 1024).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with pytest.raises(InvalidInput, match="has 1024 bits; at least 2048"):
        load_key_file(short)


@pytest.mark.django_db(transaction=True)
def test_a_verifier_elsewhere_fetches_a_published_rsa_key(rsa_signing_key_path, live_server, settings, monkeypatch):
    report = verified_elsewhere(8106, live_server, settings, monkeypatch)
    assert report.valid and report.key_source == "published" and report.algorithm == "RS256", report.problems
    assert report.revoked is False
