"""The pages' addresses. Citizens: /, /report/, /track/. Staff: /login/, /work/, /tickets/…,
/hotline/…, /oversight/, /steward/."""
from django.urls import path

from duban.web.views import account, hotline, oversight, public, work

app_name = "web"
urlpatterns = [
    path("", account.home, name="home"),
    path("login/", account.login, name="login"),
    path("logout/", account.logout, name="logout"),
    path("language/<str:code>/", public.language, name="language"),
    # citizens
    path("report/", public.report, name="report"),
    path("report/received/", public.reported, name="reported"),
    path("track/", public.track, name="track"),
    path("track/<str:number>/", public.followed, name="followed"),
    path("track/<str:number>/rate/", public.rate, name="rate"),
    # handlers and everyone on the staff
    path("work/", work.queue, name="work"),
    path("work/views/", work.save_view, name="save_view"),
    path("work/views/<int:pk>/delete/", work.delete_view, name="delete_view"),
    path("tickets/", work.find, name="find"),
    path("tickets/<str:number>/", work.ticket_page, name="ticket"),
    path("tickets/<str:number>/triage/", work.ticket_triage, name="ticket_triage"),
    path("tickets/<str:number>/do/<str:action>/", work.act, name="act"),
    path("tickets/<str:number>/summon/", work.summon, name="summon"),
    path("tickets/<str:number>/call-back/", work.call_back, name="call_back"),
    path("tickets/<str:number>/files/<int:pk>/", work.attachment, name="attachment"),
    # the hotline centre
    path("hotline/", hotline.entry, name="hotline"),
    path("hotline/triage/", hotline.triage, name="hotline_triage"),
    path("hotline/received/", hotline.received, name="received"),
    path("hotline/returned/", hotline.returned, name="returned"),
    # supervisors and leaders
    path("oversight/", oversight.oversight, name="oversight"),
    path("steward/", oversight.steward, name="steward"),
    path("oversight/identity-views/", oversight.identity_views, name="identity_views"),
]
