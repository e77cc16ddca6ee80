"""Staff: /surveys/ (the list), /surveys/new/, /surveys/<pk>/edit/ (the builder and its POSTs),
/surveys/<pk>/invitations/ (make a batch: links and QR codes), /surveys/<pk>/results/ and
/surveys/<pk>/results.xlsx. Public: /s/<token>/, the questionnaire behind an invitation."""
from django.urls import path

from duban.surveys import views

app_name = "surveys"
urlpatterns = [
    path("surveys/", views.index, name="index"),
    path("surveys/new/", views.new, name="new"),
    path("surveys/<int:pk>/edit/", views.edit, name="edit"),
    path("surveys/<int:pk>/questions/", views.add_question, name="add_question"),
    path("surveys/<int:pk>/questions/<int:question_pk>/", views.question, name="question"),
    path("surveys/<int:pk>/choices/<int:choice_pk>/", views.choice, name="choice"),
    path("surveys/<int:pk>/status/", views.status, name="status"),
    path("surveys/<int:pk>/invitations/", views.invitations, name="invitations"),
    path("surveys/<int:pk>/invitations/links.xlsx", views.links_xlsx, name="links_xlsx"),
    path("surveys/<int:pk>/results/", views.results, name="results"),
    path("surveys/<int:pk>/results.xlsx", views.results_xlsx, name="results_xlsx"),
    path("s/<str:token>/", views.answer, name="answer"),
]
