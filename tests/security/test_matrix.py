"""The permission matrix: every page and endpoint of the project, asked for by every role with the real
ids of unit A's objects, answers as the policy table below says. A route the table does not name fails
the test, so a new page cannot arrive without its policy. Unit B (the outsider, 江北区's supervisor)
asking for unit A's ticket, attachment, call-back, project, campaign, task, pledge, round, photo,
firm or survey gets 403 or 404, never the data."""
import os

from django.test import Client

from duban.ledger.machine import perform

from tests.security.city import PHONE, SecurityCity
from tests.security.routes import patterns, site_routes

# The roles, in the order of every row of the table. "anon" is the citizen: citizens never sign in.
ROLES = ("anon", "handler", "unit_head", "outsider", "dispatcher", "supervisor", "district_supervisor",
         "leader", "steward", "admin")
# ok 200 · in: redirect to /login/ · go: another redirect · 403, 404, 405 (a POST-only address asked by GET)
CODES = {"ok": 200, "go": 302, "in": 302, "403": 403, "404": 404, "405": 405, "401": 401}

# route → (the path with unit A's ids, the outcome for each role in ROLES)
T = lambda c: c.closed.number  # noqa: E731
POLICY = {
    'api/v1/openapi.json': (lambda c: "/api/v1/openapi.json", "ok ok ok ok ok ok ok ok ok ok"),
    'api/v1/docs': (lambda c: "/api/v1/docs", "ok ok ok ok ok ok ok ok ok ok"),
    'api/v1/tickets': (lambda c: "/api/v1/tickets", "401 ok ok ok ok ok ok ok ok ok"),
    'api/v1/tickets/<number>': (lambda c: f"/api/v1/tickets/{T(c)}", "401 ok ok 404 ok ok 404 ok ok ok"),
    'api/v1/tickets/<number>/events': (lambda c: f"/api/v1/tickets/{T(c)}/events", "401 ok ok 404 ok ok 404 ok ok ok"),
    'api/v1/tickets/<number>/actions/<action>': (lambda c: f"/api/v1/tickets/{T(c)}/actions/note",
                                                 "405 405 405 405 405 405 405 405 405 405"),
    'api/v1/tickets/<number>/rating': (lambda c: f"/api/v1/tickets/{T(c)}/rating",
                                       "405 405 405 405 405 405 405 405 405 405"),
    'api/v1/tickets/<number>/attachments': (lambda c: f"/api/v1/tickets/{T(c)}/attachments",
                                            "405 405 405 405 405 405 405 405 405 405"),
    'api/v1/tickets/<number>/attachments/<pk>': (lambda c: f"/api/v1/tickets/{T(c)}/attachments/{c.attachment.pk}",
                                                 "401 ok ok 404 ok ok 404 ok ok ok"),
    'api/v1/tickets.<fmt>': (lambda c: "/api/v1/tickets.csv", "401 ok ok ok ok ok ok ok ok ok"),
    'api/v1/imports': (lambda c: "/api/v1/imports", "405 405 405 405 405 405 405 405 405 405"),
    'api/v1/messages': (lambda c: "/api/v1/messages", "405 405 405 405 405 405 405 405 405 405"),
    'api/v1/categories': (lambda c: "/api/v1/categories", "401 ok ok ok ok ok ok ok ok ok"),
    'api/v1/units': (lambda c: "/api/v1/units", "401 ok ok ok ok ok ok ok ok ok"),
    'api/v1/channels': (lambda c: "/api/v1/channels", "401 ok ok ok ok ok ok ok ok ok"),
    'api/v1/': (lambda c: "/api/v1/", "404 404 404 404 404 404 404 404 404 404"),
    'open311/v2/discovery.<open311_format:fmt>': (lambda c: "/open311/v2/discovery.json",
                                                  "ok ok ok ok ok ok ok ok ok ok"),
    'open311/v2/services.<open311_format:fmt>': (lambda c: "/open311/v2/services.json",
                                                 "ok ok ok ok ok ok ok ok ok ok"),
    'open311/v2/services/<str:code>.<open311_format:fmt>': (lambda c: f"/open311/v2/services/{c.zombie_car.pk}.json",
                                                            "ok ok ok ok ok ok ok ok ok ok"),
    'open311/v2/service/<str:code>.<open311_format:fmt>': (lambda c: f"/open311/v2/service/{c.zombie_car.pk}.json",
                                                           "ok ok ok ok ok ok ok ok ok ok"),
    'open311/v2/requests.<open311_format:fmt>': (lambda c: "/open311/v2/requests.json",
                                                 "ok ok ok ok ok ok ok ok ok ok"),
    'open311/v2/requests/<str:number>.<open311_format:fmt>': (lambda c: f"/open311/v2/requests/{T(c)}.json",
                                                              "ok ok ok ok ok ok ok ok ok ok"),
    'open311/v2/tokens/<str:token>.<open311_format:fmt>': (lambda c: "/open311/v2/tokens/nothing.json",
                                                           "404 404 404 404 404 404 404 404 404 404"),
    'open311/v2/servicerequestupdates.<open311_format:fmt>': (lambda c: "/open311/v2/servicerequestupdates.json",
                                                              "ok ok ok ok ok ok ok ok ok ok"),
    'open311/v2/^(?P<path>.*)$': (lambda c: "/open311/v2/nowhere", "404 404 404 404 404 404 404 404 404 404"),
    'i18n/setlang/': (lambda c: "/i18n/setlang/", "go go go go go go go go go go"),
    'call-backs/': (lambda c: "/call-backs/?tab=ordinary", "in 403 403 403 ok ok ok 403 403 ok"),
    'call-backs/<int:pk>/take/': (lambda c: f"/call-backs/{c.call.pk}/take/", "in 403 403 403 405 405 405 403 403 405"),
    'call-backs/samples/': (lambda c: "/call-backs/samples/", "in 403 403 403 403 ok ok 403 403 ok"),
    'call-backs/samples/<int:pk>/': (lambda c: f"/call-backs/samples/{c.sample.pk}/",
                                     "in 403 403 403 403 ok ok ok ok ok"),
    'appeals/': (lambda c: "/appeals/", "in 403 403 403 403 ok ok 403 403 ok"),
    'rankings/': (lambda c: "/rankings/", "in 403 403 403 ok ok ok ok ok ok"),
    'dashboard/': (lambda c: "/dashboard/", "in 403 403 403 ok ok ok ok ok ok"),
    'board/': (lambda c: "/board/", "ok ok ok ok ok ok ok ok ok ok"),
    'races/': (lambda c: "/races/", "in ok ok ok ok ok ok ok ok ok"),
    'races/import/': (lambda c: "/races/import/", "in 403 403 403 403 ok ok 403 403 ok"),
    'races/import/template.xlsx': (lambda c: "/races/import/template.xlsx", "in 403 403 403 403 ok ok 403 403 ok"),
    'races/<slug:code>/': (lambda c: f"/races/{c.indicator.code}/", "in ok ok ok ok ok ok ok ok ok"),
    'races/<slug:code>/enter/': (lambda c: f"/races/{c.indicator.code}/enter/", "in 403 403 403 403 ok ok 403 403 ok"),
    'board/races/<slug:code>/': (lambda c: f"/board/races/{c.indicator.code}/", "ok ok ok ok ok ok ok ok ok ok"),
    'assessments/': (lambda c: "/assessments/", "in 403 403 403 403 ok ok ok ok ok"),
    'assessments/<int:pk>/': (lambda c: f"/assessments/{c.scheme.pk}/", "in 403 403 403 403 ok ok ok ok ok"),
    'assessments/<int:pk>/publish/': (lambda c: f"/assessments/{c.scheme.pk}/publish/",
                                      "in 403 403 403 403 405 405 403 403 405"),
    'assessments/<int:pk>/manual/': (lambda c: f"/assessments/{c.scheme.pk}/manual/",
                                     "in 403 403 403 403 go go 403 403 go"),
    'bulletins/': (lambda c: "/bulletins/", "in 403 403 403 ok ok ok ok ok ok"),
    r"^bulletins/(?P<month>\d{4}-\d{2})\.(?P<format>docx|pdf|xlsx)$": (lambda c: "/bulletins/2025-10.xlsx",
                                                                       "in 403 403 403 ok ok ok ok ok ok"),
    'projects/': (lambda c: "/projects/", "in ok ok ok ok ok ok ok ok ok"),
    'projects/race/': (lambda c: "/projects/race/", "in 403 403 403 403 ok ok ok ok ok"),
    'projects/<int:pk>/': (lambda c: f"/projects/{c.project.pk}/", "in ok 403 403 403 ok ok ok ok ok"),
    'projects/<int:pk>/review/': (lambda c: f"/projects/{c.project.pk}/review/", "in ok 403 403 403 403 403 403 ok ok"),
    'campaigns/': (lambda c: "/campaigns/", "in ok ok ok ok ok ok ok ok ok"),
    'campaigns/<int:pk>/': (lambda c: f"/campaigns/{c.campaign.pk}/", "in ok ok ok ok ok ok ok ok ok"),
    'campaigns/<int:pk>/link/': (lambda c: f"/campaigns/{c.campaign.pk}/link/",
                                 "in 403 403 403 405 405 405 403 403 405"),
    'campaigns/<int:pk>/unlink/<str:number>/': (lambda c: f"/campaigns/{c.campaign.pk}/unlink/{T(c)}/",
                                                "in 403 403 403 405 405 405 403 403 405"),
    'campaigns/<int:pk>/tasks/': (lambda c: f"/campaigns/{c.campaign.pk}/tasks/",
                                  "in 403 403 403 403 405 405 403 403 405"),
    'campaigns/tasks/<int:pk>/report/': (lambda c: f"/campaigns/tasks/{c.task.pk}/report/",
                                         "in 405 405 405 403 403 403 403 403 405"),
    'pledges/': (lambda c: "/pledges/", "ok ok ok ok ok ok ok ok ok ok"),
    'pledges/manage/': (lambda c: "/pledges/manage/", "in ok ok ok 403 ok ok ok ok ok"),
    'pledges/manage/lists/': (lambda c: "/pledges/manage/lists/", "in 403 403 403 403 405 405 403 403 405"),
    'pledges/manage/lists/<int:pk>/publish/': (lambda c: f"/pledges/manage/lists/{c.pledge_list.pk}/publish/",
                                               "in 403 403 403 403 405 405 403 403 405"),
    'pledges/manage/lists/<int:pk>/pledges/': (lambda c: f"/pledges/manage/lists/{c.pledge_list.pk}/pledges/",
                                               "in 403 403 403 403 405 405 403 403 405"),
    'pledges/manage/<int:pk>/': (lambda c: f"/pledges/manage/{c.pledge.pk}/", "in ok ok 403 403 ok ok ok 403 ok"),
    'inspections/': (lambda c: "/inspections/", "in 403 403 403 403 ok ok ok ok ok"),
    'inspections/<int:pk>/': (lambda c: f"/inspections/{c.round.pk}/", "in 403 403 403 403 ok ok ok ok ok"),
    'inspections/<int:pk>/visit/': (lambda c: f"/inspections/{c.round.pk}/visit/",
                                    "in 403 403 403 403 ok 403 403 ok ok"),
    'inspections/<int:pk>/report.xlsx': (lambda c: f"/inspections/{c.round.pk}/report.xlsx",
                                         "in 403 403 403 403 ok ok ok ok ok"),
    'inspections/photos/<int:pk>/': (lambda c: f"/inspections/photos/{c.visit_photo.pk}/",
                                     "in 403 403 403 403 ok ok ok ok ok"),
    'surveys/': (lambda c: "/surveys/", "in 403 403 403 403 ok ok ok ok ok"),
    'surveys/new/': (lambda c: "/surveys/new/", "in 403 403 403 403 ok ok 403 403 ok"),
    'surveys/<int:pk>/edit/': (lambda c: f"/surveys/{c.survey.pk}/edit/", "in 403 403 403 403 ok 403 403 403 ok"),
    'surveys/<int:pk>/questions/': (lambda c: f"/surveys/{c.survey.pk}/questions/",
                                    "in 403 403 403 403 405 405 403 403 405"),
    'surveys/<int:pk>/questions/<int:question_pk>/': (lambda c: f"/surveys/{c.survey.pk}/questions/{c.question.pk}/",
                                                      "in 403 403 403 403 405 405 403 403 405"),
    'surveys/<int:pk>/choices/<int:choice_pk>/': (lambda c: f"/surveys/{c.survey.pk}/choices/{c.choice.pk}/",
                                                  "in 403 403 403 403 405 405 403 403 405"),
    'surveys/<int:pk>/status/': (lambda c: f"/surveys/{c.survey.pk}/status/", "in 403 403 403 403 405 405 403 403 405"),
    'surveys/<int:pk>/invitations/': (lambda c: f"/surveys/{c.survey.pk}/invitations/",
                                      "in 403 403 403 403 ok 403 403 403 ok"),
    'surveys/<int:pk>/invitations/links.xlsx': (lambda c: f"/surveys/{c.survey.pk}/invitations/links.xlsx",
                                                "in 403 403 403 403 405 405 403 403 405"),
    'surveys/<int:pk>/results/': (lambda c: f"/surveys/{c.survey.pk}/results/", "in 403 403 403 403 ok ok ok ok ok"),
    'surveys/<int:pk>/results.xlsx': (lambda c: f"/surveys/{c.survey.pk}/results.xlsx",
                                      "in 403 403 403 403 ok ok ok ok ok"),
    's/<str:token>/': (lambda c: f"/s/{c.token}/", "ok ok ok ok ok ok ok ok ok ok"),
    'enterprises/': (lambda c: "/enterprises/", "in ok ok ok ok ok ok ok ok ok"),
    'enterprises/new': (lambda c: "/enterprises/new", "in 403 403 403 403 ok ok 403 403 ok"),
    'enterprises/<int:pk>/': (lambda c: f"/enterprises/{c.firm.pk}/", "in 404 404 404 404 ok ok ok ok ok"),
    'enterprises/<int:pk>/visits/': (lambda c: f"/enterprises/{c.firm.pk}/visits/",
                                     "in 405 405 405 405 405 405 405 405 405"),
    'enterprises/<int:pk>/cadre/': (lambda c: f"/enterprises/{c.firm.pk}/cadre/",
                                    "in 403 403 403 403 405 405 403 403 405"),
    '': (lambda c: "/", "ok go go go go go go go go go"),
    'login/': (lambda c: "/login/", "ok go go go go go go go go go"),
    'language/<str:code>/': (lambda c: "/language/en/?next=/board/", "go go go go go go go go go go"),
    'logout/': (lambda c: "/logout/", "405 405 405 405 405 405 405 405 405 405"),
    'report/': (lambda c: "/report/", "ok ok ok ok ok ok ok ok ok ok"),
    'report/received/': (lambda c: "/report/received/", "go go go go go go go go go go"),
    'track/': (lambda c: "/track/", "ok ok ok ok ok ok ok ok ok ok"),
    'track/<str:number>/': (lambda c: f"/track/{T(c)}/", "go go go go go go go go go go"),
    'track/<str:number>/rate/': (lambda c: f"/track/{T(c)}/rate/", "405 405 405 405 405 405 405 405 405 405"),
    'work/': (lambda c: "/work/", "in ok ok ok ok ok ok ok ok ok"),
    'work/views/': (lambda c: "/work/views/", "in 405 405 405 405 405 405 405 405 405"),
    'work/views/<int:pk>/delete/': (lambda c: f"/work/views/{c.saved_view.pk}/delete/",
                                    "in 405 405 405 405 405 405 405 405 405"),
    'tickets/': (lambda c: "/tickets/", "in go go go go go go go go go"),
    'tickets/<str:number>/': (lambda c: f"/tickets/{T(c)}/", "in ok ok 404 ok ok 404 ok ok ok"),
    'tickets/<str:number>/triage/': (lambda c: f"/tickets/{T(c)}/triage/", "in ok ok 404 ok ok 404 ok ok ok"),
    'tickets/<str:number>/do/<str:action>/': (lambda c: f"/tickets/{T(c)}/do/note/",
                                              "in 405 405 405 405 405 405 405 405 405"),
    'tickets/<str:number>/summon/': (lambda c: f"/tickets/{T(c)}/summon/", "in 405 405 405 405 405 405 405 405 405"),
    'tickets/<str:number>/call-back/': (lambda c: f"/tickets/{T(c)}/call-back/",
                                        "in 405 405 405 405 405 405 405 405 405"),
    'tickets/<str:number>/files/<int:pk>/': (lambda c: f"/tickets/{T(c)}/files/{c.attachment.pk}/",
                                             "in ok ok 404 ok ok 404 ok ok ok"),
    'hotline/': (lambda c: "/hotline/", "in 403 403 403 ok 403 403 403 403 ok"),
    'hotline/triage/': (lambda c: "/hotline/triage/", "in 403 403 403 ok 403 403 403 403 ok"),
    'hotline/received/': (lambda c: "/hotline/received/", "in 403 403 403 ok ok ok 403 403 ok"),
    'hotline/returned/': (lambda c: "/hotline/returned/", "in 403 403 403 ok ok ok 403 403 ok"),
    'oversight/': (lambda c: "/oversight/", "in 403 403 403 ok ok ok ok ok ok"),
    'steward/': (lambda c: "/steward/", "in ok ok ok ok ok ok ok ok ok"),
    'oversight/identity-views/': (lambda c: "/oversight/identity-views/", "in 403 403 403 403 403 403 403 403 403"),
}


