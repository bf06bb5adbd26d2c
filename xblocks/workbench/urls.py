"""The workbench's URLs plus what an LMS serves through the credentials, reports and evidence apps' plugin url_config."""
from django.urls import include, path
from workbench.urls import urlpatterns as workbench_urlpatterns

urlpatterns = [
    path("learning-citizen/credentials/", include(("xblocks.credentials.urls", "learning_citizen_credentials"))),
    path("learning-citizen/reports/", include(("xblocks.reports.urls", "learning_citizen_reports"))),
    path("learning-citizen/evidence/", include(("xblocks.evidence.urls", "learning_citizen_evidence"))),
    *workbench_urlpatterns,
]
