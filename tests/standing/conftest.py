"""The standing block's tests use the credentials' fixtures: a signing key, and learners with credit."""
import pytest

from tests.credentials.conftest import BASE_URL, give_credit, recognise, signing_key_path  # noqa: F401  pylint: disable=unused-import


@pytest.fixture(autouse=True)
def fresh_cache():
    """The ledger's sources of credit are cached (per process, in memory): each test starts without them."""
    from django.core.cache import cache  # pylint: disable=import-outside-toplevel
    cache.clear()


@pytest.fixture
def page(client):
    """``page(student, language)``: the workbench's standing scenario as that learner sees it (its HTML)."""
    from workbench.runtime_util import reset_global_state  # pylint: disable=import-outside-toplevel
    reset_global_state()

    def get(student, language="en"):
        response = client.get(f"/scenario/learning-citizen-standing.0/?student={student}", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        return response.content.decode()
    return get
