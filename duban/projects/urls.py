from django.urls import path

from duban.projects import views

app_name = "projects"
urlpatterns = [
    path("projects/", views.index, name="index"),
    path("projects/race/", views.race, name="race"),
    path("projects/<int:pk>/", views.detail, name="detail"),
    path("projects/<int:pk>/review/", views.review, name="review"),
]
