"""Every message of the standing block and the credentials has a Vietnamese translation."""
import pytest

from tests.translations import XBLOCK_CATALOGUES, ROOT, load, marked_messages, python_files, untranslated

PACKAGE = ROOT / "xblocks/standing"
MARKERS = {"_", "N_", "gettext", "gettext_lazy", "ngettext", "translate"}
# The block's page strings live in the suite's XBlock catalogue (xblocks/translations/<lang>/LC_MESSAGES/text.po,
# what the LMS's i18n service reads); the Django app's in locale/<lang>/LC_MESSAGES/django.po.
BLOCK_MODULES = ("block.py", "presentation.py")
SOURCES = {
    "text": python_files("xblocks/standing", leave_out=[path.name for path in PACKAGE.glob("*.py") if path.name not in BLOCK_MODULES]),
    "django": python_files("xblocks/standing", leave_out=BLOCK_MODULES),
}
CATALOGUES = {
    "text": XBLOCK_CATALOGUES / "vi/LC_MESSAGES/text.mo",
    "django": PACKAGE / "locale/vi/LC_MESSAGES/django.mo",
}


def test_sources_are_found():
    assert len({message.msgid for paths in SOURCES.values() for message in marked_messages(paths, MARKERS)}) > 30


@pytest.mark.parametrize("domain", sorted(CATALOGUES))
def test_every_marked_message_is_translated_to_vietnamese(domain):
    assert CATALOGUES[domain].exists(), f"no {domain} catalogue: run `make compile-translations`"
    missing = untranslated(marked_messages(SOURCES[domain], MARKERS), load(CATALOGUES[domain]))
    assert not missing, "translate in the .po and run `make compile-translations`:\n" + "\n".join(missing)
