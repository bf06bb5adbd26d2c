"""Every message of the standing block has a Vietnamese translation (the credentials app's: tests/credentials)."""
from tests.translations import XBLOCK_CATALOGUES, load, marked_messages, python_files, untranslated

MARKERS = {"_", "N_", "gettext", "gettext_lazy", "ngettext", "translate"}
# The block's page strings live in the suite's XBlock catalogue (xblocks/translations/<lang>/LC_MESSAGES/text.po,
# what the LMS's i18n service reads).
SOURCES = python_files("xblocks/standing")
CATALOGUE = XBLOCK_CATALOGUES / "vi/LC_MESSAGES/text.mo"


def test_sources_are_found():
    assert len({message.msgid for message in marked_messages(SOURCES, MARKERS)}) > 30


def test_every_marked_message_is_translated_to_vietnamese():
    assert CATALOGUE.exists(), "no text catalogue: run `make compile-translations`"
    missing = untranslated(marked_messages(SOURCES, MARKERS), load(CATALOGUE))
    assert not missing, "translate in the .po and run `make compile-translations`:\n" + "\n".join(missing)
