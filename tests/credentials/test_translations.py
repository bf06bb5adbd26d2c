"""Every message of the credentials app has a Vietnamese translation, in its Django catalogue."""
import pytest
from django.utils import translation

from tests.translations import ROOT, load, marked_messages, python_files, untranslated

MARKERS = {"_", "N_", "gettext", "gettext_lazy", "ngettext"}
# A Django app's catalogue: xblocks/credentials/locale/<lang>/LC_MESSAGES/django.po (`make credentials-translations`).
SOURCES = python_files("xblocks/credentials")
CATALOGUE = ROOT / "xblocks/credentials/locale/vi/LC_MESSAGES/django.mo"


def test_sources_are_found():
    assert len({message.msgid for message in marked_messages(SOURCES, MARKERS)}) > 30


def test_every_marked_message_is_translated_to_vietnamese():
    assert CATALOGUE.exists(), "no django catalogue: run `make compile-translations`"
    missing = untranslated(marked_messages(SOURCES, MARKERS), load(CATALOGUE))
    assert not missing, "run `make credentials-translations` and translate:\n" + "\n".join(missing)


@pytest.mark.parametrize("language, expected", [("vi", "danh sách trạng thái không phải danh sách thu hồi"),
                                                ("en", "the status list is not a revocation list")])
def test_the_app_catalogue_is_found_where_django_looks(language, expected):
    """INSTALLED_APPS names xblocks.credentials, so Django reads the catalogue that moved with it (no other has this message)."""
    with translation.override(language):
        assert translation.gettext("the status list is not a revocation list") == expected
