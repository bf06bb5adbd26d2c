"""The assessment speaks Vietnamese and English: its catalogue is complete, and views follow the request's language."""
import pytest
from django.utils import translation

from tests.translations import ROOT, marked_messages, python_files, untranslated, xblock_catalogue
from xblocks.criteria.item_banks import get_item_bank

PACKAGE = ROOT / "xblocks" / "skills_assessment"
MARKERS = {"_", "N_", "gettext", "gettext_lazy", "ngettext"}


def test_every_message_has_a_vietnamese_translation():
    found = list(marked_messages(python_files("xblocks/skills_assessment"), MARKERS))
    assert len(found) > 100
    missing = untranslated(found, xblock_catalogue("vi"))
    assert not missing, "translate in xblocks/translations/vi/LC_MESSAGES/text.po:\n" + "\n".join(missing)


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
