"""
Studio's editor: ``submit_studio_edits`` (the handler the editor posts to) refuses a configuration
that could not award credit, with a message in the author's language, and saves a good one.
"""
import pytest
from django.utils import translation

pytestmark = [pytest.mark.database, pytest.mark.django_db]

GOOD = {"display_name": "Chương 1", "framework": "learning-citizen-2021-2030", "credit": "5:2", "learning_hours": 2.0,
        "scope": "section", "counted_blocks": "", "min_score": 50}


@pytest.fixture
def block(wb):
    root = wb.load("""<vertical><html url_name="a"><p>A</p></html><completion-credit credit="5:1"/></vertical>""")
    return wb.block_for(wb.credit_blocks(root)[0], user="staff")  # the workbench's course staff edit


def submit(wb, block, **changes):
    values = {**GOOD, **changes}
    return wb.call(block, "submit_studio_edits", {"values": values, "defaults": []})


def messages(body):
    return [message["text"] for message in body["error"]["messages"]]


def test_a_valid_configuration_is_saved(wb, block):
    status, body = submit(wb, block, credit=" 5 : 2 , 1=1.5 ")
    assert (status, body) == (200, {"result": "success"})
    saved = wb.block_for(block.scope_ids.usage_id, user=None)
    assert (saved.credit, saved.min_score, saved.display_name) == ("5:2, 1:1.5", 50, "Chương 1")
    assert saved.validate().empty


@pytest.mark.parametrize("changes, expected", [
    ({"credit": "12:2"}, 'Unknown indicator "12": framework learning-citizen-2021-2030 has no such indicator.'),
    ({"credit": "5:11"}, "Indicator 5 allows at most 10 points; 11 is too many."),
    ({"scope": "blocks", "counted_blocks": " , "}, "Nothing to count: list at least one block, or count the section or the course."),
    ({"credit": ""}, "Give at least one indicator and its points, for example 5:2."),
    ({"credit": "five points"}, 'Write each credit as indicator:points, for example 5:2 (not "five points").'),
    ({"credit": "5:2, 5:1"}, "Indicator 5 is listed more than once."),
    ({"credit": "5:0"}, "Indicator 5: points must be more than 0."),
    ({"framework": "nope"}, 'Unknown criteria framework "nope".'),
    ({"min_score": 120}, "The minimum score is a percentage from 0 to 100."),
    ({"learning_hours": -1.0}, "Learning hours cannot be negative."),
    ({"scope": "everything"}, 'Unknown scope "everything": count the section, the course or a list of blocks.'),
])
def test_an_invalid_configuration_is_refused_with_a_message(wb, block, changes, expected):
    status, body = submit(wb, block, **changes)
    assert status == 400
    assert expected in messages(body)
    unchanged = wb.block_for(block.scope_ids.usage_id, user=None)
    assert unchanged.credit == "5:1"  # nothing was saved


def test_messages_follow_the_authors_language(wb, block):
    with translation.override("vi"):
        status, body = submit(wb, block, credit="5:11")
    assert status == 400
    assert "Chỉ số 5 chỉ cho tối đa 10 điểm; 11 điểm là quá nhiều." in messages(body)


def test_the_editor_offers_the_fields_with_translated_labels(wb, block):
    with translation.override("vi"):
        html = block.render("studio_view").body_html()
    for label in ("Bộ tiêu chí", "Điểm ghi nhận", "Số giờ học", "Nội dung được tính", "Điểm tối thiểu (%)"):
        assert label in html
    assert "Chương chứa khối này" in html  # the scope choices


def test_listed_blocks_are_tidied(wb, block):
    status, _body = submit(wb, block, scope="blocks", counted_blocks=" a,b ;\n c ")
    assert status == 200
    assert wb.block_for(block.scope_ids.usage_id, user=None).counted_blocks == "a, b, c"


def test_studio_preview_shows_what_is_wrong(wb):
    root = wb.load("""<vertical><completion-credit credit="5:20" scope="blocks"/></vertical>""")
    block = wb.block_for(wb.credit_blocks(root)[0], user=None)
    html = block.render("author_view").body_html()
    assert "Indicator 5 allows at most 10 points; 20 is too many." in html
    assert "Nothing to count" in html
    assert not block.validate().empty
