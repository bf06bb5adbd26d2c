"""
The blocks' messages come out in Vietnamese and English when the LMS's i18n service is the one that
finds them: a double of ``XBlockI18nService`` that looks catalogues up exactly as the platform does
(tests/platform/modulestore_django.py), with the suite's own lookup switched off, so that what the
page shows proves the catalogue is where the platform reads it.
"""
import re
import shutil
from itertools import count

import pytest
from django.utils import translation
from workbench.runtime import WorkbenchRuntime

from tests.platform.modulestore_django import ATLAS_ROOT, LmsI18nRuntime, XBlockI18nService
from tests.translations import XBLOCK_CATALOGUES
from xblocks.common import mixins
from xblocks.completion_credit.block import CompletionCreditBlock
from xblocks.criteria.problems import N_, Problem
from xblocks.evidence.block import EvidenceBlock
from xblocks.skills_assessment.block import SkillsAssessmentBlock
from xblocks.standing.block import StandingBlock

_SCENARIOS = count(1)
BLOCKS = {  # the OLX tag (setup.py's xblock.v1 entry points) and a message of its student view, vi and en
    "completion-credit": ("Kiểm tra tiến độ của tôi", "Check my progress"),
    "evidence-declaration": ("Kê khai một hoạt động học tập", "Declare a learning activity"),
    "skills-assessment": ("Thời gian làm bài: 30 phút.", "Time limit: 30 minutes."),
    "learning-citizen-standing": ("Kỳ đánh giá", "Assessment period"),
}
BLOCK_CLASSES = (CompletionCreditBlock, EvidenceBlock, SkillsAssessmentBlock, StandingBlock)


@pytest.fixture(autouse=True)
def platform_settings(settings, tmp_path):
    """The settings the service reads: no atlas catalogue pulled, no JavaScript catalogue compiled."""
    settings.REPO_ROOT = tmp_path / "edx-platform"
    settings.STATICI18N_ROOT = tmp_path / "static-i18n"
    return settings


@pytest.fixture
def only_the_platforms_lookup(monkeypatch, tmp_path):
    """The suite's translator finds no catalogue of its own: only the runtime's service can translate."""
    monkeypatch.setattr(mixins, "translations_dir", lambda block_class: str(tmp_path / "no-catalogue"))


@pytest.fixture(scope="module", autouse=True)
def workbench_support():
    from xblocks.workbench.support import install_workbench_support  # pylint: disable=import-outside-toplevel
    install_workbench_support()


def student_view(runtime_class, tag, language):
    runtime = runtime_class("101")
    runtime.id_generator.set_scenario(f"lms-i18n-{next(_SCENARIOS)}")
    block = runtime.get_block(runtime.parse_xml_string(f"<{tag}/>"))
    with translation.override(language):
        return re.sub(r"\s+", " ", runtime.render(block, "student_view", {}).body_html())


@pytest.mark.django_db
@pytest.mark.parametrize("tag", sorted(BLOCKS))
@pytest.mark.parametrize("language, index", [("vi", 0), ("en", 1)])
def test_each_block_speaks_through_the_platforms_service(only_the_platforms_lookup, tag, language, index):
    assert BLOCKS[tag][index] in student_view(LmsI18nRuntime, tag, language)


@pytest.mark.django_db
@pytest.mark.parametrize("tag", sorted(BLOCKS))
def test_without_the_platforms_service_the_page_is_not_vietnamese(only_the_platforms_lookup, tag):
    """The control: the SDK's own service (Django's catalogues) does not know the blocks' messages."""
    assert BLOCKS[tag][0] not in student_view(WorkbenchRuntime, tag, "vi")


@pytest.mark.parametrize("block_class", BLOCK_CLASSES)
def test_the_service_reads_the_one_catalogue_of_the_top_level_module(block_class):
    block = WorkbenchRuntime("101").construct_xblock_from_class(block_class, None)
    assert XBlockI18nService(block).get_python_locale(block) == ("text", str(XBLOCK_CATALOGUES))


@pytest.mark.parametrize("language, expected", [("vi", "Lịch sử"), ("vi-vn", "Lịch sử"), ("en-us", "History")])
def test_language_codes_become_locale_names(language, expected):
    """``vi-vn`` is looked up as ``vi_VN``, which gettext finds in ``vi/``."""
    block = WorkbenchRuntime("101").construct_xblock_from_class(EvidenceBlock, None)
    with translation.override(language):
        assert XBlockI18nService(block).gettext("History") == expected


def test_the_criteria_cores_messages_still_come_from_djangos_catalogues():
    """The service knows only the XBlock catalogue; the suite's translator goes on to the ledger's locale."""
    problem = Problem(N_("unknown criteria framework {framework}"), {"framework": "nope"})
    runtime = LmsI18nRuntime("101")
    block = runtime.construct_xblock_from_class(EvidenceBlock, None)
    with translation.override("vi"):
        assert runtime.service(block, "i18n").gettext(problem.template) == problem.template
        assert block.translator.sentence(problem) == "không có bộ tiêu chí nope"


def test_a_pulled_atlas_catalogue_comes_first(platform_settings):
    """What an operator gets after pulling OEP-58 translations: domain ``django`` under REPO_ROOT."""
    atlas = platform_settings.REPO_ROOT / ATLAS_ROOT / "xblocks"
    (atlas / "vi/LC_MESSAGES").mkdir(parents=True)
    shutil.copy(XBLOCK_CATALOGUES / "vi/LC_MESSAGES/text.mo", atlas / "vi/LC_MESSAGES/django.mo")
    block = WorkbenchRuntime("101").construct_xblock_from_class(StandingBlock, None)
    with translation.override("vi"):
        service = XBlockI18nService(block)
        assert service.get_python_locale(block) == ("django", atlas)
        assert service.gettext("Assessment period") == "Kỳ đánh giá"


def test_every_block_gets_the_same_javascript_catalogue(platform_settings):
    """One file per top-level module, so one namespace for every block (nothing is compiled by default)."""
    blocks = [WorkbenchRuntime("101").construct_xblock_from_class(block_class, None) for block_class in BLOCK_CLASSES]
    with translation.override("vi"):
        assert {XBlockI18nService(block).get_javascript_i18n_catalog_url(block) for block in blocks} == {None}
        compiled = platform_settings.STATICI18N_ROOT / "js/xblock.v1-i18n/xblocks/vi.js"
        compiled.parent.mkdir(parents=True)
        compiled.write_text("// compiled by the platform's compile_xblock_translations", "utf-8")
        urls = {XBlockI18nService(block).get_javascript_i18n_catalog_url(block) for block in blocks}
    assert len(urls) == 1 and urls.pop().endswith("js/xblock.v1-i18n/xblocks/vi.js")
    assert {block_class.get_i18n_js_namespace() for block_class in BLOCK_CLASSES} == {mixins.I18N_JS_NAMESPACE}
