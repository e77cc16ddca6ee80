"""Staff: /rankings/, /dashboard/. Everyone: /board/ (晾晒台)."""
from django.urls import path

from duban.figures import views

app_name = "figures"
urlpatterns = [
    path("rankings/", views.rankings, name="rankings"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("board/", views.board, name="board"),
]
