"""
The standing page names credit as learners know it and says what would close each shortfall:
inside the LMS (platform doubles, tests/platform) by the modulestore's titles and jump-to links,
in the workbench by scenario titles and scenario links, and declarations by their titles.
"""
import hashlib
from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from opaque_keys.edx.keys import CourseKey

from tests.factories import credit_event
from tests.platform.modulestore_django import ModuleStoreDouble, modulestore_module, named_block
from xblocks import compat
from xblocks.common.credit import give_credit
from xblocks.common.mixins import BlockTranslator, translations_dir
from xblocks.common.places import Place
from xblocks.criteria.frameworks import get_framework
from xblocks.ledger import api
from xblocks.ledger.models import CourseCreditRule
from xblocks.standing.block import StandingBlock
from xblocks.standing.presentation import panel_context

COURSE = CourseKey.from_string("course-v1:LC+CDHT+2026")
LAW = CourseKey.from_string("course-v1:LC+PL101+2026")
READING = COURSE.make_usage_key("html", "reading")
QUIZ = COURSE.make_usage_key("learning-citizen-completion-credit", "quiz")
FRAMEWORK = get_framework("learning-citizen-2021-2030")
STANDING_USAGE = "learning-citizen-standing.learning-citizen-standing.d0.u0"


def jump(course, usage=None):
    return f"/courses/{course}/jump_to/{usage or course.make_usage_key('course', 'course')}"


def credit(user_id, indicator, points, *, kind="completion", course="", usage=None, evidence=()):
    event = credit_event(learner={"user_id": user_id, "anonymous_id": f"anon-{user_id}"}, indicator=indicator,
                         points=points, source={"kind": kind, "course_key": str(course), "usage_key": usage and str(usage)},
                         evidence=list(evidence))
    return api.append(event).entry


def context_for(user_id, language="en"):
    """The panel's context as the block builds it, in ``language`` (the blocks' catalogue, as the block reads it)."""
    translator = BlockTranslator(translations_dir(StandingBlock))
    with translation.override(language):
        return panel_context(
            translator.gettext, framework=FRAMEWORK, standing=api.standing(user_id, "2026", FRAMEWORK.id),
            entries=list(api.entries(user_id=user_id, period="2026", framework_id=FRAMEWORK.id)), periods=["2026"],
            viewer_is_learner=True, learner_label="", credential_url="", dom_id="panel", ngettext=translator.ngettext,
            learner_id=user_id)


@pytest.fixture
def lms_store(platform):
    store = ModuleStoreDouble(
        {READING: named_block("Đọc: Tìm kiếm thông tin tin cậy"), QUIZ: named_block("Kiểm tra cuối bài")},
        courses={COURSE: named_block("Công dân số"), LAW: named_block("Pháp luật cơ bản")})
    platform(modulestore_module(store))
    return store


# --- compat: titles and links in the LMS ---------------------------------------------------------------

def test_compat_names_courses_and_blocks_from_the_store_and_links_to_jump_to(lms_store):
    assert compat.course_title(COURSE) == compat.course_title(str(COURSE)) == "Công dân số"
    assert compat.block_title(str(READING)) == "Đọc: Tìm kiếm thông tin tin cậy"
    assert compat.course_title("course-v1:LC+Nope+2026") is None
    assert compat.block_title(COURSE.make_usage_key("problem", "gone")) is None
    assert compat.block_title("not a key") is None and compat.course_title("not a key") is None
    assert compat.jump_to_url(str(COURSE), str(READING)) == f"/courses/{COURSE}/jump_to/{READING}"
    assert compat.jump_to_url(COURSE) == f"/courses/{COURSE}/jump_to/block-v1:LC+CDHT+2026+type@course+block@course"


def test_outside_the_platform_there_are_no_titles_or_jump_to_links():
    assert compat.course_title(COURSE) is None and compat.block_title(READING) is None
    assert compat.jump_to_url(COURSE, READING) is None


# --- the panel in the LMS ------------------------------------------------------------------------------

@pytest.mark.database
@pytest.mark.django_db
def test_in_the_lms_credit_shows_titles_linked_and_never_keys(lms_store):
    credit(801, "1", 4, course=COURSE, usage=READING)
    found = context_for(801)["credits"][0]
    assert found["course"] == Place("Công dân số", jump(COURSE))
    assert found["activity"] == Place("Đọc: Tìm kiếm thông tin tin cậy", jump(COURSE, READING))
    assert found["change"] == "+4 points"


