"""
A learner takes the sample digital-skills assessment in chromium and sees the chart and the levels;
the same block at a phone's 360×740 viewport. The answers are clicked in the page; which ones are
right is read from the learner's form on the server, as a test may and a browser cannot.
"""
import pytest
from playwright.sync_api import expect

from tests import harness
from tests.skills_assessment.helpers import answer_for
from xblocks.ledger.models import Entry

# The live server and the test share the database, so each test commits (and is flushed after).
pytestmark = [pytest.mark.django_db(transaction=True)]

SCENARIO = "skills-assessment.0"


def server_form(user):
    """The learner's form as the server keeps it: [(Item, order)]."""
    from workbench.scenarios import get_scenarios  # pylint: disable=import-outside-toplevel
    block = harness.block_for(get_scenarios()[SCENARIO].usage_id, user)
    bank = block.config()[0].bank
    return [(bank.item(entry["id"]), entry["order"]) for entry in block.current_form["items"]]


def answer(page, item, order, right):
    """Click the answer to one item the way a learner does."""
    fieldset = page.locator(f".lc-sa-item[data-item='{item.id}']")
    token = answer_for(item, order, right)
    if item.kind in ("single-choice", "self-rating"):
        fieldset.locator(f"input[value='{token}']").check()
    elif item.kind == "multiple-response":
        for choice in token:
            fieldset.locator(f"input[value='{choice}']").check()
    elif item.kind == "ordering":
        for position, choice in enumerate(token, start=1):
            fieldset.locator(f"select[data-option='{choice}']").select_option(str(position))
    else:
        for prompt, target in token.items():
            fieldset.locator(f"select[data-prompt='{prompt}']").select_option(target)


def fact(block, term):
    """The description of a term in the results' summary list."""
    return block.locator(".lc-sa-overall > div").filter(has=block.page.locator("dt", has_text=term)).locator("dd")


def open_assessment(new_page, workbench, user, **size):
    page = new_page(locale="vi-VN", **size)
    page.goto(f"{workbench}/scenario/{SCENARIO}/?student={user}")
    return page, page.locator(".lc-sa")


def test_a_learner_takes_the_sample_assessment_and_sees_the_chart_and_levels(workbench, new_page):
    page, block = open_assessment(new_page, workbench, "401")
    expect(block.get_by_role("heading", level=2)).to_have_text("Tự đánh giá kỹ năng số / Digital-skills self-assessment")
    expect(block).to_contain_text("24 câu hỏi.")
    start = block.get_by_role("button", name="Bắt đầu làm bài")
    start.focus()
    page.keyboard.press("Enter")                                    # keyboard only
    heading = block.get_by_role("heading", name="Lượt làm bài 1")
    expect(heading).to_be_focused()
    expect(block.locator(".lc-sa-clock")).to_have_text("30:00")
    expect(block.locator("fieldset.lc-sa-item")).to_have_count(24)
    expect(block.get_by_role("heading", level=4)).to_have_count(6)   # one group per domain

    form = server_form("401")
    first_item, first_order = form[0]
    answer(page, first_item, first_order, True)
    page.reload()                                                   # the same form, the answer kept
    first = block.locator("fieldset.lc-sa-item").first
    expect(first).to_have_attribute("data-item", first_item.id)
    assert first.evaluate("f => f.querySelectorAll('input:checked').length + "
                          "[...f.querySelectorAll('select')].filter(s => s.value).length") > 0
    assert server_form("401") == form

    for item, order in form[1:-1]:
        answer(page, item, order, True)
    block.get_by_role("button", name="Nộp bài").click()
    alert = block.get_by_role("alert")
    expect(alert).to_contain_text("Hãy trả lời mọi câu hỏi trước khi nộp bài. Các câu chưa trả lời: 24.")
    assert Entry.objects.filter(user_id=401).count() == 0           # nothing went to the server

    answer(page, *form[-1], True)
    block.get_by_role("button", name="Nộp bài").click()
    results = block.get_by_role("heading", name="Kết quả của bạn")
    expect(results).to_be_focused()
    expect(block.locator("[role=status]")).to_contain_text("Câu trả lời của bạn đã được ghi nhận.")

    chart = block.get_by_role("img", name="Điểm theo miền năng lực")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.lc-sa-bar")).to_have_count(6)
    bar, track = chart.locator("rect.lc-sa-bar").first.bounding_box(), chart.locator("rect.lc-sa-track").first.bounding_box()
    assert bar["width"] == pytest.approx(track["width"], abs=1) and bar["width"] > 100   # 100 % drawn in full, in any locale
    expect(chart.locator("desc")).to_contain_text("Khai thác dữ liệu và thông tin: 100 %, Bậc 6 (Nâng cao)")
    table = block.get_by_role("table", name="Điểm theo miền năng lực và năng lực thành phần")
    expect(table.locator("tbody tr")).to_have_count(30)             # 6 domains and 24 competences
    expect(table.get_by_role("row", name="6.2 Sử dụng trí tuệ nhân tạo")).to_contain_text("Bậc 6")
    expect(fact(block, "Kết quả chung")).to_have_text("100 % · Bậc 6 (Nâng cao)")
    expect(fact(block, "Có kỹ năng số")).to_contain_text("Đạt (")
    expect(fact(block, "Thành thạo")).to_contain_text("Đạt (")
    expect(block).to_contain_text("Không có năng lực nào dưới bậc 3.")
    assert list(Entry.objects.filter(user_id=401).values_list("points", "source_kind")) == [(10, "assessment")]

    page.reload()                                                   # results stay; a new attempt can start
    expect(block.get_by_role("img", name="Điểm theo miền năng lực")).to_be_visible()
    expect(block.get_by_role("button", name="Làm lại bài")).to_be_visible()


