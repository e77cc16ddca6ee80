from django.contrib import admin
from django.urls import include, path

from duban.api.api import api

admin.site.site_header = "督办 duban"
admin.site.site_title = "督办 duban"
admin.site.index_title = "台账管理 Ledger administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/v2/", include("duban.open311.urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the switch between 中文 and English
    path("", include("duban.verdict.urls")),
    path("", include("duban.figures.urls")),
    path("", include("duban.races.urls")),
    path("", include("duban.assessment.urls")),
    path("", include("duban.bulletin.urls")),
    path("", include("duban.projects.urls")),
    path("", include("duban.campaigns.urls")),
    path("", include("duban.inspections.urls")),
    path("", include("duban.surveys.urls")),
    path("", include("duban.enterprises.urls")),
    path("", include("duban.web.urls")),
]
