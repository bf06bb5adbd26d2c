"""What a completion credit offers, with the plural form its points need (one point reads "1 point")."""
import pytest
from django.utils import translation

from tests import harness

pytestmark = [pytest.mark.database, pytest.mark.django_db]


@pytest.mark.parametrize("credit, language, expected", [
    ("5:1", "en", "1 point toward indicator 5:"),
    ("5:1.5", "en", "1.5 points toward indicator 5:"),
    ("5:2", "en", "2 points toward indicator 5:"),
    ("5:1", "vi", "1 điểm cho chỉ số 5:"),
])
def test_points_offered_read_in_the_right_form(credit, language, expected):
    usage = harness.load(f'<completion-credit display_name="Ghi nhận" credit="{credit}"/>', prefix="plural", user="setup")
    with translation.override(language):
        html = harness.render(harness.block_for(usage, "101"), "student_view")
    assert expected in html
    assert "1 points" not in html
