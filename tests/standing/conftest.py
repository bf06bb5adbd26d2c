"""The standing block's tests use the credentials' fixtures: a signing key, and learners with credit."""
import pytest

from tests.credentials.conftest import BASE_URL, give_credit, recognise, signing_key_path  # noqa: F401  pylint: disable=unused-import


@pytest.fixture(autouse=True)
def fresh_cache():
    """The ledger's sources of credit are cached (per process, in memory): each test starts without them."""
    from django.core.cache import cache  # pylint: disable=import-outside-toplevel
    cache.clear()
