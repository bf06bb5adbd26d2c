"""
A learner works through the sample course in the workbench, in chromium, and sees the credit
appear; the same page checked at a phone's 360×740 viewport.
"""
import re

import pytest
from playwright.sync_api import expect

from xblocks.ledger.models import Entry

# The live server and the test share the database, so each test commits (and is flushed after).
pytestmark = [pytest.mark.django_db(transaction=True)]

COURSE = "/scenario/course.0/"   # the sample course: the workbench's course stand-in lists it
LISTED = "/scenario/completion-credit.0/"


def read(page, text):
    """Scroll the html content holding ``text`` into view and keep it there long enough to count as viewed."""
    page.locator(".lc-wb-html", has_text=text).scroll_into_view_if_needed()
    page.wait_for_timeout(700)


def answer(page, question, choices):
    problem = page.locator(".lc-wb-problem", has_text=question)
    problem.scroll_into_view_if_needed()
    for choice in choices:
        problem.get_by_label(choice).check()
    problem.get_by_role("button", name="Nộp bài").click()
    expect(problem.locator(".lc-wb-feedback")).to_have_text("Đúng")


def test_a_learner_completes_the_first_chapter_and_sees_the_credit(workbench, new_page):
    page = new_page(locale="vi-VN")
    page.goto(f"{workbench}{COURSE}?student=301")
    credit = page.locator(".lc-credit").first
    expect(credit.get_by_role("heading")).to_have_text("Ghi nhận chương 1: Dùng điện thoại an toàn")
    expect(credit.get_by_role("progressbar")).to_have_attribute("aria-valuemax", "5")
    expect(credit).to_contain_text("Hoàn thành thêm")

    read(page, "Điện thoại thông minh giúp mỗi người")
    read(page, "Xem video hướng dẫn")
    answer(page, "Bạn nên cài đặt ứng dụng từ đâu", ["Từ kho ứng dụng chính thức (CH Play hoặc App Store)"])
    read(page, "Một mật khẩu mạnh")
    answer(page, "Những việc nào giúp giữ an toàn tài khoản",
           ["Dùng mật khẩu khác nhau cho mỗi tài khoản", "Bật xác thực hai lớp khi dịch vụ cho phép"])

    credit.scroll_into_view_if_needed()
    # The block re-asks the server after each completion on the page; nothing is clicked here.
    expect(credit.locator(".lc-credit__message")).to_contain_text("Đã được ghi nhận", timeout=20000)
    expect(credit.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "5")
    expect(credit).to_contain_text("2 điểm cho chỉ số 5")
    expect(credit.locator("[role=status]")).to_contain_text("Đã được ghi nhận")  # announced to screen readers
    assert list(Entry.objects.filter(user_id=301).values_list("indicator", "points", "source_kind")) == [
        ("5", 2, "completion")]

    page.reload()
    credit = page.locator(".lc-credit").first
    expect(credit.locator(".lc-credit__message")).to_contain_text("Đã được ghi nhận")
    credit.get_by_role("button", name="Kiểm tra tiến độ của tôi").click()
    expect(credit.locator("[role=status]")).to_contain_text("Đã được ghi nhận")
    assert Entry.objects.filter(user_id=301).count() == 1  # reloads and clicks record nothing more

    course_credit = page.locator(".lc-credit").nth(1)
    expect(course_credit).to_contain_text("Đã hoàn thành 5/7 nội dung")  # the course-wide block is not there yet


