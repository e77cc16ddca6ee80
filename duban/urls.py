from django.contrib import admin
from django.urls import include, path

from duban.api.api import api
from django.views.generic import RedirectView

admin.site.site_header = "督办 duban"
admin.site.site_title = "督办 duban"
admin.site.index_title = "台账管理 Ledger administration"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/v2/", include("duban.open311.urls")),
]
