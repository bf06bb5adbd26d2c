"""
The whole journey against the demo (the workbench on a live server with the demo's data, as
`make demo` serves it), in chromium:

1. an author configures the blocks in their Studio editors (the workbench's studio_view);
2. learner 121, whose demo credit leaves indicators 3 and 5 empty, completes the sample course's
   first chapter and takes the assessment (indicator 5), on a phone, in Vietnamese;
3. the learner declares an activity with a file (indicator 3);
4. a reviewer approves it;
5. the learner's standing reaches recognition, and the credential downloads and verifies through
   the suite's `verify-credential`;
6. an administrator exports the period and opens the report, which counts one more title holder.

Elements are found by stable ids, names and data attributes where texts are still changing.
"""
import csv
import io
import json
import time
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as_demo_administrator
from tests.browser.test_completion_credit import answer as answer_question
from tests.browser.test_completion_credit import read
from tests.browser.test_skills_assessment import answer as answer_item
from tests.browser.test_skills_assessment import server_form
from tests.evidence.conftest import unique_pdf
from xblocks.ledger.models import Entry

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]

LEARNER = "121"
COURSE = "/scenario/course.0/"
ASSESSMENT = "/scenario/skills-assessment.0/"
EVIDENCE = "/scenario/evidence-declaration.0/"
STANDING = "/scenario/learning-citizen-standing.0/"
INSTRUCTIONS = "Kê khai việc học ở thôn, tổ dân phố và nơi làm việc; đính kèm giấy chứng nhận hoặc ảnh."


def title_holders():
    from xblocks.reports.progress import build_report  # pylint: disable=import-outside-toplevel
    return build_report("2026", "province:48").progress.holders.count


