"""The standing block's tests use the credentials' fixtures: a signing key, and learners with credit."""
from tests.credentials.conftest import BASE_URL, give_credit, recognise, signing_key_path  # noqa: F401  pylint: disable=unused-import
