"""Every message the ledger and the criteria core can show has a Vietnamese translation."""
import ast
import gettext
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("xblocks/criteria/*.py"), *ROOT.glob("xblocks/ledger/**/*.py"), ROOT / "xblocks/cli.py"])
MARKERS = {"_", "N_", "gettext", "gettext_lazy"}
CATALOGUE = ROOT / "xblocks/ledger/locale/vi/LC_MESSAGES/django.mo"


def marked_messages():
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                yield path.relative_to(ROOT), node.args[0].value


def test_sources_are_found():
    assert len(list(marked_messages())) > 50


def test_every_marked_message_is_translated_to_vietnamese():
    with CATALOGUE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    untranslated = [f"{path}: {message!r}" for path, message in marked_messages() if catalogue.gettext(message) == message]
    assert not untranslated, "run `make translations` and translate:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("language, expected", [("vi", "không có bộ tiêu chí nope"), ("en", "unknown criteria framework nope")])
def test_problems_render_in_the_active_language(language, expected):
    from xblocks.criteria.frameworks import get_framework  # pylint: disable=import-outside-toplevel
    from xblocks.criteria.problems import InvalidInput  # pylint: disable=import-outside-toplevel
    with translation.override(language), pytest.raises(InvalidInput) as caught:
        get_framework("nope")
    with translation.override(language):
        assert expected in caught.value.render(translation.gettext)