@pytest.mark.database
@pytest.mark.django_db
def test_in_the_lms_each_shortfall_links_the_blocks_and_courses_that_credit_it(lms_store):
    credit(802, "5", 3, course=COURSE, usage=QUIZ)  # another learner: the quiz credits indicator 5
    credit(801, "1", 1, course=COURSE, usage=READING)
    CourseCreditRule.objects.create(course_key=str(LAW), indicator="5", points=Decimal("3"))
    context = context_for(801)
    assert context["below"][4] == {"code": "5", "title": context["rows"][4]["title"], "anchor": "panel-next-5"}
    steps = {step["code"]: step for step in context["next_steps"]}
    assert {way["title"]: way["url"] for way in steps["5"]["ways"]} == {
        "Pháp luật cơ bản": jump(LAW), "Kiểm tra cuối bài": jump(COURSE, QUIZ)}
    assert [way["kind"] for way in steps["5"]["ways"]] == ["Course", "Course content"]
    # Completion credit is earned once: the reading the learner already completed is not offered again.
    assert "Đọc: Tìm kiếm thông tin tin cậy" not in {way["title"] for way in steps["1"]["ways"]}
    assert steps["1"]["need"] == "4 more points needed to reach the minimum of 5."
    # The same allowance for every indicator: said once, above the steps, not on each.
    assert context["next_once"]["declarations"].startswith(
        "Declarations with evidence may add up to 10 more points this period: Course taken elsewhere, Certificate, Reading")
    assert all(step["declarations"] == "" for step in steps.values())
    assert context["next_once"]["nowhere"] == "No activity or course on this site credits indicators 1, 2, 3, 4, 6, 7, 8, 9, 10 yet."
    assert context["reasons"] == ["The total is 79 points short."]


@pytest.mark.database
@pytest.mark.django_db
def test_points_read_with_plural_forms(lms_store):
    credit(803, "1", 1, course=COURSE, usage=READING)
    credit(803, "2", Decimal("4.5"), course=COURSE, usage=QUIZ)
    context = context_for(803)
    assert [item["change"] for item in context["credits"]] == ["+1 point", "+4.5 points"]
    steps = {step["code"]: step for step in context["next_steps"]}
    assert steps["2"]["need"] == "0.5 more points needed to reach the minimum of 5."
    assert context_for(803, "vi")["credits"][0]["change"] == "+1 điểm"


# --- the workbench: scenario titles and links --------------------------------------------------------

def _scenario(prefix):
    from workbench.scenarios import get_scenarios  # pylint: disable=import-outside-toplevel
    return next((name, scenario) for name, scenario in sorted(get_scenarios().items()) if name.startswith(prefix))


@pytest.mark.database
@pytest.mark.django_db
def test_in_the_workbench_credit_and_next_steps_name_and_link_the_scenario(page):
    name, scenario = _scenario("completion-credit")
    page("811")  # loads the scenarios
    credit(811, "5", 3, usage=scenario.usage_id)
    credit(812, "1", 2)
    mine = page("811")
    # Named by the block's display name (the scenario's title when it cannot be loaded), linked to its scenario.
    assert f'<a href="/scenario/{name}/">Completion credit: listed blocks (Ghi nhận theo danh sách nội dung)</a>' in mine
    assert scenario.usage_id not in mine
    other = page("812")
    step = other.split('-next-5" tabindex')[1].split('class="lc-standing__step"')[0]
    assert f'href="/scenario/{name}/"' in step and "Where to earn it on this site:" in step
    # The same allowance for every indicator, and the indicators nothing credits: each said once.
    assert other.count("Declarations with evidence may add up to 10 more points this period") == 1
    assert other.count("No activity or course on this site credits") == 1
    assert "Σ" not in other and ">Total</text>" in other


@pytest.mark.database
@pytest.mark.django_db
def test_a_declaration_is_named_by_its_title_and_its_files_by_their_names(page):
    from xblocks.evidence.models import Declaration, EvidenceFile  # pylint: disable=import-outside-toplevel
    evidence_name, evidence = _scenario("evidence-declaration")
    page("821")
    declaration = Declaration.objects.create(
        user_id=821, usage_key=evidence.usage_id, framework_id=FRAMEWORK.id, framework_version="1.0.0",
        policy_id="learning-citizen-declared", policy_version="1.0.0", indicators=["7"], kind="reading",
        title="Đọc sách Luật Giao thông", activity_date=datetime(2026, 2, 1).date(), period="2026", hours=Decimal("3"),
        description="…", indicator_codes="|7|", fingerprint="f" * 64, status=Declaration.Status.APPROVED)
    stored = EvidenceFile.objects.create(declaration=declaration, storage_name="x", original_name="bien-nhan.pdf",
                                         content_type="application/pdf", size=10, sha256=hashlib.sha256(b"x").hexdigest())
    give_credit(source_kind="declaration", discriminator=str(declaration.uuid), user_id=821, framework=FRAMEWORK,
                indicator="7", points=Decimal("4"), provenance="declared", assurance="staff-reviewed",
                occurred_at=timezone.make_aware(datetime(2026, 2, 1, 12)), usage_key=evidence.usage_id,
                evidence=[{"uri": stored.uri, "sha256": stored.sha256}, {"uri": "https://example.vn/bai-viet"}])
    html = page("821", "vi")
    assert "Đọc sách Luật Giao thông" in html and "bien-nhan.pdf" in html
    assert '<a href="https://example.vn/bai-viet" rel="noopener noreferrer">https://example.vn/bai-viet</a>' in html
    assert "urn:uuid:" not in html and str(declaration.uuid) not in html
    assert f'href="/scenario/{evidence_name}/"' in html  # where it was declared, and where to declare more
    assert "+4 điểm" in html and "Kê khai có minh chứng có thể cộng thêm tối đa 10 điểm trong kỳ này" in html
