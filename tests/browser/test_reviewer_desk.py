"""
The reviewer's desk in a real browser (Debian's chromium through Playwright) against the workbench:
at 1280 and 390 px wide, in Vietnamese and English, staff find the queue before the learner form,
the learner named, the learner's points per indicator and the room left on the declared one; an
award above the room left is refused and changes nothing; what the room allows is recorded, and
the learner reads exactly that.
"""
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.browser.declaration_form import fill_a_reading_club

pytestmark = [pytest.mark.django_db(transaction=True)]

SCENARIO = "/scenario/evidence-declaration.0/"
LEARNER = 101
TEXT = {
    "vi-VN": {"queue": "Danh sách chờ xét duyệt", "learner": "Người học: XBlock User (101)", "show": "Hiển thị",
              "points": "Điểm cho chỉ số 3 (tối đa 3)", "room": "Người học đã có 7/10 điểm ở chỉ số 3",
              "table": "Điểm của người học theo từng chỉ số năm", "indicator": "Chỉ số", "count": "1 bản kê khai",
              "empty": "Không có bản kê khai nào khớp bộ lọc."},
    "en-US": {"queue": "Review queue", "learner": "Learner: XBlock User (101)", "show": "Show",
              "points": "Points for indicator 3 (at most 3)", "room": "The learner has 7 of 10 points on indicator 3",
              "table": "The learner's points per indicator in", "indicator": "Indicator", "count": "1 declaration",
              "empty": "Nothing matches these filters."},
}


def _fits(page):
    """Nothing in the block is wider than the screen (no sideways scrolling on a phone; the workbench's own page is not the block's)."""
    return page.evaluate("""() => {
        const block = document.querySelector('.lc-evidence');
        const inside = Array.from(block.querySelectorAll('*')).every(node => node.getBoundingClientRect().right <= window.innerWidth + 1);
        return inside && block.scrollWidth <= block.clientWidth + 1 && block.getBoundingClientRect().right <= window.innerWidth + 1;
    }""")


def _course_credit(points):
    from xblocks.common.credit import give_credit  # pylint: disable=import-outside-toplevel
    from xblocks.criteria.frameworks import get_framework  # pylint: disable=import-outside-toplevel
    moment = timezone.make_aware(datetime.combine(date.today() - timedelta(days=3), time(12, 0)))
    delivery = give_credit(source_kind="completion", user_id=LEARNER, framework=get_framework("learning-citizen-2021-2030"),
                           indicator="3", points=Decimal(points), provenance="verified", assurance="auto-scored",
                           occurred_at=moment, usage_key="block-v1:LC+X+1+type@html+block@reading")
    assert not delivery.failures


def _declare(new_page, live_server):
    page = new_page(locale="vi-VN", width=390, height=800)
    page.goto(f"{live_server.url}{SCENARIO}?student={LEARNER}")
    fill_a_reading_club(page)
    page.get_by_label("Liên kết").fill("https://thuvien.example.vn/su-kien/12")
    page.get_by_role("button", name="Gửi để xét duyệt").click()
    page.get_by_text("Bản kê khai của bạn đã được gửi để xét duyệt.").wait_for()
    return page


def _desk(new_page, live_server, locale, width):
    text = TEXT[locale]
    page = new_page(locale=locale, width=width, height=800)
    page.goto(f"{live_server.url}{SCENARIO}?student=staff")
    queue_heading = page.get_by_role("heading", name=text["queue"], exact=True)
    item = page.locator(".lc-ev-queue-list .lc-ev-item").first
    item.wait_for()
    # The desk comes first: its heading and first item sit above the learner form.
    form_top = page.locator(".lc-ev-declare").bounding_box()["y"]
    assert queue_heading.bounding_box()["y"] < item.bounding_box()["y"] < form_top
    assert page.locator(".lc-ev-queue-count").inner_text() == text["count"]
    assert text["learner"] in item.inner_text() and "#" not in item.locator(".lc-ev-learner").inner_text()
    field = item.get_by_label(text["points"])
    assert text["room"] in page.locator("#" + field.get_attribute("aria-describedby").split()[0]).inner_text()
    item.get_by_text(text["table"]).click()  # the learner's points on every indicator
    table = item.locator(".lc-ev-points table")
    assert table.get_by_role("columnheader", name=text["indicator"]).count() == 1
    assert table.locator("tbody tr").count() == 10 and table.locator("tr.lc-ev-declared").count() == 1
    assert "7/10" in table.locator("tr.lc-ev-declared").inner_text() or "7 of 10" in table.locator("tr.lc-ev-declared").inner_text()
    assert _fits(page)
    # Filters: another indicator shows nothing; back to all.
    page.locator(".lc-ev-filters select[name=indicator]").select_option("5")
    page.get_by_role("button", name=text["show"], exact=True).click()
    page.get_by_text(text["empty"]).wait_for()
    page.locator(".lc-ev-filters select[name=indicator]").select_option("")
    page.locator(".lc-ev-filters input[name=submitted_from]").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name=text["show"], exact=True).click()
    page.locator(".lc-ev-queue-list .lc-ev-item").first.wait_for()
    assert _fits(page)
    return page