def test_results_with_gaps_on_a_360px_phone(workbench, new_page):
    page, block = open_assessment(new_page, workbench, "402", width=360, height=740)
    block.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(block.locator("fieldset.lc-sa-item")).to_have_count(24)
    assert block.evaluate("element => element.scrollWidth <= element.clientWidth")
    for item, order in server_form("402"):
        answer(page, item, order, False)
    block.get_by_role("button", name="Nộp bài").click()
    expect(block.get_by_role("heading", name="Kết quả của bạn")).to_be_focused()

    expect(fact(block, "Kết quả chung")).to_contain_text("Chưa đạt bậc 1")
    expect(fact(block, "Có kỹ năng số")).to_contain_text("Chưa đạt")
    gaps = block.get_by_role("region", name="Nên học gì tiếp theo")
    expect(gaps.get_by_role("link", name="Bảo vệ dữ liệu cá nhân, phòng chống lừa đảo")).to_be_visible()
    expect(gaps.get_by_role("link", name="An toàn trên không gian mạng")).to_have_count(4)  # the domain link, per gap of domain 4

    # Nothing of the block is wider than the phone; the chart fits; the wide table scrolls in its own region.
    box = block.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert block.evaluate("element => element.scrollWidth <= element.clientWidth")
    chart = block.get_by_role("img", name="Điểm theo miền năng lực").bounding_box()
    assert chart["x"] >= 0 and chart["x"] + chart["width"] <= 360
    label = block.locator(".lc-sa-row-label").first.bounding_box()
    assert label["height"] >= 10                                     # chart text stays readable when scaled
    assert float(block.evaluate("element => getComputedStyle(element).fontSize").rstrip("px")) >= 16


def test_results_on_a_390px_phone_in_english_break_no_word_and_say_each_thing_once(workbench, new_page):
    page = new_page(locale="en-GB", width=390, height=844)
    page.goto(f"{workbench}/scenario/{SCENARIO}/?student=403")
    block = page.locator(".lc-sa")
    expect(block.get_by_text("For each competence of the", exact=False)).to_be_visible()   # the learners' introduction
    block.get_by_role("button", name="Start the assessment").click()
    expect(block.locator("fieldset.lc-sa-item")).to_have_count(24)
    for item, order in server_form("403"):
        answer(page, item, order, False)
    block.get_by_role("button", name="Submit my answers").click()
    expect(block.get_by_role("heading", name="Your results")).to_be_focused()

    expect(block.get_by_text("Your answers were recorded.", exact=False)).to_have_count(1)
    gaps = block.get_by_role("region", name="What to learn next")
    expect(gaps.get_by_text("No course is linked", exact=False)).to_have_count(1)
    # Every column header lays out on whole words: "Score" is one line box, never "Scor" and "e".
    headers = block.locator(".lc-sa-table thead th")
    assert headers.count() >= 7
    for index in range(headers.count()):
        header = headers.nth(index)
        words = header.evaluate("""th => {
            const range = document.createRange();
            const broken = [];
            for (const node of th.childNodes) {
                if (node.nodeType !== Node.TEXT_NODE) continue;
                let start = 0;
                for (const word of node.textContent.split(' ')) {
                    range.setStart(node, start); range.setEnd(node, start + word.length);
                    if (word && range.getClientRects().length > 1) broken.push(word);
                    start += word.length + 1;
                }
            }
            return broken;
        }""")
        assert words == [], f"{header.inner_text()!r} breaks inside {words}"
