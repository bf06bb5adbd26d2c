"""Authoring: Studio validation and saving, OLX round trip, the author preview, the workbench scenario."""
import json
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from lxml import etree

from tests.skills_assessment.conftest import olx
from xblocks.criteria.documents import load_fixture
from xblocks.skills_assessment.block import SkillsAssessmentBlock

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def messages(assess, usage):
    return [message.text for message in assess.block(usage, "author").validate().messages]


def test_the_default_configuration_is_valid(assess):
    assert messages(assess, assess.load()) == []


@pytest.mark.parametrize("attributes, expected", [
    ({"blueprint": "1.1:3"}, "1.1: the blueprint asks for 3 items but the bank has 2"),
    ({"blueprint": "7:1"}, "7 is neither a domain nor a competence of circular-02-2025"),
    ({"blueprint": "*"}, "write each blueprint rule as code:count"),
    ({"blueprint": " "}, "the blueprint is empty"),
    ({"item_bank": "nope"}, "unknown item bank nope"),
    ({"scale": "nope"}, "unknown proficiency scale nope"),
    ({"attempt_policy": "best"}, "unknown attempt policy best"),
    ({"max_attempts": "-1"}, "the number of attempts cannot be negative"),
    ({"time_limit_minutes": "601"}, "the time limit is a number of minutes from 0 (none) to 600"),
    ({"weight": "-2"}, "the weight cannot be negative"),
    ({"course_links": "9.9 | https://x.example/c"}, "line 1: course_links: 9.9 is neither a domain nor a competence"),
    ({"course_links": "4.2 | ftp://x.example/c"}, "the address ftp://x.example/c must start with https://, http:// or /"),
    ({"course_links": "4.2 https://x.example/c"}, "write each course link as code | address | title"),
])
def test_studio_validation_names_each_problem(assess, attributes, expected):
    found = messages(assess, assess.load(**attributes))
    assert any(expected in message for message in found), found


def test_a_pasted_item_bank_is_validated(assess):
    usage = assess.load()
    block = assess.block(usage, "author")
    broken = load_fixture("item-banks/learning-citizen-digital-skills.json", "item-bank")
    broken["items"][1]["key"] = "z"               # a single-choice item
    broken["items"][2]["competences"] = ["9.9"]
    status, body = call_studio(assess, usage, {"item_bank_json": json.dumps(broken)})
    assert status == 400
    text = json.dumps(body, ensure_ascii=False)
    assert "competence 9.9 is not in circular-02-2025 1.0.0" in text
    assert "the key z is not one of the item's options" in text
    assert assess.block(usage, "author").item_bank_json == "" and block.item_bank_json == ""


def call_studio(assess, usage, values):
    return assess.call(usage, "submit_studio_edits", {"values": values, "defaults": []}, user="staff")


def test_studio_saves_a_valid_configuration(assess):
    usage = assess.load()
    status, body = call_studio(assess, usage, {"blueprint": "*:1, 6:3", "max_attempts": 5, "attempt_policy": "average",
                                               "course_links": "6 | /courses/ai | AI basics"})
    assert (status, body) == (200, {"result": "success"})
    block = assess.block(usage, "author")
    assert (block.blueprint, block.max_attempts, block.attempt_policy) == ("*:1, 6:3", 5, "average")


def test_studio_refuses_an_invalid_configuration_and_keeps_the_old_one(assess):
    usage = assess.load()
    status, body = call_studio(assess, usage, {"blueprint": "4.2:5"})
    assert status == 400 and "4.2: the blueprint asks for 5 items but the bank has 2" in json.dumps(body)
    assert assess.block(usage, "author").blueprint == "*:1"


def test_the_studio_editor_lists_the_fields_with_choices(assess):
    html = assess.view(assess.load(), "author", view="studio_view")
    for name in SkillsAssessmentBlock.editable_fields:
        assert f'data-field-name="{name}"' in html
    assert "learning-citizen-digital-skills 1.0.0" in html and "digcompsat-bands 1.0.0" in html


def test_the_author_preview_summarises_the_configuration(assess):
    html = assess.view(assess.load(), "author", view="author_view")
    assert "Questions per form" in html and "24 / 24" in html and "multiple-response: 5" in html
    broken = assess.view(assess.load(blueprint="1.1:3"), "author", view="author_view")
    assert "Fix these before learners can take the assessment" in broken and "1.1: the blueprint asks" in broken


def test_learners_see_no_configuration_problems_but_staff_do(assess):
    usage = assess.load(blueprint="1.1:3")
    learner = assess.view(usage, "101")
    assert "not set up correctly yet" in learner and "blueprint" not in learner
    assert "1.1: the blueprint asks" in assess.view(usage, "staff")


# -- OLX ---------------------------------------------------------------------------------------------

def export(assess, usage):
    from io import BytesIO  # pylint: disable=import-outside-toplevel
    block = assess.block(usage, "author")
    out = BytesIO()
    block.runtime.export_to_xml(block, out)
    return out.getvalue()


def test_olx_round_trip_keeps_every_authored_field(assess):
    bank = load_fixture("item-banks/learning-citizen-digital-skills.json", "item-bank")
    bank["items"] = bank["items"][:12]
    source = olx(display_name="Kỹ năng số & an toàn", blueprint="1:2, 2.1:1", scale="digcompsat-bands",
                 time_limit_minutes="25", max_attempts="4", attempt_policy="average", weight="2.5", award_credit="false",
                 course_links="4.2 | https://lms.example/c/1 | Dữ liệu cá nhân\n6 | /courses/ai | AI").replace(
        "</skills-assessment>", f"<option:item_bank_json>{escape(json.dumps(bank, ensure_ascii=False))}</option:item_bank_json>"
                                "</skills-assessment>")
    first = assess.load(source)
    exported = export(assess, first)
    again = assess.load(exported)
    fields = ("display_name", "item_bank", "item_bank_json", "blueprint", "scale", "time_limit_minutes", "max_attempts",
              "attempt_policy", "weight", "award_credit", "course_links")
    a, b = assess.block(first, "author"), assess.block(again, "author")
    assert {f: getattr(a, f) for f in fields} == {f: getattr(b, f) for f in fields}
    assert json.loads(b.item_bank_json)["items"][0]["id"] == bank["items"][0]["id"]
    assert b.validate().messages == []
    root = etree.fromstring(exported)
    assert root.tag == "skills-assessment" and root.get("blueprint") == "1:2, 2.1:1"


def test_the_workbench_scenario_loads_and_is_valid(assess):
    scenarios = SkillsAssessmentBlock.workbench_scenarios()
    assert scenarios and all(title and xml.strip().startswith("<skills-assessment") for title, xml in scenarios)
    for _title, xml in scenarios:
        usage = assess.load(xml)
        assert messages(assess, usage) == []
        assert "Start the assessment" in assess.view(usage)


def test_the_scenario_file_is_packaged():
    folder = Path(SkillsAssessmentBlock.__module__.replace(".", "/")).parent
    assert (Path(__file__).resolve().parents[2] / folder / "scenarios").is_dir()
