"""The assessment speaks Vietnamese and English: its catalogue is complete, and views follow the request's language."""
import ast
import gettext
from pathlib import Path

import pytest
from django.utils import translation

from xblocks.criteria.item_banks import get_item_bank

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "xblocks" / "skills_assessment"
MARKERS = {"_": 1, "N_": 1, "gettext": 1, "gettext_lazy": 1, "ngettext": 2}


def marked_messages():
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name in MARKERS and node.args and all(
                    isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in node.args[:MARKERS[name]]):
                yield path.name, tuple(arg.value for arg in node.args[:MARKERS[name]])


def catalogue(language):
    with (PACKAGE / "translations" / language / "LC_MESSAGES" / "text.mo").open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_every_message_has_a_vietnamese_translation():
    vi = catalogue("vi")
    found = list(marked_messages())
    assert len(found) > 100
    untranslated = []
    for path, message in found:
        translated = vi.gettext(message[0]) if len(message) == 1 else vi.ngettext(message[0], message[1], 2)
        if translated in message:
            untranslated.append(f"{path}: {message[0]!r}")
    assert not untranslated, "translate in translations/vi/LC_MESSAGES/text.po:\n" + "\n".join(untranslated)


def test_templates_hold_no_text_of_their_own():
    """Every visible word comes from Python (translated there); templates only place it."""
    for template in (PACKAGE / "templates").glob("*.html"):
        text = template.read_text("utf-8")
        for tag in ("{% trans", "{% blocktrans", "{% translate"):
            assert tag not in text, template.name


@pytest.mark.database
@pytest.mark.django_db
def test_the_learner_sees_vietnamese(assess, clock):
    usage = assess.load()
    with translation.override("vi"):
        intro = assess.view(usage)
        form = assess.start(usage)["html"]
        _status, results = assess.submit(usage)
    assert "Bắt đầu làm bài" in intro and "24 câu hỏi." in intro and "Thời gian làm bài: 30 phút." in intro
    bank = get_item_bank("learning-citizen-digital-skills")
    first_item = assess.block(usage).attempts[0]["item_scores"]
    assert any(bank.item(item_id).prompt["vi"] in form for item_id in first_item)
    assert "Nộp bài" in form and "Khai thác dữ liệu và thông tin" in form
    assert "Kết quả của bạn" in results["html"] and "Bậc 6" in results["html"] and "Có kỹ năng số" in results["html"]
    assert "Nâng cao" in results["html"]                                # the tier's Vietnamese title


@pytest.mark.database
@pytest.mark.django_db
def test_the_studio_editor_speaks_vietnamese(assess):
    with translation.override("vi"):
        html = assess.view(assess.load(), "author", view="studio_view")
    assert "Ma trận đề" in html and "Ngân hàng câu hỏi" in html and "Thời gian làm bài (phút)" in html
