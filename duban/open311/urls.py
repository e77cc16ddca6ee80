"""Open311 GeoReport v2, mounted at /open311/v2/. The format is the extension; nothing redirects."""
from django.urls import path, re_path, register_converter

from duban.open311 import views


class FormatConverter:
    regex = "xml|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "open311_format")

app_name = "open311"
urlpatterns = [
    path("discovery.<open311_format:fmt>", views.discovery, name="discovery"),
    path("services.<open311_format:fmt>", views.services, name="services"),
    path("services/<str:code>.<open311_format:fmt>", views.service_definition, name="service"),
    path("service/<str:code>.<open311_format:fmt>", views.service_definition),  # an old client's spelling
    path("requests.<open311_format:fmt>", views.requests, name="requests"),
    path("requests/<str:number>.<open311_format:fmt>", views.request_detail, name="request"),
    path("tokens/<str:token>.<open311_format:fmt>", views.token, name="token"),
    path("servicerequestupdates.<open311_format:fmt>", views.updates, name="updates"),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
