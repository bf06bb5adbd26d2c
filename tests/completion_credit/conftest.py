"""
Fixtures for the completion-credit block: the suite's one harness (tests/harness.py) with the
suite's workbench support installed (completion tracking, stand-ins for the platform's course
blocks), and shortcuts for walking a course and completing its content.
"""
from types import SimpleNamespace

import pytest

from tests.harness import block_for, call, load


@pytest.fixture(scope="session", autouse=True)
def workbench_support():
    from xblocks.workbench.support import install_workbench_support  # pylint: disable=import-outside-toplevel
    install_workbench_support()


def descendants(usage_id, user="101"):
    """``{url_name: usage id}`` of every block under ``usage_id`` (the root included)."""
    found = {}
    pending = [block_for(usage_id, user)]
    while pending:
        block = pending.pop()
        name = getattr(block, "url_name", "") or str(block.scope_ids.usage_id)
        found[name] = block.scope_ids.usage_id
        if getattr(block, "has_children", False):
            pending.extend(block.get_children())
    return found


def credit_blocks(usage_id, user="101"):
    """Usage ids of the completion-credit blocks under ``usage_id``, in document order."""
    ordered = []

    def walk(block):
        if block.scope_ids.block_type == "completion-credit":
            ordered.append(block.scope_ids.usage_id)
        for child in (block.get_children() if getattr(block, "has_children", False) else ()):
            walk(child)
    walk(block_for(usage_id, user))
    return ordered


def complete(usage_id, user="101", answers=None):
    """Do what a learner does to complete a content block: view html, answer a problem."""
    block = block_for(usage_id, user)
    if block.scope_ids.block_type == "html":
        return call(block, "publish_completion", {"completion": 1.0})
    if block.scope_ids.block_type == "problem":
        if answers is None:  # the right answers
            answers = {}
            for index, (_prompt, kind, choices) in enumerate(block.questions()):
                right = [str(position) for position, (_text, correct) in enumerate(choices) if correct]
                answers[str(index)] = right if kind == "checkbox" else right[0]
        return call(block, "submit", {"answers": answers})
    raise AssertionError(f"do not know how to complete {block.scope_ids.block_type}")


helpers = SimpleNamespace(load=load, block_for=block_for, call=call, descendants=descendants,
                          credit_blocks=credit_blocks, complete=complete)


@pytest.fixture
def wb():
    return helpers


@pytest.fixture
def course(wb):
    """The sample course "Basic digital skills", loaded; names → usage ids, and its two credit blocks."""
    from xblocks.workbench.support import course_olx  # pylint: disable=import-outside-toplevel
    root = wb.load(course_olx("basic-digital-skills"))
    chapter_credit, course_credit = wb.credit_blocks(root)
    return SimpleNamespace(root=root, names=wb.descendants(root), chapter_credit=chapter_credit,
                           course_credit=course_credit)


CHAPTER_ONE = ["ch1-gioi-thieu", "ch1-video", "ch1-cau-hoi-cai-dat", "ch1-mat-khau", "ch1-cau-hoi-an-toan"]
CHAPTER_TWO = ["ch2-dich-vu-cong", "ch2-cau-hoi-trang-web"]
