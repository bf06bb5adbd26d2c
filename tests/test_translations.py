"""Every message the ledger and the criteria core can show has a Vietnamese translation."""
import pytest
from django.utils import translation

from tests.translations import ROOT, load, marked_messages, untranslated

SOURCES = sorted([*ROOT.glob("xblocks/criteria/*.py"), *ROOT.glob("xblocks/ledger/**/*.py"), ROOT / "xblocks/cli.py"])
MARKERS = {"_", "N_", "gettext", "gettext_lazy"}
CATALOGUE = ROOT / "xblocks/ledger/locale/vi/LC_MESSAGES/django.mo"


def test_sources_are_found():
    assert len(list(marked_messages(SOURCES, MARKERS))) > 50


def test_every_marked_message_is_translated_to_vietnamese():
    missing = untranslated(marked_messages(SOURCES, MARKERS), load(CATALOGUE))
    assert not missing, "run `make translations` and translate:\n" + "\n".join(missing)


@pytest.mark.parametrize("language, expected", [("vi", "không có bộ tiêu chí nope"), ("en", "unknown criteria framework nope")])
def test_problems_render_in_the_active_language(language, expected):
    from xblocks.criteria.frameworks import get_framework  # pylint: disable=import-outside-toplevel
    from xblocks.criteria.problems import InvalidInput  # pylint: disable=import-outside-toplevel
    with translation.override(language), pytest.raises(InvalidInput) as caught:
        get_framework("nope")
    with translation.override(language):
        assert expected in caught.value.render(translation.gettext)
