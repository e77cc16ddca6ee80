"""Staff: /assessments/ (the schemes), /assessments/<pk>/?month=YYYY-MM (a month's table),
/assessments/<pk>/publish/ (POST), /assessments/<pk>/manual/?month=YYYY-MM&dimension=<code>."""
from django.urls import path

from duban.assessment import views

app_name = "assessment"
urlpatterns = [
    path("assessments/", views.index, name="index"),
    path("assessments/<int:pk>/", views.scheme, name="scheme"),
    path("assessments/<int:pk>/publish/", views.publish, name="publish"),
    path("assessments/<int:pk>/manual/", views.manual, name="manual"),
]
