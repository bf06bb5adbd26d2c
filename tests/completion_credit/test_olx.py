"""OLX: the block, and the sample course that uses it, export and import again without loss."""
import io

import pytest
from lxml import etree

from xblocks.workbench.sample_courses import course_olx

pytestmark = [pytest.mark.database, pytest.mark.django_db]

AUTHORED = ("display_name", "framework", "credit", "learning_hours", "scope", "counted_blocks", "min_score")


def export(wb, usage_id):
    block = wb.block_for(usage_id, user=None)
    out = io.BytesIO()
    block.runtime.export_to_xml(block, out)
    return out.getvalue()


def test_the_block_round_trips(wb):
    olx = """<completion-credit display_name="Ghi nhận: “Kỹ năng số” &amp; an toàn" framework="learning-citizen-2021-2030"
                credit="5:2.5, 1:1" learning_hours="3.5" scope="blocks" counted_blocks="bài-1, quiz &lt;1&gt;"
                min_score="70"/>"""
    first = wb.block_for(wb.load(olx), user=None)
    assert (first.credit, first.learning_hours, first.counted_blocks, first.min_score) == ("5:2.5, 1:1", 3.5, "bài-1, quiz <1>", 70)
    xml = export(wb, first.scope_ids.usage_id)
    second = wb.block_for(wb.load(xml), user=None)
    assert {name: getattr(second, name) for name in AUTHORED} == {name: getattr(first, name) for name in AUTHORED}
    assert export(wb, second.scope_ids.usage_id) == xml  # stable: a second export is identical


def test_defaults_are_not_written_out(wb):
    xml = export(wb, wb.load("<completion-credit credit='5:1'/>"))
    node = etree.fromstring(xml)
    assert node.tag == "completion-credit"
    assert dict(node.attrib) == {"credit": "5:1", "xblock-family": "xblock.v1"}


def test_user_state_never_reaches_olx(wb, course):
    from tests.completion_credit.conftest import CHAPTER_ONE  # pylint: disable=import-outside-toplevel
    for name in CHAPTER_ONE:
        wb.complete(course.names[name])
    wb.call(wb.block_for(course.chapter_credit), "check")
    xml = export(wb, course.chapter_credit)
    assert b"earned_at" not in xml and b"published_completion" not in xml


def test_the_sample_course_round_trips(wb):
    first_root = wb.load(course_olx("basic-digital-skills"))
    xml = export(wb, first_root)
    second_root = wb.load(xml)
    assert export(wb, second_root) == xml
    first, second = wb.descendants(first_root), wb.descendants(second_root)
    named = sorted(name for name in first if not name.startswith("test-"))
    assert named == sorted(name for name in second if not name.startswith("test-"))
    for one, two in zip(wb.credit_blocks(first_root), wb.credit_blocks(second_root)):
        one, two = wb.block_for(one, user=None), wb.block_for(two, user=None)
        assert {name: getattr(one, name) for name in AUTHORED} == {name: getattr(two, name) for name in AUTHORED}
    problem_one = wb.block_for(first["ch1-cau-hoi-an-toan"], user=None)
    problem_two = wb.block_for(second["ch1-cau-hoi-an-toan"], user=None)
    assert problem_one.questions() == problem_two.questions() and problem_two.max_attempts == 3


def test_the_sample_course_is_a_real_olx_export():
    """course.xml points at the run; the run file holds the course inline; policy enables the block."""
    import json  # pylint: disable=import-outside-toplevel
    from importlib import resources  # pylint: disable=import-outside-toplevel
    folder = resources.files("xblocks.fixtures").joinpath("courses", "basic-digital-skills")
    pointer = etree.fromstring(folder.joinpath("course.xml").read_bytes())
    assert (pointer.tag, dict(pointer.attrib)) == ("course", {"url_name": "2026", "org": "LearningCitizenVN", "course": "KNS101"})
    course = etree.fromstring(folder.joinpath("course", "2026.xml").read_bytes())
    tags = {element.tag for element in course.iter() if isinstance(element.tag, str)}
    assert {"chapter", "sequential", "vertical", "html", "problem", "completion-credit"} <= tags
    assert any("video" in (link.text or "").lower() or "hocvuso" in link.get("href", "")
               for link in course.iter("a"))
    policy = json.loads(folder.joinpath("policies", "2026", "policy.json").read_text("utf-8"))
    assert "completion-credit" in policy["course/2026"]["advanced_modules"]


def test_the_workbench_loads_every_scenario_strictly():
    """What `make demo` shows: the workbench parses the scenarios and fails on a broken one."""
    from workbench import scenarios  # pylint: disable=import-outside-toplevel
    from xblock.core import XBlock  # pylint: disable=import-outside-toplevel
    # The sample course is listed by the workbench's course stand-in; the block lists its own scenarios.
    classes = {"course": XBlock.load_class("course"), "completion-credit": XBlock.load_class("completion-credit")}
    titles = {tag: [title for title, _xml in block_class.workbench_scenarios()] for tag, block_class in classes.items()}
    assert titles["course"][0] == "Kỹ năng số cơ bản / Basic digital skills"
    assert titles["completion-credit"] and "Kỹ năng số cơ bản / Basic digital skills" not in titles["completion-credit"]
    saved = dict(scenarios.SCENARIOS)  # the workbench's global registry: put it back for other tests
    scenarios.SCENARIOS.clear()
    try:
        for tag, block_class in classes.items():
            scenarios.add_class_scenarios(tag, block_class, fail_silently=False)
            assert [scenario.description for key, scenario in sorted(scenarios.SCENARIOS.items())
                    if key.startswith(f"{tag}.")] == titles[tag]
    finally:
        scenarios.SCENARIOS.clear()
        scenarios.SCENARIOS.update(saved)