def row(text):
    codes = text.split()
    assert len(codes) == len(ROLES), text
    return dict(zip(ROLES, codes))


class PermissionMatrixTests(SecurityCity):
    def client_for(self, role):
        client = Client()
        if role != "anon":
            client.force_login(getattr(self, role))
        return client

    def outcome(self, response):
        status = response.status_code
        if status == 302:
            return "in" if response["Location"].startswith("/login/") else "go"
        return {200: "ok", 403: "403", 404: "404", 405: "405", 401: "401"}.get(status, str(status))

    def test_every_route_of_the_project_is_in_the_policy_table(self):
        missing = sorted(set(site_routes()) - set(POLICY))
        self.assertEqual(missing, [], "routes without a policy: add them to POLICY")
        self.assertEqual(sorted(set(POLICY) - set(site_routes())), [], "the table names routes that are gone")

    def test_every_role_gets_what_the_policy_table_says_on_every_route(self):
        clients = {role: self.client_for(role) for role in ROLES}
        found, wrong = {}, []
        for route in sorted(site_routes()):
            if route not in POLICY:
                continue
            path, expected = POLICY[route][0](self), row(POLICY[route][1])
            for role in ROLES:
                got = self.outcome(clients[role].get(path))
                found.setdefault(route, []).append(got)
                if got != expected[role]:
                    wrong.append(f"{role} GET {path}: {got}, policy {expected[role]}")
        if os.environ.get("MATRIX_DISCOVER"):
            for route, codes in found.items():
                print(f"{route!r}: {' '.join(codes)}")
        self.assertEqual(wrong, [])


