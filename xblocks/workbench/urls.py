"""The workbench's URLs plus what an LMS serves through the credentials app's plugin url_config."""
from django.urls import include, path
from workbench.urls import urlpatterns as workbench_urlpatterns

urlpatterns = [
    path("learning-citizen/credentials/", include(("xblocks.credentials.urls", "learning_citizen_credentials"))),
    path("learning-citizen/reports/", include(("xblocks.reports.urls", "learning_citizen_reports"))),
    *workbench_urlpatterns,
]
