"""Fixtures for the credentials (and the standing block that hands them out): a signing key, and learners with credit."""
from decimal import Decimal

import pytest

from tests.factories import credit_event
from xblocks.ledger import api
from xblocks.credentials import credentials
from xblocks.credentials.keys import generate_key_file

BASE_URL = "https://lms.example.vn"


@pytest.fixture
def signing_key_path(tmp_path, settings):
    """A fresh Ed25519 key configured as this site's signing key."""
    path = generate_key_file(tmp_path / "issuer.pem")
    settings.LEARNING_CITIZEN_CREDENTIALS = {
        "SIGNING_KEY_PATH": str(path),
        "BASE_URL": BASE_URL,
        "ISSUER_NAME": "Hội Khuyến học tỉnh Mẫu",
    }
    return path


def give_credit(user_id, points_by_indicator, period="2026"):
    """Append one credit per indicator; returns the entries."""
    entries = []
    for code, points in points_by_indicator.items():
        event = credit_event(learner={"user_id": user_id, "anonymous_id": f"anon-{user_id}"}, indicator=code,
                             points=float(points), period=period, occurred_at=f"{period}-03-01T08:00:00+07:00")
        entries.append(api.append(event).entry)
    return entries


def recognise(user_id, period="2026", points=Decimal("8.5")):
    """Credit enough for the title: ``points`` in every indicator (8.5 x 10 = 85 >= 80)."""
    return give_credit(user_id, {str(code): points for code in range(1, 11)}, period)


@pytest.fixture
def rsa_signing_key_path(tmp_path, settings):
    """A fresh 3072-bit RSA key configured as this site's signing key, with RS256 chosen."""
    path = generate_key_file(tmp_path / "issuer-rsa.pem", "RS256")
    settings.LEARNING_CITIZEN_CREDENTIALS = {
        "SIGNING_KEY_PATH": str(path),
        "SIGNING_ALGORITHM": "RS256",
        "BASE_URL": BASE_URL,
        "ISSUER_NAME": "Hội Khuyến học tỉnh Mẫu",
    }
    return path


def verified_elsewhere(user_id, live_server, settings, monkeypatch):
    """
    Issue ``user_id``'s 2026 credential on a live issuer and verify it as another site would: that
    site knows none of our keys or status lists and fetches both from the issuer's own URLs.
    """
    settings.LEARNING_CITIZEN_CREDENTIALS = {**settings.LEARNING_CITIZEN_CREDENTIALS, "BASE_URL": live_server.url}
    settings.ROOT_URLCONF = "xblocks.workbench.urls"
    recognise(user_id)
    issued = credentials.issue(user_id, "2026")
    monkeypatch.setattr(credentials, "trusted_keys", dict)
    monkeypatch.setattr(credentials, "_local_status_list", lambda url: None)
    return credentials.verify(issued.token)