def test_the_reviewers_desk_at_desktop_and_phone_sizes_in_both_languages(new_page, workbench, live_server):
    from xblocks.evidence.models import Declaration  # pylint: disable=import-outside-toplevel
    from xblocks.ledger.models import Entry  # pylint: disable=import-outside-toplevel
    _course_credit("7")
    learner = _declare(new_page, live_server)
    for locale, width in (("vi-VN", 390), ("en-US", 1280), ("vi-VN", 1280)):
        _desk(new_page, live_server, locale, width)

    staff = _desk(new_page, live_server, "en-US", 390)
    item = staff.locator(".lc-ev-queue-list .lc-ev-item").first
    item.get_by_label(TEXT["en-US"]["points"]).fill("4")
    item.get_by_role("button", name="Approve").click()
    summary = item.locator(".lc-ev-errors")
    summary.wait_for(state="visible")
    assert "at most 3 more points for this learner this period" in summary.inner_text()
    assert Declaration.objects.get().status == "submitted" and Entry.objects.filter(source_kind="declaration").count() == 0

    item.get_by_label(TEXT["en-US"]["points"]).fill("3")
    item.get_by_role("button", name="Approve").click()
    staff.get_by_text("Decision recorded: Approved.").wait_for()
    assert [str(entry.points) for entry in Entry.objects.filter(source_kind="declaration")] == ["3.00"]

    learner.reload()
    mine = learner.locator(".lc-ev-mine-list .lc-ev-item").first
    mine.wait_for()
    assert "Chỉ số 3: 3" in mine.inner_text()


DESK_TEXT = {"vi-VN": ("Bàn làm việc của người duyệt", "1 bản kê khai", "Người học: Lan Nguyễn"),
             "en-US": ("Reviewer's desk", "1 declaration", "Learner: Lan Nguyễn")}


def test_the_desk_across_courses_at_desktop_and_phone_sizes_in_both_languages(new_page, live_server, client):
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.contrib.auth.models import Permission  # pylint: disable=import-outside-toplevel

    from xblocks.evidence.models import Declaration  # pylint: disable=import-outside-toplevel
    get_user_model().objects.create(id=LEARNER, username="lan", first_name="Lan", last_name="Nguyễn")
    day = date.today() - timedelta(days=3)
    Declaration.objects.create(
        user_id=LEARNER, learner_name="lan", course_key="course-v1:LC+CDHT+2026",
        usage_key="block-v1:LC+CDHT+2026+type@evidence-declaration+block@declare", framework_id="learning-citizen-2021-2030",
        framework_version="1", policy_id="learning-citizen-declared", policy_version="1.0.0", indicators=["3"],
        indicator_codes="|3|", kind="reading", title="Câu lạc bộ đọc sách " + "rất dài " * 12, activity_date=day,
        period=str(day.year), hours=2, description="Đọc sách.", fingerprint="0" * 64)
    officer = get_user_model().objects.create(username="officer")
    officer.user_permissions.add(Permission.objects.get(codename="review_declaration"))
    client.force_login(officer)
    session = client.cookies["sessionid"].value
    for locale in ("vi-VN", "en-US"):
        for width in (390, 1280):
            page = new_page(locale=locale, width=width, height=800)
            page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
            page.goto(f"{live_server.url}/learning-citizen/evidence/desk")
            title, count, learner = DESK_TEXT[locale]
            assert page.get_by_role("heading", level=1).inner_text() == title
            assert page.get_by_role("status").inner_text() == count
            assert learner in page.locator("ul.items").inner_text()
            assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
            assert page.evaluate("document.documentElement.lang") == locale[:2]
    # A learner asking for it is refused.
    client.force_login(get_user_model().objects.create(username="learner"))
    page = new_page()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    assert page.goto(f"{live_server.url}/learning-citizen/evidence/desk").status == 403
