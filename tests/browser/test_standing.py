"""
The standing page in a real browser (Debian's chromium through Playwright) against the workbench
on a live server, on a desktop and on a 360 x 740 phone: the figures in charts and in text, the
period switch, the credential download (which then verifies), and the staff lookup.
"""
import os
from decimal import Decimal

import pytest

from tests.factories import credit_event
from xblocks.ledger import api
from xblocks.credentials import credentials
from xblocks.credentials.keys import generate_key_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]

CHROMIUM = "/usr/bin/chromium"
SCENARIO = "/scenario/learning-citizen-standing.0/"
VIEWPORTS = {"desktop": (1280, 900), "phone": (360, 740)}


@pytest.fixture
def chromium(monkeypatch):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install -y chromium)")
    # Playwright's sync API keeps an event loop in this thread; the test reads the database between its calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright  # pylint: disable=import-outside-toplevel
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, settings, tmp_path):
    """The workbench with a signing key, and three learners: recognised, short on one indicator, and staff."""
    from workbench.runtime_util import reset_global_state  # pylint: disable=import-outside-toplevel
    settings.LEARNING_CITIZEN_CREDENTIALS = {"SIGNING_KEY_PATH": str(generate_key_file(tmp_path / "issuer.pem")),
                                             "BASE_URL": live_server.url}
    reset_global_state()
    for period, points in (("2026", Decimal("8.5")), ("2025", Decimal("4"))):
        for code in range(1, 11):
            api.append(credit_event(learner={"user_id": 801, "anonymous_id": "anon-801"}, indicator=str(code),
                                    points=float(points), period=period, occurred_at=f"{period}-03-01T08:00:00+07:00",
                                    evidence=[{"uri": "https://example.vn/minh-chung/801"}]))
    for code in range(1, 11):
        api.append(credit_event(learner={"user_id": 802, "anonymous_id": "anon-802"}, indicator=str(code),
                                points=9 if code != 5 else 3, period="2026", occurred_at="2026-04-01T08:00:00+07:00"))
    return live_server.url


def open_page(chromium, site, student, viewport, locale="vi-VN"):
    width, height = VIEWPORTS[viewport]
    context = chromium.new_context(viewport={"width": width, "height": height}, locale=locale, accept_downloads=True)
    context.set_default_timeout(15000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site}{SCENARIO}?student={student}")
    page.wait_for_selector(".lc-standing__panel")
    return page, errors


def fits(page):
    """Nothing in the block is wider than the block, nor the block wider than the window (WCAG 1.4.10)."""
    return page.evaluate("""() => {
        const block = document.querySelector('.lc-standing');
        const box = block.getBoundingClientRect();
        return block.scrollWidth <= block.clientWidth + 1 && box.right <= window.innerWidth + 1;
    }""")


def accessible_names(page):
    """Every chart has a title and description, every form control a label."""
    return page.evaluate("""() => {
        const problems = [];
        document.querySelectorAll('.lc-standing svg').forEach(svg => {
            const ids = (svg.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
            if (svg.getAttribute('role') !== 'img' || ids.length < 2 || ids.some(id => !document.getElementById(id)?.textContent.trim()))
                problems.push('chart without a name');
        });
        document.querySelectorAll('.lc-standing input, .lc-standing select').forEach(control => {
            if (!control.labels || !control.labels.length) problems.push('control without a label: ' + control.name);
        });
        return problems;
    }""")


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_a_recognised_learner_reads_the_figures_switches_period_and_downloads(chromium, site, viewport):
    page, errors = open_page(chromium, site, "801", viewport)
    panel = page.locator(".lc-standing__panel")
    assert page.locator("h3.lc-standing__heading").inner_text() == "Kết quả của bạn năm 2026"
    assert "Được công nhận Công dân học tập năm 2026." in panel.inner_text()
    assert "85 trên 100 điểm; cần 80." in panel.inner_text()
    assert accessible_names(page) == []
    assert fits(page)
    # The same figures in text: the table where there is room, cards on a phone.
    table, cards = page.locator(".lc-standing__table"), page.locator(".lc-standing__cards")
    if viewport == "phone":
        assert cards.is_visible() and not table.is_visible()
        assert cards.locator("li").nth(0).inner_text().count("8,5") == 1
    else:
        assert table.is_visible() and not cards.is_visible()
        assert table.locator("tbody tr").nth(0).locator("td").nth(0).inner_text() == "8,5"
    assert page.locator(".lc-standing__credit").count() == 10
    assert page.locator(".lc-standing__evidence a").first.get_attribute("href") == "https://example.vn/minh-chung/801"

    # The credential: a file that verifies, signature and status.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải chứng nhận Công dân học tập của tôi (Open Badges 3.0)").click()
    download = download_info.value
    assert download.suggested_filename == "learning-citizen-2026.jwt"
    report = credentials.verify(open(download.path(), encoding="utf-8").read())
    assert report.valid and report.revoked is False and report.period == "2026"

    # Another period, by keyboard: the panel is replaced, focus moves to its heading, the change is announced.
    page.get_by_label("Kỳ đánh giá").select_option("2025")
    page.get_by_label("Kỳ đánh giá").press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('h3.lc-standing__heading').textContent.includes('2025')")
    assert page.evaluate("document.activeElement.id.endsWith('-heading')")
    assert page.locator("[data-role=status]").inner_text() == "Đã cập nhật kết quả."
    assert "Chưa được công nhận năm 2025." in panel.inner_text() and "40 trên 100 điểm" in panel.inner_text()
    assert page.get_by_role("link", name="Tải chứng nhận Công dân học tập của tôi (Open Badges 3.0)").count() == 0
    assert fits(page)
    assert errors == []


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_staff_look_up_a_learner_and_learners_cannot(chromium, site, viewport):
    page, errors = open_page(chromium, site, "staff", viewport, locale="en-US")
    page.get_by_label("Learner", exact=True).fill("802")
    page.get_by_role("button", name="Look up").click()
    page.wait_for_function("document.querySelector('h3.lc-standing__heading').textContent.includes('802')")
    text = page.locator(".lc-standing__panel").inner_text()
    assert "Standing of learner 802 in 2026" in text
    assert "Not yet recognised for 2026." in text and "Below the minimum on this indicator:" in text
    # The indicator short is named and links to what would close it, further down the panel.
    below = page.locator(".lc-standing__below a")
    assert below.count() == 1 and below.inner_text().startswith("5. ")
    below.click()
    assert page.evaluate("location.hash").endswith("-next-5")
    assert "2 more points needed to reach the minimum of 5." in page.locator(page.evaluate("location.hash")).inner_text()
    assert "Σ" not in page.locator(".lc-standing__panel").inner_html()
    assert "short by 2" in text
    assert fits(page) and accessible_names(page) == [] and errors == []

    learner, _ = open_page(chromium, site, "802", viewport, locale="en-US")
    assert learner.locator(".lc-standing__lookup").count() == 0
    status = learner.evaluate("""async () => {
        const url = document.querySelector('.xblock-v1[data-block-type="learning-citizen-standing"]').dataset.usage;
        const response = await fetch('/handler/' + url + '/standing/?student=802', {
            method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({learner: '801'})});
        return response.status;
    }""")
    assert status == 403
