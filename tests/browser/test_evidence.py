"""
In a real browser (Debian's chromium through Playwright) against the workbench on a live server:
a learner declares an activity with a file, at 360 px wide, meeting the error summary on the way;
a staff user approves it from the review queue; the credit reaches the ledger. Script typed into
every text field stays text on both sides, and no dialog ever opens.
"""
import os
import shutil
from datetime import date, timedelta

import pytest

from tests.evidence.conftest import SCRIPT, unique_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
SCENARIO = "/scenario/evidence-declaration.0/"


@pytest.fixture
def browser(monkeypatch):
    assert shutil.which(CHROMIUM), "Debian's chromium is not installed: `make chromium` installs it"
    # Playwright's sync API keeps an event loop in this thread; the test reads the database between its calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright  # pylint: disable=import-outside-toplevel
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


def _page(browser, locale):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale=locale)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return page, dialogs


def _fits(page):
    return page.evaluate("""() => {
        const block = document.querySelector('.lc-evidence');
        const box = block.getBoundingClientRect();
        return block.scrollWidth <= block.clientWidth + 1 && box.right <= window.innerWidth + 1;
    }""")


def test_learner_declares_with_a_file_staff_approves_credit_reaches_the_ledger(browser, live_server, evidence_storage):
    from xblocks.ledger.models import Entry  # pylint: disable=import-outside-toplevel

    # ---- the learner, in Vietnamese, on a 360 px screen
    page, learner_dialogs = _page(browser, "vi-VN")
    page.goto(f"{live_server.url}{SCENARIO}?student=101")
    page.get_by_role("heading", name="Kê khai một hoạt động học tập").wait_for()
    assert _fits(page)

    page.get_by_label("Tham gia các hoạt động học tập tại nhà văn hóa", exact=False).check()
    page.get_by_label("Loại hoạt động").select_option("club-or-seminar")
    page.get_by_label("Tên hoạt động").fill(SCRIPT)
    page.get_by_label("Ngày").fill((date.today() + timedelta(days=5)).isoformat())  # in the future: refused
    page.get_by_label("Số giờ").fill("-2")                                           # negative: refused
    page.get_by_label("Bạn đã làm và học được gì").fill(SCRIPT + "\nĐọc và thảo luận hai cuốn sách.")
    page.get_by_label("Liên kết").fill("https://thuvien.example.vn/su-kien/12?x=<script>")
    page.get_by_label("Tệp").set_input_files(files=[{"name": "<img src=x onerror=alert(1)>.pdf", "mimeType": "application/pdf",
                                                     "buffer": unique_pdf("browser")}])
    page.get_by_role("button", name="Gửi để xét duyệt").click()

    # The error summary takes focus and links to each field at fault, which is marked invalid.
    summary = page.locator(".lc-ev-form .lc-ev-errors")
    summary.wait_for(state="visible")
    assert page.evaluate("document.activeElement.classList.contains('lc-ev-errors')")
    assert summary.get_by_role("heading").inner_text() == "Có lỗi cần sửa"
    assert "Ngày không thể ở tương lai." in summary.inner_text()
    assert "Số giờ không thể là số âm." in summary.inner_text()
    summary.get_by_role("link", name="Số giờ: Số giờ không thể là số âm.").click()
    assert page.evaluate("document.activeElement.name") == "hours"
    assert page.get_by_label("Số giờ").get_attribute("aria-invalid") == "true"
    assert not list(evidence_storage.rglob("*.pdf")) if evidence_storage.exists() else True  # nothing stored yet

    page.get_by_label("Ngày").fill((date.today() - timedelta(days=3)).isoformat())
    page.get_by_label("Số giờ").fill("2,5")
    page.get_by_role("button", name="Gửi để xét duyệt").click()
    page.get_by_text("Bản kê khai của bạn đã được gửi để xét duyệt.").wait_for()
    mine = page.locator(".lc-ev-mine-list .lc-ev-item")
    assert mine.count() == 1
    # What the learner typed is shown as text, in every place it appears.
    assert mine.get_by_role("heading").inner_text() == SCRIPT
    assert SCRIPT in mine.locator(".lc-ev-text").first.inner_text()
    # The link is kept as a valid web address (what the ledger's evidence needs), shown as text.
    assert mine.get_by_role("link", name="https://thuvien.example.vn/su-kien/12?x=%3Cscript%3E").count() == 1
    assert page.locator(".lc-evidence img").count() == 0 and page.locator(".lc-evidence script").count() == 0
    assert "Trạng thái: Đã gửi" in mine.inner_text()
    assert _fits(page)

    # ---- course staff, in English
    staff, staff_dialogs = _page(browser, "en-US")
    staff.goto(f"{live_server.url}{SCENARIO}?student=staff")
    queue = staff.locator(".lc-ev-queue-list .lc-ev-item")
    queue.first.wait_for()
    assert queue.count() == 1
    item = queue.first
    assert item.get_by_role("heading", level=4).inner_text() == SCRIPT
    assert SCRIPT in item.locator(".lc-ev-text").first.inner_text()
    # The evidence opens through the permission-checked handler.
    link = item.get_by_role("link", name="img src=x onerror=alert(1)_.pdf")
    response = staff.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    assert response.headers["x-content-type-options"] == "nosniff"
    # ... and not for another learner.
    other = page.request.get(live_server.url + link.get_attribute("href").replace("student=staff", "student=102"))
    assert other.status == 404

    item.get_by_label("Points for indicator 3 (at most 10)").fill("4")
    item.get_by_label("Reason (the learner reads it)").fill(SCRIPT)
    item.get_by_role("button", name="Approve").click()
    staff.get_by_text("Decision recorded: Approved.").wait_for()
    assert staff.evaluate("document.activeElement.classList.contains('lc-ev-status')")
    assert staff.locator(".lc-ev-queue-list .lc-ev-item").count() == 0  # nothing left waiting
    staff.get_by_label("Status").select_option("approved")
    staff.get_by_role("button", name="Show").click()
    staff.locator(".lc-ev-queue-list .lc-ev-item").first.wait_for()
    assert SCRIPT in staff.locator(".lc-ev-queue-list .lc-ev-item").first.inner_text()

    # ---- the credit is in the ledger, once, declared and staff-reviewed
    entries = list(Entry.objects.filter(user_id=101))
    assert [(entry.indicator, str(entry.points), entry.provenance, entry.assurance) for entry in entries] == [
        ("3", "4.00", "declared", "staff-reviewed")]
    assert str(entries[0].hours) == "2.50"

    # ---- the learner sees the decision, the points and the reviewer's reason, as text
    page.reload()
    item = page.locator(".lc-ev-mine-list .lc-ev-item").first
    item.wait_for()
    assert "Trạng thái: Đã phê duyệt" in item.inner_text()
    assert "Chỉ số 3: 4" in item.inner_text()
    assert item.get_by_text(SCRIPT, exact=True).count() >= 2  # the name and the reviewer's reason
    assert learner_dialogs == [] and staff_dialogs == []
    assert os.path.isdir(evidence_storage)
