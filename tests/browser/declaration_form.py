"""The evidence block's declaration form as a learner fills it in, shared by the browser tests that need one sent."""
from datetime import date, timedelta


def fill_a_reading_club(page):
    """Wait for the form (Vietnamese), then fill it for a reading club three days ago, two hours; nothing is sent."""
    page.get_by_role("heading", name="Kê khai một hoạt động học tập").wait_for()
    page.get_by_label("Tham gia các hoạt động học tập tại nhà văn hóa", exact=False).check()
    page.get_by_label("Loại hoạt động").select_option("club-or-seminar")
    page.get_by_label("Tên hoạt động").fill("Câu lạc bộ đọc sách")
    page.get_by_label("Ngày").fill((date.today() - timedelta(days=3)).isoformat())
    page.get_by_label("Số giờ").fill("2")
    page.get_by_label("Bạn đã làm và học được gì").fill("Đọc và thảo luận hai cuốn sách.")
