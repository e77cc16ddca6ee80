"""django-helpdesk at the root of the peer's site (its staff pages, its REST API at /api/), the admin beside it."""
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
