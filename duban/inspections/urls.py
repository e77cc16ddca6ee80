"""Staff: /inspections/ (the rounds; supervisors create one), /inspections/<pk>/ (a round, its visits,
findings and report), /inspections/<pk>/visit/ (record a visit: the round's team),
/inspections/<pk>/report.xlsx, /inspections/photos/<pk>/ (a visit's photo)."""
from django.urls import path

from duban.inspections import views

app_name = "inspections"
urlpatterns = [
    path("inspections/", views.index, name="index"),
    path("inspections/<int:pk>/", views.round_page, name="round"),
    path("inspections/<int:pk>/visit/", views.visit, name="visit"),
    path("inspections/<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("inspections/photos/<int:pk>/", views.photo, name="photo"),
]
