"""Every string a learner or author sees from the block (and the workbench stand-ins) exists in Vietnamese."""
import pytest
from django.utils import translation

from tests.translations import ROOT, marked_messages, untranslated, xblock_catalogue

# Both in the suite's one XBlock catalogue (xblocks/translations).
SOURCES = {
    "completion_credit": sorted((ROOT / "xblocks/completion_credit").rglob("*.py")),
    "workbench": [ROOT / "xblocks/workbench/platform_blocks.py", ROOT / "xblocks/workbench/pages.py"],
}
MARKERS = {"_", "N_", "gettext", "ugettext", "ngettext"}


@pytest.mark.parametrize("package", sorted(SOURCES))
def test_every_marked_message_has_a_vietnamese_translation(package):
    messages = list(marked_messages(SOURCES[package], MARKERS))
    assert len(messages) > 5
    missing = untranslated(messages, xblock_catalogue("vi"))
    assert not missing, "run `make xblock-translations` and translate:\n" + "\n".join(missing)


@pytest.mark.database
@pytest.mark.django_db
def test_the_learner_sees_vietnamese_or_english(wb, course):
    block = wb.block_for(course.chapter_credit)
    with translation.override("vi"):
        html = block.render("student_view").body_html()
    assert "Kiểm tra tiến độ của tôi" in html and "Đã hoàn thành 0/5 nội dung" in html
    assert "Sử dụng công nghệ thông tin và thiết bị thông minh" in html  # the indicator's title, from the framework
    with translation.override("en"):
        html = wb.block_for(course.chapter_credit).render("student_view").body_html()
    assert "Check my progress" in html and "0 of 5 items completed" in html
