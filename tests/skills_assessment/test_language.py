"""The learner's pages of the assessment in Vietnamese and English: a learner-facing introduction, each message once."""
import pytest
from django.utils import translation

from xblocks.criteria.item_banks import get_item_bank

from .conftest import BANK

pytestmark = [pytest.mark.database, pytest.mark.django_db]


@pytest.mark.parametrize("language, intro", [
    ("vi", "Với mỗi năng lực của khung"),
    ("en", "For each competence of the"),
])
def test_the_introduction_is_for_learners_in_their_language(assess, clock, language, intro):
    usage = assess.load()
    with translation.override(language):
        html = assess.view(usage)
    assert intro in html
    description = get_item_bank(BANK).description  # written for authors: who wrote the items, on which pattern
    assert description["vi"] not in html and description["en"] not in html


@pytest.mark.parametrize("language, recorded, unlinked", [
    ("vi", "Câu trả lời của bạn đã được ghi nhận.", "Chưa có khóa học nào gắn với các năng lực này"),
    ("en", "Your answers were recorded.", "No course is linked to these competences yet"),
])
def test_results_say_each_thing_once(assess, clock, language, recorded, unlinked):
    usage = assess.load(blueprint="*:1")
    with translation.override(language):
        assess.start(usage)
        status, body = assess.submit(usage, right=False)
        assert status == 200 and body["notice"] == recorded
        # The notice goes to the status region; the results do not repeat it.
        assert recorded not in body["html"]
        # Every competence is a gap here and none has a course: said once, under the list.
        assert body["html"].count(unlinked) == 1
        assert body["html"].count("<li><strong>") > 10
        assert body["html"].count(unlinked) == assess.view(usage).count(unlinked) == 1

