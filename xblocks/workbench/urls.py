"""The workbench's URLs plus what an LMS serves through the credentials, reports and evidence apps' plugin url_config, and the demo's sign-in."""
from django.urls import include, path
from workbench.urls import urlpatterns as workbench_urlpatterns

from .pages import demo_sign_in

urlpatterns = [
    path("learning-citizen/credentials/", include(("xblocks.credentials.urls", "learning_citizen_credentials"))),
    path("learning-citizen/reports/", include(("xblocks.reports.urls", "learning_citizen_reports"))),
    path("learning-citizen/evidence/", include(("xblocks.evidence.urls", "learning_citizen_evidence"))),
    # Where Django sends anonymous visitors of the staff pages (LOGIN_URL): the demo's sign-in.
    path("accounts/login/", demo_sign_in, name="learning_citizen_demo_sign_in"),
    *workbench_urlpatterns,
]
