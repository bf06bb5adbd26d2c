"""URLs under /learning-citizen/reports/ (the LMS mounts them through the plugin's url_config)."""
from django.urls import path

from . import views

app_name = "learning_citizen_reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("export", views.export, name="export"),
    path("report", views.report, name="report"),
]