def test_the_page_works_on_a_360px_phone(workbench, new_page):
    page = new_page(locale="vi-VN", width=360, height=740)
    page.goto(f"{workbench}{LISTED}?student=302")
    credit = page.locator(".lc-credit")
    expect(credit.get_by_role("progressbar")).to_have_attribute("aria-valuetext", "Đã hoàn thành 0/2 nội dung")

    # Nothing of the block is wider than the phone, and nothing inside it scrolls sideways.
    box = credit.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert credit.evaluate("element => element.scrollWidth <= element.clientWidth")
    assert float(credit.evaluate("element => getComputedStyle(element).fontSize").rstrip("px")) >= 16

    # The check button: a comfortable touch target, reachable with the keyboard, with a visible focus ring.
    button = credit.get_by_role("button", name="Kiểm tra tiến độ của tôi")
    button_box = button.bounding_box()
    assert button_box["height"] >= 44 and button_box["x"] + button_box["width"] <= 360
    for _ in range(60):
        if page.evaluate("document.activeElement && document.activeElement.classList.contains('lc-credit__check')"):
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("the check button cannot be reached with Tab")
    assert button.evaluate("element => getComputedStyle(element).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(credit.locator("[role=status]")).to_contain_text(re.compile(r"Hoàn thành thêm [12] nội dung"))

    # The learner completes the two listed items on the phone and sees the credit.
    read(page, "Khi tìm kiếm thông tin trên mạng")
    answer(page, "Nguồn nào đáng tin cậy nhất", ["Trang thông tin điện tử của trạm y tế xã, phường"])
    credit.scroll_into_view_if_needed()
    expect(credit.locator(".lc-credit__message")).to_contain_text("Đã được ghi nhận", timeout=20000)
    expect(credit).to_contain_text(re.compile(r"1 điểm cho chỉ số 5"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 or \
        credit.evaluate("element => element.getBoundingClientRect().right") <= 360
    assert Entry.objects.filter(user_id=302).count() == 1


def show_again(page):
    """The learner leaves the tab and comes back: the page goes hidden, then visible (as the browser reports it)."""
    page.evaluate("""() => {
        for (const state of ["hidden", "visible"]) {
            Object.defineProperty(document, "visibilityState", {value: state, configurable: true});
            document.dispatchEvent(new Event("visibilitychange"));
        }
    }""")


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_content_completed_elsewhere_shows_when_the_page_is_seen_again(workbench, new_page, width, height):
    """
    In the LMS a unit never hears of content completed in another unit or tab: the block checks
    again when its page becomes visible again, with no workbench event involved.
    """
    student = f"visible-{width}"
    credit_page = new_page(locale="vi-VN", width=width, height=height)
    # As in the LMS, no "xblock:completion" event reaches the block on this page (the workbench's
    # own content sends one; it is stopped before the block can hear it).
    credit_page.add_init_script("""document.addEventListener("xblock:completion",
        event => event.stopImmediatePropagation(), true);""")
    credit_page.goto(f"{workbench}{LISTED}?student={student}")
    credit = credit_page.locator(".lc-credit")
    expect(credit.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")

    elsewhere = new_page(locale="vi-VN", width=width, height=height)  # another tab, another unit
    elsewhere.goto(f"{workbench}{LISTED}?student={student}")
    read(elsewhere, "Khi tìm kiếm thông tin trên mạng")
    answer(elsewhere, "Nguồn nào đáng tin cậy nhất", ["Trang thông tin điện tử của trạm y tế xã, phường"])
    expect(elsewhere.locator(".lc-credit .lc-credit__message")).to_contain_text("Đã được ghi nhận", timeout=20000)

    credit_page.wait_for_timeout(1000)
    expect(credit.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")  # nothing told this page
    show_again(credit_page)
    expect(credit.locator(".lc-credit__message")).to_contain_text("Đã được ghi nhận", timeout=10000)
    expect(credit.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "2")
    expect(credit.locator("[role=status]")).to_contain_text("Đã được ghi nhận")  # announced, as it changed
    assert credit.evaluate("element => element.scrollWidth <= element.clientWidth")
    assert Entry.objects.filter(user_id__gt=0).count() == 1


def test_the_block_alone_on_its_view_page_calls_its_handlers_for_the_learner(workbench, new_page):
    """/view/<scenario>/ shows the block without the workbench around it; its handler calls name the learner."""
    page = new_page(locale="vi-VN")
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    with page.expect_request(lambda request: "/handler/" in request.url) as asked:
        page.goto(f"{workbench}/view/completion-credit.0/?student=303")
    assert "student=303" in asked.value.url
    credit = page.locator(".lc-credit")
    credit.get_by_role("button", name="Kiểm tra tiến độ của tôi").click()
    expect(credit.locator("[role=status]")).to_contain_text("Hoàn thành thêm 2 nội dung")
    assert not errors
