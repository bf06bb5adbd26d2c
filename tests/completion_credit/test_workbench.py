"""The workbench itself serves the sample course: its pages and handler URLs, over HTTP (Django's test client)."""
import json

import pytest

from tests.completion_credit.conftest import CHAPTER_ONE
from xblocks.ledger.models import Entry

pytestmark = [pytest.mark.database, pytest.mark.django_db]


@pytest.fixture
def scenario():
    from workbench.runtime_util import reset_global_state  # pylint: disable=import-outside-toplevel
    from workbench.scenarios import SCENARIOS  # pylint: disable=import-outside-toplevel
    reset_global_state()  # parse every scenario into this test's database, as the workbench does at start
    return SCENARIOS["course.0"]


def post(client, usage_id, handler, payload, student="401"):
    response = client.post(f"/handler/{usage_id}/{handler}/?student={student}", json.dumps(payload),
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_course_is_listed_and_earns_credit_over_http(client, scenario, wb):
    assert "Kỹ năng số cơ bản / Basic digital skills" in client.get("/").content.decode()
    page = client.get("/scenario/course.0/?student=401", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Chương 1. Dùng điện thoại thông minh an toàn" in page and "Kiểm tra tiến độ của tôi" in page

    names = wb.descendants(scenario.usage_id)
    credit = wb.credit_blocks(scenario.usage_id)[0]
    for name in CHAPTER_ONE:
        block = wb.block_for(names[name], "401")
        if block.scope_ids.block_type == "html":
            post(client, names[name], "publish_completion", {"completion": 1.0})
        else:
            answers = {"0": "1"} if name == "ch1-cau-hoi-cai-dat" else {"0": ["0", "2"]}
            assert post(client, names[name], "submit", {"answers": answers})["correct"] == [True]
    body = post(client, credit, "check", {})
    assert body["state"] == "earned"
    assert list(Entry.objects.values_list("user_id", "indicator", "points")) == [(401, "5", 2)]
    page = client.get("/scenario/course.0/?student=401", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 points toward indicator 5 (Uses ICT and smart devices for work and life)" in page


def test_the_listed_blocks_scenario_loads(client, scenario):
    assert client.get("/scenario/completion-credit.0/?student=402").status_code == 200
