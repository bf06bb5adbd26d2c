"""URLs under /learning-citizen/evidence/ (the LMS mounts them through the app's plugin url_config)."""
from django.urls import path

from . import views

app_name = "learning_citizen_evidence"

urlpatterns = [
    path("desk", views.desk, name="desk"),
]
