"""The evidence page in the learner's language: instructions an author did not write are ours, translated."""
import pytest
from django.utils import translation

from tests import harness

pytestmark = [pytest.mark.database, pytest.mark.django_db]


@pytest.mark.parametrize("language, expected", [
    ("vi", "Kê khai việc học bạn đã làm ngoài các khóa học"),
    ("en", "Declare learning you did outside your courses"),
])
def test_without_authored_instructions_learners_read_translated_ones(learner, language, expected):
    with translation.override(language):
        html = harness.render(learner.block, "student_view")
    assert expected in html


def test_authored_instructions_are_shown_as_written(as_user, usage_id):
    caller = as_user("learner-a")
    caller.block.instructions = "Chỉ kê khai hoạt động trong năm học này."
    with translation.override("en"):
        html = harness.render(caller.block, "student_view")
    assert "Chỉ kê khai hoạt động trong năm học này." in html and "Declare learning you did outside" not in html
