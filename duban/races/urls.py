"""Staff: /races/ (the indicators), /races/<code>/ (a board), /races/<code>/enter/, /races/import/.
Everyone: /board/races/<code>/."""
from django.urls import path

from duban.races import views

app_name = "races"
urlpatterns = [
    path("races/", views.index, name="index"),
    path("races/import/", views.import_values, name="import"),
    path("races/import/template.xlsx", views.template, name="template"),
    path("races/<slug:code>/", views.board, name="board"),
    path("races/<slug:code>/enter/", views.enter, name="enter"),
    path("board/races/<slug:code>/", views.public_board, name="public_board"),
]