# Routes that act on one of unit A's objects by POST, with what they would change.
POST_ON_UNIT_A = {
    "call-backs/<int:pk>/take/": lambda c: f"/call-backs/{c.call.pk}/take/",
    "campaigns/tasks/<int:pk>/report/": lambda c: f"/campaigns/tasks/{c.task.pk}/report/",
    "enterprises/<int:pk>/visits/": lambda c: f"/enterprises/{c.firm.pk}/visits/",
    "enterprises/<int:pk>/cadre/": lambda c: f"/enterprises/{c.firm.pk}/cadre/",
    "pledges/manage/<int:pk>/": lambda c: f"/pledges/manage/{c.pledge.pk}/",
    "inspections/<int:pk>/visit/": lambda c: f"/inspections/{c.round.pk}/visit/",
    "projects/<int:pk>/review/": lambda c: f"/projects/{c.project.pk}/review/",
    "tickets/<str:number>/do/<str:action>/": lambda c: f"/tickets/{T(c)}/do/note/",
    "tickets/<str:number>/summon/": lambda c: f"/tickets/{T(c)}/summon/",
    "tickets/<str:number>/call-back/": lambda c: f"/tickets/{T(c)}/call-back/",
    "track/<str:number>/rate/": lambda c: f"/track/{T(c)}/rate/",
    "work/views/<int:pk>/delete/": lambda c: f"/work/views/{c.saved_view.pk}/delete/",
}


