"""/call-backs/ (the hotline's list), /call-backs/samples/ (抽件回访), /appeals/ (申诉复核)."""
from django.urls import path

from duban.verdict import views

app_name = "verdict"
urlpatterns = [
    path("call-backs/", views.call_backs, name="call_backs"),
    path("call-backs/<int:pk>/take/", views.assign, name="take"),
    path("call-backs/samples/", views.samples, name="samples"),
    path("call-backs/samples/<int:pk>/", views.sample, name="sample"),
    path("appeals/", views.appeals, name="appeals"),
]
