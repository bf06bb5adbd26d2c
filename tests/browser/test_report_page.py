"""The report page in a real browser: readable on a phone and on a desktop, reachable by keyboard."""
import pytest

from tests.reports.conftest import build_population
from xblocks.reports.progress import build_report
from xblocks.reports.render import render_html

pytestmark = [pytest.mark.database, pytest.mark.django_db]

# The smallest size the drawing's text reaches on the screen, in CSS pixels, for every text in every chart.
SMALLEST_CHART_TEXT = """() => Math.min(...[...document.querySelectorAll('svg.chart')].flatMap(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(text => parseFloat(getComputedStyle(text).fontSize) * scale);
}))"""


@pytest.fixture
def report_file(db, tmp_path):  # pylint: disable=unused-argument,invalid-name
    build_population()
    path = tmp_path / "report.html"
    path.write_text(render_html(build_report("2026", "province:01")), encoding="utf-8")
    return path


# report_file before browser: once Playwright runs its event loop in this thread, Django would hand
# out another connection than the test's.
@pytest.mark.parametrize("width, height", [(360, 740), (1280, 800)])
def test_the_page_fits_the_screen_and_its_charts_are_legible(report_file, browser, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report_file.as_uri())
    assert requests == [report_file.as_uri()]        # nothing else is fetched
    # No sideways scrolling of the page: wide tables scroll inside their own named regions.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(SMALLEST_CHART_TEXT) >= 11.5
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    # Each table region can be reached with the keyboard (so it can be scrolled without a mouse).
    regions = page.locator("div.scroll")
    reached = set()
    for _ in range(regions.count() + 5):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.getAttribute('aria-labelledby')")
        if label:
            reached.add(label)
    assert len(reached) == regions.count()
    page.close()