def wait_until(condition, timeout=20):
    """Poll the database (the live server writes it from its own thread) until ``condition()``."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def save_studio_edits(page):
    with page.expect_response(lambda response: "/submit_studio_edits/" in response.url) as saved:
        page.locator(".save-button").click()
    assert saved.value.status == 200, saved.value.text()


def test_author_learner_reviewer_and_administrator(demo, new_page, tmp_path):
    holders_before = title_holders()
    loaded_with_the_demo = set(Entry.objects.values_list("pk", flat=True))

    # ---- 1. the author, in Studio's editors
    author = new_page(locale="en-US")
    author.goto(f"{demo}{EVIDENCE}studio_view/?student=staff")
    author.locator("#xb-field-edit-instructions").fill(INSTRUCTIONS)
    save_studio_edits(author)
    author.goto(f"{demo}{ASSESSMENT}studio_view/?student=staff")
    author.locator("#xb-field-edit-time_limit_minutes").fill("20")
    save_studio_edits(author)

    # ---- 2. the learner, on a phone, in Vietnamese: the first chapter of the sample course ...
    learner = new_page(locale="vi-VN", width=390, height=844)
    learner.goto(f"{demo}{COURSE}?student={LEARNER}")
    read(learner, "Điện thoại thông minh giúp mỗi người")
    read(learner, "Xem video hướng dẫn")
    answer_question(learner, "Bạn nên cài đặt ứng dụng từ đâu", ["Từ kho ứng dụng chính thức (CH Play hoặc App Store)"])
    read(learner, "Một mật khẩu mạnh")
    answer_question(learner, "Những việc nào giúp giữ an toàn tài khoản",
                    ["Dùng mật khẩu khác nhau cho mỗi tài khoản", "Bật xác thực hai lớp khi dịch vụ cho phép"])
    credit = learner.locator(".lc-credit").first
    expect(credit.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "5", timeout=20000)
    wait_until(lambda: Entry.objects.filter(user_id=int(LEARNER), source_kind="completion").exists())

    # ... and the assessment, with the time limit the author set
    learner.goto(f"{demo}{ASSESSMENT}?student={LEARNER}")
    block = learner.locator(".lc-sa")
    block.locator("button").first.click()
    expect(block.locator(".lc-sa-clock")).to_have_text("20:00")
    for item, order in server_form(LEARNER):
        answer_item(learner, item, order, True)
    block.locator("button[type=submit], button.lc-sa-submit").last.click()
    wait_until(lambda: Entry.objects.filter(user_id=int(LEARNER), source_kind="assessment").exists())

    # ---- 3. a declaration with a file, under the author's instructions
    learner.goto(f"{demo}{EVIDENCE}?student={LEARNER}")
    expect(learner.locator(".lc-evidence")).to_contain_text(INSTRUCTIONS)
    form = learner.locator(".lc-ev-form")
    form.locator("input[name=indicators][value='3']").check()
    form.locator("select[name=kind]").select_option("club-or-seminar")
    form.locator("input[name=title]").fill("Câu lạc bộ đọc sách thôn Đông")
    form.locator("input[name=activity_date]").fill((date.today() - timedelta(days=10)).isoformat())
    form.locator("input[name=hours]").fill("6")
    form.locator("textarea[name=description]").fill("Tham gia sáu buổi đọc và thảo luận sách tại nhà văn hóa thôn.")
    form.locator("input[name=files]").set_input_files(files=[{"name": "giay-chung-nhan.pdf", "mimeType": "application/pdf",
                                                             "buffer": unique_pdf("journey")}])
    form.locator("button[type=submit]").click()
    expect(learner.locator(".lc-ev-mine-list .lc-ev-item")).to_have_count(1)

    # ---- 4. the reviewer approves 6 points on indicator 3
    reviewer = new_page(locale="en-US")
    reviewer.goto(f"{demo}{EVIDENCE}?student=staff")
    approve = reviewer.locator("button[data-action=approve]")
    expect(approve).to_have_count(1)
    reviewer.locator("input[data-points='3']").fill("6")
    reviewer.locator("textarea[id$='-reason']").first.fill("Certificate checked.")
    approve.click()
    wait_until(lambda: Entry.objects.filter(user_id=int(LEARNER), indicator="3").exists())

    # ---- 5. recognition, and a credential that verifies
    learner.goto(f"{demo}{STANDING}?student={LEARNER}")
    expect(learner.locator(".lc-standing__verdict--ok")).to_be_visible()
    with learner.expect_download() as download_info:
        learner.locator("a.lc-standing__download").click()
    credential = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(credential)
    out = io.StringIO()
    call_command("learning_citizen", "verify-credential", str(credential), "--json", stdout=out)
    verified = json.loads(out.getvalue())
    assert verified["valid"] is True and verified["revoked"] is False and verified["period"] == "2026"
    assert verified["problems"] == []

    # ---- 6. the administrator exports the period and opens the report
    admin = new_page(locale="en-US")
    sign_in_as_demo_administrator(admin, demo)
    admin.locator("form[action$='export'] input[name=period]").fill("2026")
    with admin.expect_download() as export_info:
        admin.locator("form[action$='export'] button[type=submit]").click()
    with open(export_info.value.path(), encoding="utf-8", newline="") as exported:
        exported_ids = {int(row["entry_id"]) for row in csv.DictReader(exported)}
    assert exported_ids == set(Entry.objects.filter(period="2026").values_list("pk", flat=True))
    journey = Entry.objects.exclude(pk__in=loaded_with_the_demo)
    assert sorted(journey.values_list("user_id", "indicator", "source_kind")) == [
        (int(LEARNER), "3", "declaration"), (int(LEARNER), "5", "assessment"), (int(LEARNER), "5", "completion")]
    assert set(journey.values_list("pk", flat=True)) <= exported_ids

    admin.locator("form[action$='report'] input[name=period]").fill("2026")
    admin.locator("form[action$='report'] input[name=area]").fill("province:48")
    admin.locator("form[action$='report'] button[type=submit]").click()
    admin.wait_for_url("**/report?**")
    assert title_holders() == holders_before + 1
    expect(admin.locator("body")).to_contain_text(f"Title holders among them: {holders_before + 1} (")
