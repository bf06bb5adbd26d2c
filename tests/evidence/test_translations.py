"""Every message the evidence block can show has a Vietnamese translation in the suite's XBlock catalogue."""
import re

import pytest

from tests.translations import marked_messages, python_files, untranslated, xblock_catalogue

# Models and admin labels are Django's (admin pages), not the block's.
SOURCES = python_files("xblocks/evidence", leave_out=("models.py", "admin.py", "apps.py"))
MARKERS = {"_", "N_", "gettext"}


def test_sources_are_found():
    assert len(list(marked_messages(SOURCES, MARKERS))) > 100


def test_every_marked_message_is_translated_to_vietnamese():
    same_in_both = {"{size} KB"}  # a unit symbol reads the same in Vietnamese
    missing = untranslated(marked_messages(SOURCES, MARKERS), xblock_catalogue("vi"), same_in_both)
    assert not missing, "extract, translate and compile xblocks/translations:\n" + "\n".join(missing)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_translations_keep_every_placeholder(language):
    translations = xblock_catalogue(language)
    for message in marked_messages(SOURCES, MARKERS):
        assert set(re.findall(r"\{\w+\}", translations.gettext(message.msgid))) == set(re.findall(r"\{\w+\}", message.msgid)), message
