"""
The shared translator every block uses: the suite's XBlock catalogue first (found as the LMS finds
it: tests/common/test_translations_in_the_lms.py), then the runtime's i18n service, then Django's
catalogues (where the ledger's locale keeps the criteria core's messages).
"""
from pathlib import Path

import pytest
from django.utils import translation
from xblock.runtime import Mixologist

from tests.harness import block_of_class
from xblocks.common.mixins import BlockTranslator, translations_dir
from xblocks.completion_credit.block import CompletionCreditBlock
from xblocks.criteria.problems import N_, Problem
from xblocks.evidence.block import EvidenceBlock
from xblocks.evidence.labels import STATUS_LABELS
from xblocks.skills_assessment.block import SkillsAssessmentBlock
from xblocks.standing.block import StandingBlock
from xblocks.workbench.platform_blocks import ContainerStandIn

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "xblocks/translations"  # one catalogue for every block of the top-level module
EMPTY_FILE = Problem(N_("\"{name}\" is empty."), {"name": "bao-cao.pdf"}, where="files")               # the evidence block's
UNKNOWN_FRAMEWORK = Problem(N_("unknown criteria framework {framework}"), {"framework": "nope"}, line=3)  # the criteria core's


@pytest.mark.parametrize("language, expected", [
    ("vi", "files: Tệp \"bao-cao.pdf\" rỗng."),
    ("en", "files: \"bao-cao.pdf\" is empty."),
])
def test_a_problem_renders_from_the_blocks_catalogue(language, expected):
    translator = block_of_class(EvidenceBlock, "101").translator
    with translation.override(language):
        assert translator.render(EMPTY_FILE) == expected
        assert translator.sentence(EMPTY_FILE) == expected.removeprefix("files: ")


@pytest.mark.parametrize("block_class", [CompletionCreditBlock, EvidenceBlock, SkillsAssessmentBlock, StandingBlock])
@pytest.mark.parametrize("language, expected", [
    ("vi", "dòng 3: không có bộ tiêu chí nope"),
    ("en", "line 3: unknown criteria framework nope"),
])
def test_a_criteria_core_problem_falls_back_to_djangos_catalogues(block_class, language, expected):
    """The criteria core's messages live in the ledger's locale, not in any block's catalogue."""
    translator = block_of_class(block_class, "101").translator
    with translation.override(language):
        assert translator.render(UNKNOWN_FRAMEWORK) == expected


def test_sentence_translates_labelled_values():
    problem = Problem(N_("This declaration can no longer be changed (it is {status})."), {"status": "approved"})
    translator = block_of_class(EvidenceBlock, "101").translator
    with translation.override("vi"):
        assert translator.sentence(problem, {"status": STATUS_LABELS}) == \
            "Bản kê khai này không thể sửa nữa (trạng thái: Đã phê duyệt)."
    with translation.override("en"):
        assert translator.sentence(problem, {"status": STATUS_LABELS}) == \
            "This declaration can no longer be changed (it is Approved)."


@pytest.mark.parametrize("block_class, message, own, global_", [
    (CompletionCreditBlock, "Credit", "Điểm ghi nhận", "Ghi nhận"),
    (EvidenceBlock, "History", "Lịch sử", "Bản ghi nhớ"),
    (SkillsAssessmentBlock, "Level", "Bậc", "Mức"),
])
def test_the_blocks_own_catalogue_comes_before_the_runtimes(block_class, message, own, global_):
    """The same short English word can mean something else in Django's catalogues (an admin page's)."""
    block = block_of_class(block_class, "101")
    with translation.override("vi"):
        assert block.runtime.service(block, "i18n").gettext(message) == global_  # the workbench's service
        assert block.translator.gettext(message) == block._(message) == block.ugettext(message) == own


class SaysEverything:
    """A runtime i18n service that knows every message (the LMS's may know more than the block ships)."""

    def gettext(self, message):
        return f"service: {message}"

    def ngettext(self, singular, plural, number):
        return f"service: {singular if number == 1 else plural}"


def test_the_runtimes_service_comes_before_djangos():
    translator = BlockTranslator(CATALOGUES, SaysEverything())
    with translation.override("vi"):
        assert translator.gettext("History") == "Lịch sử"                   # the block's catalogue
        assert translator.gettext(UNKNOWN_FRAMEWORK.template) == f"service: {UNKNOWN_FRAMEWORK.template}"
        assert translator.ngettext("{count} file", "{count} files", 2) == "service: {count} files"
    assert BlockTranslator(CATALOGUES).gettext("Nothing like this") == "Nothing like this"


def test_an_empty_message_stays_empty():
    """gettext("") would answer with the catalogue's header (Studio asks for empty help texts)."""
    with translation.override("vi"):
        assert block_of_class(EvidenceBlock, "101").ugettext("") == ""


@pytest.mark.parametrize("language, count, expected", [
    ("vi", 1, "1 câu hỏi."), ("vi", 24, "24 câu hỏi."), ("en", 1, "1 question."), ("en", 24, "24 questions."),
])
def test_plurals(language, count, expected):
    block = block_of_class(SkillsAssessmentBlock, "101")
    with translation.override(language):
        assert block.ngettext("{count} question.", "{count} questions.", count).format(count=count) == expected


def test_every_block_reads_the_catalogue_of_the_top_level_module():
    """As the LMS does: by the top-level module of the (unmixed) block class, not the block's own package."""
    mixed = Mixologist([]).mix(EvidenceBlock)  # what a runtime instantiates: a class made in xblock.runtime
    assert mixed.__module__ != EvidenceBlock.__module__
    for block_class in (mixed, CompletionCreditBlock, SkillsAssessmentBlock, StandingBlock, ContainerStandIn):
        assert Path(translations_dir(block_class)) == CATALOGUES


def test_every_block_declares_one_javascript_namespace():
    """The platform writes one JavaScript catalogue per top-level module, named by a block's namespace."""
    namespaces = {block_class.get_i18n_js_namespace()
                  for block_class in (CompletionCreditBlock, EvidenceBlock, SkillsAssessmentBlock, StandingBlock)}
    assert namespaces == {"LearningCitizenXBlocksI18n"}


@pytest.mark.parametrize("active, expected", [("vi", "Lịch sử"), ("vi-vn", "Lịch sử"), ("en-us", "History"), ("en-gb", "History")])
def test_the_catalogue_is_chosen_by_locale_name(active, expected):
    """``vi-vn`` is the locale ``vi_VN`` and ``en-gb`` ``en_GB``: gettext finds them in ``vi/`` and ``en/``."""
    with translation.override(active):
        assert BlockTranslator(CATALOGUES).gettext("History") == expected


# A language the suite does not ship gets the English page, messages and titles alike.
@pytest.mark.parametrize("active, code", [("vi", "vi"), ("vi-vn", "vi"), ("en-us", "en"), ("fr", "en")])
def test_the_language_code_for_data_titles(active, code):
    with translation.override(active):
        assert BlockTranslator("/nowhere").language == code
