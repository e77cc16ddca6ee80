"""/bulletins/?month=YYYY-MM (bulletin:page) and /bulletins/YYYY-MM.docx|pdf|xlsx (bulletin:download,
kwargs month and format)."""
from django.urls import path, re_path

from duban.bulletin import views

app_name = "bulletin"
urlpatterns = [
    path("bulletins/", views.page, name="page"),
    re_path(r"^bulletins/(?P<month>\d{4}-\d{2})\.(?P<format>docx|pdf|xlsx)$", views.download, name="download"),
]