class UnitBTests(SecurityCity):
    """Unit B guessing unit A's ids: refused, and nothing written."""

    def state(self):
        return (self.closed.events.count(), self.open_ticket.events.count(),
                type(self.call).objects.get(pk=self.call.pk).assigned_to_id, self.task.reports.count(),
                self.firm.visits.count(), self.round.visits.count(), self.project.reviews.count(),
                type(self.saved_view).objects.filter(pk=self.saved_view.pk).exists())

    def test_unit_b_cannot_act_on_unit_a_objects_by_post(self):
        before = self.state()
        for role in ("outsider", "district_supervisor"):
            client = Client()
            client.force_login(getattr(self, role))
            for route, path in POST_ON_UNIT_A.items():
                with self.subTest(role=role, route=route):
                    body = {"text": f"越权 {route}", "rating": "5", "solved": "yes", "reached": "yes"}
                    answer = client.post(path(self), body)
                    if route.startswith("track/"):  # the public page: only a number looked up with its phone
                        self.assertEqual((answer.status_code, answer["Location"]), (302, "/track/"))
                    else:
                        self.assertIn(answer.status_code, (403, 404))
        self.assertEqual(self.state(), before)

    def test_every_object_route_that_acts_by_post_is_tried(self):
        object_routes = {route for route in POLICY if "<" in route and row(POLICY[route][1])["handler"] == "405"}
        left_out = object_routes - set(POST_ON_UNIT_A) - set(API_POSTS) - {
            # catalogue, schemes, surveys and pledge lists belong to the city, not to a unit
            "campaigns/<int:pk>/link/", "campaigns/<int:pk>/unlink/<str:number>/", "campaigns/<int:pk>/tasks/",
            "pledges/manage/lists/<int:pk>/publish/", "pledges/manage/lists/<int:pk>/pledges/",
            "assessments/<int:pk>/publish/", "surveys/<int:pk>/questions/",
            "surveys/<int:pk>/questions/<int:question_pk>/", "surveys/<int:pk>/choices/<int:choice_pk>/",
            "surveys/<int:pk>/status/", "surveys/<int:pk>/invitations/links.xlsx"}
        self.assertEqual(left_out, set())

    def look_alike_of_unit_a(self):
        """A ticket of unit B telling the same matter as unit A's open ticket."""
        ticket = self.new_ticket(title=self.open_ticket.title, description=self.open_ticket.description,
                                 area=self.jiangbei_community, address="江北区柳浪社区")
        perform(ticket, "dispatch", self.dispatcher, unit=self.jiangbei_street)
        return ticket

    def test_the_look_alikes_of_unit_b_ticket_leave_out_unit_a_tickets(self):
        mine = self.look_alike_of_unit_a()
        client = Client()
        client.force_login(self.dispatcher)
        seen_by_dispatcher = client.get(f"/tickets/{mine.number}/triage/").content.decode()
        self.assertIn(self.open_ticket.number, seen_by_dispatcher)  # the same matter is found …
        client.force_login(self.outsider)
        html = client.get(f"/tickets/{mine.number}/triage/").content.decode()
        self.assertNotIn(self.open_ticket.number, html)  # … but unit B is not shown unit A's ticket
        self.assertNotIn(PHONE, html)

    def test_an_api_key_of_unit_b_is_not_told_of_unit_a_look_alikes(self):
        from duban.intake import keys

        raw = keys.create("江北系统", self.hotline_channel, unit=self.jiangbei_street)[1]
        body = {"title": self.open_ticket.title, "description": self.open_ticket.description,
                "kind": "complaint", "address": "江北区柳浪社区"}
        answer = Client().post("/api/v1/tickets", body, content_type="application/json",
                               headers={"Authorization": f"Bearer {raw}"})
        self.assertEqual(answer.status_code, 201, answer.content)
        self.assertNotIn(self.open_ticket.number, answer.content.decode())
        city_key = keys.create("全市系统", self.hotline_channel)[1]
        answer = Client().post("/api/v1/tickets", body, content_type="application/json",
                               headers={"Authorization": f"Bearer {city_key}"})
        self.assertIn(self.open_ticket.number, answer.content.decode())

    def test_a_city_campaign_shows_unit_b_none_of_unit_a_tickets(self):
        client = Client()
        client.force_login(self.outsider)
        html = client.get(f"/campaigns/{self.campaign.pk}/").content.decode()
        self.assertNotIn(f"/tickets/{self.task.ticket.number}/", html)  # the task's number, never its page
        self.assertNotIn(PHONE, html)


