"""Every string a learner or author sees from the block (and the workbench stand-ins) exists in Vietnamese."""
import ast
import gettext
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = {
    ROOT / "xblocks/completion_credit": sorted((ROOT / "xblocks/completion_credit").rglob("*.py")),
    ROOT / "xblocks/workbench": [ROOT / "xblocks/workbench/platform_blocks.py"],
}
MARKERS = {"_", "N_", "gettext", "ugettext", "ngettext"}


def marked(paths):
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name in MARKERS and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                yield path.relative_to(ROOT), node.args[0].value


@pytest.mark.parametrize("package", sorted(CATALOGUES), ids=lambda path: path.name)
def test_every_marked_message_has_a_vietnamese_translation(package):
    with (package / "translations/vi/LC_MESSAGES/text.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    messages = list(marked(CATALOGUES[package]))
    assert len(messages) > 5
    missing = [f"{path}: {message!r}" for path, message in messages if catalogue.gettext(message) == message]
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
