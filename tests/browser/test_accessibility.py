"""
axe-core (npm, injected by Playwright) finds no serious or critical violation on any view of any
block, in the Studio editors, on the demo's own pages and on the report, at 1280 px and at 390 px,
in Vietnamese and in English; every page has a viewport and the request's language, and none
scrolls sideways.

With LEARNING_CITIZEN_SCREENSHOTS=<folder> (`make screenshots`) each view is also photographed
there as <view>-<lang>-<width>.png, the pictures the guides show.
"""
import os
from pathlib import Path

import pytest

from tests.browser.axe import axe_violations, describe
from tests.browser.conftest import sign_in_as_demo_administrator

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]

LANGUAGES = {"vi": "vi-VN", "en": "en-US"}
SIZES = {1280: 800, 390: 844}
SCREENSHOTS = os.environ.get("LEARNING_CITIZEN_SCREENSHOTS")


def start_attempt(page):
    page.locator(".lc-sa button[data-action='start'], .lc-sa button").first.click()
    page.locator(".lc-sa fieldset.lc-sa-item").first.wait_for()


def look_up_learner(page):
    page.locator(".lc-standing__lookup input").first.fill("103")
    page.locator(".lc-standing__lookup button").first.click()
    page.wait_for_function("document.querySelector('h3.lc-standing__heading').textContent.includes('103')")


# (name, address, what to do before checking). Learners 101 (recognised) and 103 (not yet) come
# with the demo's data; "staff" is course staff in the workbench.
VIEWS = (
    ("scenarios", "/", None),
    ("course", "/scenario/course.0/?student=101", None),
    ("completion-credit", "/scenario/completion-credit.0/?student=101", None),
    ("completion-credit-editor", "/scenario/completion-credit.1/studio_view/?student=staff", None),
    ("completion-credit-author", "/scenario/completion-credit.1/author_view/?student=staff", None),
    ("skills-assessment", "/scenario/skills-assessment.0/?student=101", None),
    ("skills-assessment-attempt", "/scenario/skills-assessment.0/?student=105", start_attempt),
    ("skills-assessment-editor", "/scenario/skills-assessment.0/studio_view/?student=staff", None),
    ("skills-assessment-author", "/scenario/skills-assessment.0/author_view/?student=staff", None),
    ("evidence-learner", "/scenario/evidence-declaration.0/?student=101", None),
    ("evidence-review", "/scenario/evidence-declaration.0/?student=staff", None),
    ("evidence-editor", "/scenario/evidence-declaration.0/studio_view/?student=staff", None),
    ("evidence-author", "/scenario/evidence-declaration.0/author_view/?student=staff", None),
    ("standing", "/scenario/learning-citizen-standing.0/?student=101", None),
    ("standing-staff", "/scenario/learning-citizen-standing.0/?student=staff", look_up_learner),
    ("standing-author", "/scenario/learning-citizen-standing.0/author_view/?student=staff", None),
    ("sign-in", "/accounts/login/", None),
    ("reports", "/learning-citizen/reports/", None),
    ("report", "/learning-citizen/reports/report?period=2026&area=province:48", None),
)


@pytest.mark.parametrize("width", sorted(SIZES))
@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_no_serious_or_critical_violation_on_any_view(demo, new_page, language, width):
    page = new_page(locale=LANGUAGES[language], width=width, height=SIZES[width])
    sign_in_as_demo_administrator(page, demo)
    failures, wrong_language, no_viewport, too_wide = {}, [], [], []
    for name, address, prepare in VIEWS:
        response = page.goto(demo + address)
        assert response.status == 200, f"{name}: {address} answered {response.status}"
        page.wait_for_load_state("networkidle")
        if prepare:
            prepare(page)
        if page.evaluate("document.documentElement.lang") != language:
            wrong_language.append(name)
        if not page.locator("meta[name=viewport][content*='width=device-width']").count():
            no_viewport.append(name)
        if page.evaluate("document.documentElement.scrollWidth") > width:  # WCAG 1.4.10: no sideways scrolling
            too_wide.append(name)
        found = axe_violations(page)
        if found:
            failures[name] = describe(found)
        if SCREENSHOTS:
            folder = Path(SCREENSHOTS)
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"{name}-{language}-{width}.png"))
    assert not wrong_language, f"pages whose lang is not {language}: {wrong_language}"
    assert not no_viewport, f"pages without a viewport: {no_viewport}"
    assert not too_wide, f"pages wider than {width} px: {too_wide}"
    assert not failures, "\n".join(f"{name}:\n{text}" for name, text in failures.items())
