"""Staff: /campaigns/ (the programme), /campaigns/<pk>/ (a campaign: targets, linked tickets, tasks),
its forms (link/unlink a ticket, add a task, report on a task); /pledges/manage/ (lists and pledges),
/pledges/manage/<pk>/ (a pledge and its updates). Public: /pledges/ (惠民实事, no login)."""
from django.urls import path

from duban.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("campaigns/", views.index, name="index"),
    path("campaigns/<int:pk>/", views.campaign, name="campaign"),
    path("campaigns/<int:pk>/link/", views.link, name="link"),
    path("campaigns/<int:pk>/unlink/<str:number>/", views.unlink, name="unlink"),
    path("campaigns/<int:pk>/tasks/", views.add_task, name="add_task"),
    path("campaigns/tasks/<int:pk>/report/", views.report, name="report"),
    path("pledges/", views.public_pledges, name="pledges"),
    path("pledges/manage/", views.manage_pledges, name="manage_pledges"),
    path("pledges/manage/lists/", views.add_list, name="add_list"),
    path("pledges/manage/lists/<int:pk>/publish/", views.publish_list, name="publish_list"),
    path("pledges/manage/lists/<int:pk>/pledges/", views.add_pledge, name="add_pledge"),
    path("pledges/manage/<int:pk>/", views.pledge, name="pledge"),
]