API_POSTS = {
    "api/v1/tickets/<number>/actions/<action>": ("/api/v1/tickets/{}/actions/note", {"text": "越权"}),
    "api/v1/tickets/<number>/rating": ("/api/v1/tickets/{}/rating", {"rating": 5, "solved": True}),
    "api/v1/tickets/<number>/attachments": ("/api/v1/tickets/{}/attachments", None),
}


class ApiTests(SecurityCity):
    def test_every_operation_of_the_openapi_document_is_in_the_policy_table(self):
        document = Client().get("/api/v1/openapi.json").json()
        routes = {path.lstrip("/").replace("{", "<").replace("}", ">") for path in document["paths"]}
        self.assertTrue(routes)
        self.assertEqual(routes - set(POLICY), set())

    def test_a_unit_b_key_and_session_get_404_for_unit_a_tickets(self):
        from duban.intake import keys

        raw = keys.create("江北系统", self.hotline_channel, unit=self.jiangbei_street)[1]
        session = Client()
        session.force_login(self.outsider)
        callers = {"key": (Client(headers={"Authorization": f"Bearer {raw}"}), {}), "session": (session, {})}
        before = self.closed.events.count()
        for name, (client, _) in callers.items():
            for route in ("api/v1/tickets/<number>", "api/v1/tickets/<number>/events",
                          "api/v1/tickets/<number>/attachments/<pk>"):
                with self.subTest(caller=name, route=route):
                    self.assertEqual(client.get(POLICY[route][0](self)).status_code, 404)
            for route, (path, body) in API_POSTS.items():
                with self.subTest(caller=name, route=route):
                    url = path.format(T(self))
                    answer = client.post(url, body, content_type="application/json") if body else client.post(url)
                    self.assertIn(answer.status_code, (403, 404, 422) if body is None else (403, 404))
            listed = client.get("/api/v1/tickets").json()
            self.assertNotIn(T(self), str(listed))
            exported = b"".join(client.get("/api/v1/tickets.csv").streaming_content).decode("utf-8-sig")
            self.assertNotIn(T(self), exported)
        self.assertEqual(self.closed.events.count(), before)


