"""
The evidence form in a real browser when uploads are limited or off: a file over the site's limit
is named before anything is sent; a 413 from the platform or its proxy becomes a translated
message; without a private storage the form offers links only, and a links-only declaration works.
"""
import pytest

from tests.browser.declaration_form import fill_a_reading_club
from tests.evidence.conftest import unique_pdf

pytestmark = [pytest.mark.django_db(transaction=True)]

SCENARIO = "/scenario/evidence-declaration.0/"
TOO_LARGE_VI = "Tệp \"big.pdf\" quá lớn: mỗi tệp tối đa 4 KB."
REQUEST_TOO_LARGE_VI = "Các tệp quá lớn nên trang không nhận được. Hãy gửi ít tệp hơn hoặc tệp nhỏ hơn."
UPLOADS_OFF_VI = "Trang này đang tắt chức năng tải tệp lên"


def _learner_page(browser, live_server):
    page = browser.new_context(viewport={"width": 390, "height": 800}, locale="vi-VN").new_page()
    sent = []
    page.on("request", lambda request: sent.append(request.url) if "/declare" in request.url else None)
    page.goto(f"{live_server.url}{SCENARIO}?student=101")
    fill_a_reading_club(page)
    return page, sent


def _pdf(size):
    head = unique_pdf()
    return head + b"%" * (size - len(head))


def test_a_file_over_the_limit_is_named_before_anything_is_sent(browser, live_server, settings, evidence_storage):
    from xblocks.evidence.models import Declaration  # pylint: disable=import-outside-toplevel
    settings.STUDENT_FILEUPLOAD_MAX_SIZE = 4096
    settings.LEARNING_CITIZEN_EVIDENCE_MAX_REQUEST_BYTES = None
    page, sent = _learner_page(browser, live_server)
    assert "tối đa 5 tệp, mỗi tệp đến 4 KB" in page.locator(".lc-ev-form").inner_text()  # the effective limit
    page.get_by_label("Tệp").set_input_files(files=[{"name": "big.pdf", "mimeType": "application/pdf", "buffer": _pdf(4097)}])
    page.get_by_role("button", name="Gửi để xét duyệt").click()
    summary = page.locator(".lc-ev-form .lc-ev-errors")
    summary.wait_for(state="visible")
    assert TOO_LARGE_VI in summary.inner_text()
    assert page.get_by_label("Tệp").get_attribute("aria-invalid") == "true"
    assert sent == [] and Declaration.objects.count() == 0

    page.get_by_label("Tệp").set_input_files(files=[{"name": "exact.pdf", "mimeType": "application/pdf", "buffer": _pdf(4096)}])
    page.get_by_role("button", name="Gửi để xét duyệt").click()
    page.get_by_text("Bản kê khai của bạn đã được gửi để xét duyệt.").wait_for()
    assert len(sent) == 1 and Declaration.objects.count() == 1


def test_a_413_from_the_proxy_becomes_a_translated_message(browser, live_server, evidence_storage):
    page, _ = _learner_page(browser, live_server)
    # Stands in for Caddy's request_body cap: status 413 with a body that is not the block's JSON.
    page.route(lambda url: "/declare" in url,
               lambda route: route.fulfill(status=413, content_type="text/html", body="<h1>413</h1>"))
    page.get_by_label("Tệp").set_input_files(files=[{"name": "a.pdf", "mimeType": "application/pdf", "buffer": _pdf(2000)}])
    page.get_by_role("button", name="Gửi để xét duyệt").click()
    summary = page.locator(".lc-ev-form .lc-ev-errors")
    summary.wait_for(state="visible")
    assert REQUEST_TOO_LARGE_VI in summary.inner_text()


def test_without_private_storage_the_form_offers_links_only(browser, live_server, settings):
    from xblocks.evidence.models import Declaration  # pylint: disable=import-outside-toplevel
    settings.STORAGES = {key: value for key, value in settings.STORAGES.items() if key != "learning_citizen_evidence"}
    page, _ = _learner_page(browser, live_server)
    assert page.locator("input[type=file]").count() == 0
    assert UPLOADS_OFF_VI in page.locator(".lc-ev-form").inner_text()
    page.get_by_label("Liên kết").fill("https://thuvien.example.vn/su-kien/12")
    page.get_by_role("button", name="Gửi để xét duyệt").click()
    page.get_by_text("Bản kê khai của bạn đã được gửi để xét duyệt.").wait_for()
    assert list(Declaration.objects.values_list("links", flat=True)) == [["https://thuvien.example.vn/su-kien/12"]]
