"""
The workbench's own pages around the SDK's: the words its page templates show (a context
processor, in the suite's XBlock catalogue, since the workbench app has no Django catalogue), and
the demo's sign-in.

The demo has no accounts: the staff pages of the reports app send anonymous visitors to
``/accounts/login/``, where this sign-in offers one button that signs in as the demo
administrator (a superuser without a password, created on first use). It exists only in the
workbench's URLs, never in an LMS, which has its own sign-in.
"""
from importlib import resources

from django.contrib.auth import get_user_model, login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from xblocks.common.mixins import CATALOGUE_DIRECTORY, BlockTranslator, shipped_language
from xblocks.criteria.problems import N_

DEMO_ADMINISTRATOR = "demo-admin"
REPORTS_INDEX = "learning_citizen_reports:index"

TEXTS = {
    "site": N_("Learning Citizen demo"),
    "site_navigation": N_("Demo pages"),
    "scenarios": N_("Scenarios"),
    "scenario_list": N_("The suite's blocks and the sample course"),
    "reports": N_("Exports and reports (staff)"),
    "views": N_("Views of this block"),
    "learner_hint": N_("Add ?student=101 (or any name) to the address to act as that learner; ?student=staff to review."),
    "reset": N_("Reset the blocks' state"),
    "sign_in_title": N_("Sign in to the demo"),
    "sign_in_intro": N_("This demo has no accounts. The exports and the report are for staff: "
                        "sign in as the demo administrator to open them."),
    "sign_in_button": N_("Sign in as the demo administrator"),
}


def _translator():
    return BlockTranslator(str(resources.files("xblocks") / CATALOGUE_DIRECTORY))


def workbench_texts():
    """The page words in the active language: ``{key: text}``."""
    translator = _translator()
    return {key: translator.gettext(message) for key, message in TEXTS.items()}


def workbench_page(request):  # pylint: disable=unused-argument
    """Context processor: ``lc_text`` (the page words) and ``lc_language`` (``vi`` or ``en``, for ``lang``)."""
    return {"lc_text": workbench_texts(), "lc_language": shipped_language()}


def _next_address(request):
    chosen = request.POST.get("next") or request.GET.get("next") or ""
    if chosen and url_has_allowed_host_and_scheme(chosen, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return chosen
    return reverse(REPORTS_INDEX)


@require_http_methods(["GET", "POST"])
def demo_sign_in(request):
    """GET: what this is and one button; POST: sign in as the demo administrator and go on to ``next``."""
    next_address = _next_address(request)
    if request.method == "POST":
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_ADMINISTRATOR, defaults={"is_staff": True, "is_superuser": True, "is_active": True})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_address)
    return render(request, "learning_citizen_workbench/sign_in.html", {"next": next_address})
