"""Every message the evidence block can show has a Vietnamese translation in its own catalogue."""
import ast
import gettext
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "xblocks" / "evidence"
# Models and admin labels are Django's (admin pages), not the block's.
SOURCES = sorted(path for path in PACKAGE.glob("*.py") if path.name not in ("models.py", "admin.py", "apps.py"))
MARKERS = {"_", "N_", "gettext"}


def marked_messages():
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                yield path.name, node.args[0].value


def catalogue(language):
    with (PACKAGE / "translations" / language / "LC_MESSAGES" / "text.mo").open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_sources_are_found():
    assert len(list(marked_messages())) > 100


def test_every_marked_message_is_translated_to_vietnamese():
    vietnamese = catalogue("vi")
    same_in_both = {"{size} KB"}  # a unit symbol reads the same in Vietnamese
    untranslated = [f"{name}: {message!r}" for name, message in marked_messages()
                    if vietnamese.gettext(message) == message and message not in same_in_both]
    assert not untranslated, "extract, translate and compile xblocks/evidence/translations:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_translations_keep_every_placeholder(language):
    import re  # pylint: disable=import-outside-toplevel
    translations = catalogue(language)
    for _, message in marked_messages():
        assert set(re.findall(r"\{\w+\}", translations.gettext(message))) == set(re.findall(r"\{\w+\}", message)), message
