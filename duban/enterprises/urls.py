"""/enterprises/ (the register), /enterprises/new, /enterprises/<pk>/ (a firm) and its forms."""
from django.urls import path

from duban.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("enterprises/", views.index, name="index"),
    path("enterprises/new", views.new, name="new"),
    path("enterprises/<int:pk>/", views.detail, name="detail"),
    path("enterprises/<int:pk>/visits/", views.visit, name="visit"),
    path("enterprises/<int:pk>/cadre/", views.assign, name="assign"),
]
