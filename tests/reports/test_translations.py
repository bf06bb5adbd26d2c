"""Every message of the reports app, in its Python and its templates, has a Vietnamese translation."""
import ast
import gettext
import re
from pathlib import Path

from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "xblocks/reports"
CATALOGUE = PACKAGE / "locale/vi/LC_MESSAGES/django.mo"
MARKERS = {"_", "N_", "gettext", "gettext_lazy", "ngettext"}
TRANSLATE = re.compile(r'{%\s*translate\s+"([^"]+)"\s*%}')
BLOCK = re.compile(r"{%\s*blocktranslate\b[^%]*%}(.*?){%\s*(?:plural|endblocktranslate)\s*%}", re.S)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


def python_messages():
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                yield path.name, node.args[0].value


def template_messages():
    for path in sorted(PACKAGE.glob("templates/**/*.html")):
        text = path.read_text("utf-8")
        # As makemessages writes them: a literal % doubled, {{ name }} as %(name)s.
        for message in TRANSLATE.findall(text):
            yield path.name, message.replace("%", "%%")
        for body in BLOCK.findall(text):
            yield path.name, VARIABLE.sub(r"%(\1)s", body.replace("%", "%%"))


def test_messages_are_found():
    assert len(list(python_messages())) > 60 and len(list(template_messages())) > 50


def test_every_message_is_translated_to_vietnamese():
    with CATALOGUE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    messages = catalogue._catalog  # pylint: disable=protected-access
    untranslated = [f"{name}: {message!r}" for name, message in [*python_messages(), *template_messages()]
                    if not (messages.get(message) or messages.get((message, 0)))]
    assert not untranslated, "run `make reports-translations`, translate in the .po and compile:\n" + "\n".join(untranslated)


def test_the_reports_catalogue_is_used():
    with translation.override("vi"):
        assert translation.gettext("Title holders") == "Người đạt danh hiệu"
