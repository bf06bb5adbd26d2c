"""Every message of the standing block and the credentials has a Vietnamese translation."""
import ast
import gettext
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "xblocks/standing"
MARKERS = {"_", "N_", "gettext", "gettext_lazy", "ngettext", "translate"}
# The block's page strings live in the XBlock catalogue (translations/<lang>/LC_MESSAGES/text.po,
# what the LMS's i18n service and OEP-58 read); the Django app's in locale/<lang>/LC_MESSAGES/django.po.
BLOCK_MODULES = {"block.py", "presentation.py"}
CATALOGUES = {
    "text": PACKAGE / "translations/vi/LC_MESSAGES/text.mo",
    "django": PACKAGE / "locale/vi/LC_MESSAGES/django.mo",
}


def marked_messages():
    for path in sorted(PACKAGE.glob("*.py")):
        domain = "text" if path.name in BLOCK_MODULES else "django"
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute))
                    and getattr(node.func, "id", getattr(node.func, "attr", None)) in MARKERS
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                yield domain, path.name, node.args[0].value
                if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                    yield domain, path.name, node.args[1].value  # ngettext's plural


def test_sources_are_found():
    assert len({message for _, _, message in marked_messages()}) > 30


@pytest.mark.parametrize("domain", sorted(CATALOGUES))
def test_every_marked_message_is_translated_to_vietnamese(domain):
    assert CATALOGUES[domain].exists(), f"no {domain} catalogue: run `make compile-translations`"
    with CATALOGUES[domain].open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    messages = catalogue._catalog  # pylint: disable=protected-access
    untranslated = [f"{name}: {message!r}" for found, name, message in marked_messages()
                    if found == domain and not (messages.get(message) or messages.get((message, 0)))]
    assert not untranslated, "translate in the .po and run `make compile-translations`:\n" + "\n".join(untranslated)
