"""URLs under /learning-citizen/credentials/ (the LMS mounts them through the plugin's url_config)."""
from django.urls import path

from . import views

app_name = "learning_citizen_credentials"

urlpatterns = [
    path("issuer", views.issuer, name="issuer"),
    path("keys/<str:thumbprint>", views.key, name="key"),
    path("status/<uuid:list_id>", views.status, name="status"),
    path("frameworks/<str:framework_id>/<str:version>", views.framework, name="framework"),
    path("achievements/<str:framework_id>/<str:version>/<str:period>", views.achievement, name="achievement"),
]