class AdminTests(SecurityCity):
    def test_no_role_without_staff_status_gets_into_the_admin(self):
        admin_routes = [route for route, _ in patterns() if route.startswith("admin/") and "<" not in route
                        and "(?P" not in route and not route.endswith(("logout/", "login/"))]
        self.assertGreater(len(admin_routes), 20)
        for role in ROLES:
            client = Client()
            if role != "anon":
                client.force_login(getattr(self, role))
            for route in admin_routes:
                path = "/" + route.lstrip("^").rstrip("$")
                answer = client.get(path)
                with self.subTest(role=role, path=path):
                    self.assertEqual(answer.status_code, 302)
                    self.assertTrue(answer["Location"].startswith("/admin/login/"))

    def test_a_staff_member_of_unit_b_cannot_open_unit_a_ticket_in_the_admin(self):
        from django.contrib.auth.models import Permission

        self.outsider.is_staff = True
        self.outsider.save()
        self.outsider.user_permissions.add(Permission.objects.get(codename="view_ticket"))
        client = Client()
        client.force_login(self.outsider)
        answer = client.get(f"/admin/ledger/ticket/{self.closed.pk}/change/", follow=True)
        self.assertNotIn(PHONE, answer.content.decode())
        self.assertNotIn(self.closed.number, answer.content.decode())
        listing = client.get("/admin/ledger/ticket/").content.decode()
        self.assertNotIn(self.closed.number, listing)
