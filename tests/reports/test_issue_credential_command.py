"""`learning-citizen issue-credential --learner … --period … [-o FILE]`: the signed credential to hand over."""
import pytest

from tests.commands import run
from tests.credentials.conftest import BASE_URL, recognise
from xblocks.credentials.keys import generate_key_file
from xblocks.credentials.models import IssuedCredential

pytestmark = [pytest.mark.database, pytest.mark.django_db, pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]


@pytest.fixture
def signing_key(tmp_path, settings):
    settings.LEARNING_CITIZEN_CREDENTIALS = {"SIGNING_KEY_PATH": str(generate_key_file(tmp_path / "issuer.pem")),
                                             "BASE_URL": BASE_URL}


def test_the_written_credential_verifies(signing_key, tmp_path):
    recognise(701)
    path = tmp_path / "credential.jwt"
    code, out, err = run("issue-credential", "--learner", "701", "--period", "2026", "-o", str(path))
    assert code == 0, err
    issued = IssuedCredential.objects.get(user_id=701, period="2026")
    assert path.read_text().strip() == issued.token and f"Credential {issued.id} for learner 701, 2026" in err
    code, out, err = run("verify-credential", str(path), "--offline")
    assert code == 0, err
    assert "Signature valid" in out and str(issued.id) in out
    # Asked again from the same entries, the same credential (as the standing block's download).
    code, out, _err = run("issue-credential", "--learner", "701", "--period", "2026")
    assert code == 0 and out.strip() == issued.token and IssuedCredential.objects.count() == 1


def test_a_learner_not_recognised_gets_none(signing_key, tmp_path):
    recognise(702, period="2025")
    path = tmp_path / "none.jwt"
    code, out, err = run("issue-credential", "--learner", "702", "--period", "2026", "-o", str(path))
    assert code == 1 and out == "" and "Learner 702 is not recognised for 2026: there is no credential to issue." in err
    assert not path.exists() and not IssuedCredential.objects.exists()


def test_no_signing_key_configured(settings, tmp_path):
    settings.LEARNING_CITIZEN_CREDENTIALS = {"BASE_URL": BASE_URL, "GENERATE_KEY": False}
    recognise(703)
    code, out, err = run("issue-credential", "--learner", "703", "--period", "2026")
    assert code == 1 and out == "" and "No credential was issued; this site cannot sign one yet:" in err
    assert "no signing key is configured" in err and not IssuedCredential.objects.exists()


def test_a_bad_period_is_refused(signing_key):
    code, _out, err = run("issue-credential", "--learner", "1", "--period", "soon")
    assert code == 1 and "Traceback" not in err and not IssuedCredential.objects.exists()
