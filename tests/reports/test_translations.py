"""Every message of the reports app, in its Python and its templates, has a Vietnamese translation."""
import re

from django.utils import translation

from tests.translations import ROOT, Message, load, marked_messages, python_files, untranslated

PACKAGE = ROOT / "xblocks/reports"
CATALOGUE = PACKAGE / "locale/vi/LC_MESSAGES/django.mo"
MARKERS = {"_", "N_", "gettext", "gettext_lazy", "ngettext"}
TRANSLATE = re.compile(r'{%\s*translate\s+"([^"]+)"\s*%}')
BLOCK = re.compile(r"{%\s*blocktranslate\b[^%]*%}(.*?){%\s*(?:plural|endblocktranslate)\s*%}", re.S)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


def python_messages():
    return marked_messages(python_files("xblocks/reports"), MARKERS)


def template_messages():
    for path in sorted(PACKAGE.glob("templates/**/*.html")):
        text = path.read_text("utf-8")
        where = path.relative_to(ROOT)
        # As makemessages writes them: a literal % doubled, {{ name }} as %(name)s.
        for message in TRANSLATE.findall(text):
            yield Message(where, message.replace("%", "%%"))
        for body in BLOCK.findall(text):
            yield Message(where, VARIABLE.sub(r"%(\1)s", body.replace("%", "%%")))


def test_messages_are_found():
    assert len(list(python_messages())) > 60 and len(list(template_messages())) > 50


def test_every_message_is_translated_to_vietnamese():
    same_in_both = {"{year}: {target}"}  # a year and a number read the same in Vietnamese
    missing = untranslated([*python_messages(), *template_messages()], load(CATALOGUE), same_in_both)
    assert not missing, "run `make reports-translations`, translate in the .po and compile:\n" + "\n".join(missing)


def test_the_reports_catalogue_is_used():
    with translation.override("vi"):
        assert translation.gettext("Title holders") == "Người đạt danh hiệu"
