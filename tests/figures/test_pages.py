"""The figure pages: the rankings, the supervisor's dashboard and the public board (晾晒台).

The figures come from real matters taken through the ledger (received, dispatched, acknowledged,
resolved, verified, closed and rated), so the counters the pages read are the ones the events filled.
"""
import json
import re
from datetime import timedelta
from decimal import Decimal

import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from duban.assessment import scoring
from duban.assessment.models import Dimension, Scheme
from duban.figures.figures import Period
from duban.ledger.machine import perform
from duban.races import race
from duban.races.models import Indicator
from tests.base import DubanTestCase, photo

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
CHENGGUAN = "城市管理行政执法局"
JIAOJING = "公安局交通警察支队"
# 城管局's verdicts: (rating, solved, contacted). Hand-computed:
# response 3/4 = 75.0%, resolution 3/4 = 75.0%, satisfaction (1 + 1 + 0.9) / 4 = 72.5%,
# composite 0.1 × 0.75 + 0.5 × 0.75 + 0.4 × 0.725 = 74.0%.
CHENGGUAN_VERDICTS = [(5, True, True), (4, True, True), (3, True, True), (2, False, False)]


def this_month():
    return timezone.localdate().strftime("%Y-%m")


def row_of(page, unit):
    """The ranking row of a unit, as HTML."""
    match = re.search(rf'<tr data-testid="ranking-row" data-unit="{unit}".*?</tr>', page.content.decode(), re.S)
    assert match, f"no row for {unit}"
    return match[0]


def cell(row, key):
    """The text of a row's cell (tags left out, spaces squeezed)."""
    match = re.search(rf'<td [^>]*data-testid="{key}">(.*?)</td>', row, re.S)
    assert match, f"no cell {key}"
    return " ".join(re.sub(r"<[^>]+>", " ", match[1]).split())


def chart_data(page):
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>',
                      page.content.decode(), re.S)
    assert match, "the page embeds no chart data"
    return json.loads(match[1])


class FiguresCase(DubanTestCase):
    @classmethod
    def rated_ticket(cls, rating, solved, contacted, unit=None, handler=None, **fields):
        """A matter taken from intake to a rating after closing; by the dispatch rule to 城管局 unless `unit`."""
        handler = handler or cls.handler
        ticket = cls.new_ticket(**fields)
        perform(ticket, "dispatch", cls.dispatcher, unit=unit)
        perform(ticket, "acknowledge", handler)
        perform(ticket, "resolve", handler, text="已联系车主将车辆拖离", files=[photo()])
        perform(ticket, "verify", cls.supervisor, text="现场核查，车辆已拖离")
        perform(ticket, "close", cls.supervisor)
        perform(ticket, "rate", None, rating=rating, solved=solved, contacted=contacted)
        return ticket

    @classmethod
    def rate_the_city(cls):
        for rating, solved, contacted in CHENGGUAN_VERDICTS:
            cls.rated_ticket(rating, solved, contacted)
        cls.rated_ticket(5, True, True, unit=cls.jiaojing, handler=cls.co_handler)


class RankingsPageTests(FiguresCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rate_the_city()

    def rankings(self, person=None, **query):
        self.client.force_login(person or self.supervisor)
        return self.client.get(reverse("figures:rankings"), query, **ENGLISH)

    @override_settings(RANKING_MIN_SAMPLE=3)
    def test_it_shows_the_hand_computed_satisfaction_rate_and_its_sample(self):
        page = self.rankings(month=this_month())
        self.assertEqual(page.status_code, 200)
        row = row_of(page, CHENGGUAN)
        self.assertEqual(cell(row, "satisfaction"), "72.5% n=4")
        self.assertEqual(cell(row, "composite"), "74.0% n=4")
        self.assertEqual(cell(row, "response"), "75.0% n=4")
        self.assertEqual(cell(row, "resolution"), "75.0% n=4")
        # Every matter was acknowledged and resolved on time; none returned or reopened.
        self.assertEqual(cell(row, "ack_on_time"), "100.0% n=4")
        self.assertEqual(cell(row, "return_rate"), "0.0% n=4")
        self.assertEqual(cell(row, "reopen_rate"), "0.0% n=4")
        self.assertEqual(cell(row, "on_time"), "100.0% n=4")
        # No sampled call-back yet: no figure, never 0%.
        self.assertEqual(cell(row, "sampled_satisfaction"), "— n=0")
        self.assertEqual(cell(row, "rank"), "1 Red list")  # the only unit ranked in its tier

    @override_settings(RANKING_MIN_SAMPLE=3)
    def test_a_unit_below_the_minimum_sample_is_listed_not_ranked_with_the_reason(self):
        row = row_of(self.rankings(month=this_month()), JIAOJING)
        self.assertIn('data-rank=""', row)
        self.assertEqual(cell(row, "rank"), "Not ranked sample of 1 is below the minimum of 3")
        self.assertEqual(cell(row, "satisfaction"), "100.0% n=1")  # its figures are still shown

    @override_settings(RANKING_MIN_SAMPLE=1, RED_LIST_SIZE=1, BLACK_LIST_SIZE=1)
    def test_the_red_and_black_lists_mark_the_top_and_bottom_of_the_tier(self):
        page = self.rankings(month=this_month())
        self.assertIn('data-testid="on-red-list"', row_of(page, JIAOJING))  # composite 100%
        self.assertIn('data-testid="on-black-list"', row_of(page, CHENGGUAN))  # composite 74%
        self.assertContains(page, f'<span data-testid="red-unit">{JIAOJING}</span>')
        self.assertContains(page, f'<span data-testid="black-unit">{CHENGGUAN}</span>')

    def test_units_are_ranked_within_the_tier_asked_for(self):
        page = self.rankings(month=this_month(), tier="department")
        self.assertContains(page, 'data-tier="department"')
        self.assertNotContains(self.rankings(month=this_month(), tier="district"), CHENGGUAN)

    def test_the_month_defaults_to_this_month_when_it_has_figures(self):
        page = self.rankings()
        self.assertContains(page, f"<h1 id=\"rankings-title\">Rankings · {this_month()}</h1>", html=True)
        self.assertContains(page, CHENGGUAN)

    def test_the_month_defaults_to_the_latest_with_figures(self):
        month = this_month()
        with time_machine.travel(timezone.now() + timedelta(days=70)):
            page = self.rankings()
        self.assertContains(page, f"Rankings · {month}")
        self.assertContains(page, CHENGGUAN)

    def test_it_links_the_months_bulletin_workbook(self):
        self.assertContains(self.rankings(month=this_month()), f'href="/bulletins/{this_month()}.xlsx"')

    def test_a_bad_month_or_tier_is_refused_with_a_message(self):
        page = self.rankings(month="2025-13")
        self.assertContains(page, "Write the month as YYYY-MM", status_code=400)
        self.assertNotContains(page, CHENGGUAN, status_code=400)
        page = self.rankings(month=this_month(), tier="planet")
        self.assertContains(page, "There is no tier", status_code=400)

    def test_a_handler_cannot_open_the_rankings(self):
        self.assertEqual(self.rankings(self.handler).status_code, 403)


class DashboardTests(FiguresCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rate_the_city()

    def dashboard(self, person=None, **query):
        self.client.force_login(person or self.supervisor)
        return self.client.get(reverse("figures:dashboard"), {"month": this_month(), **query})

    def test_a_supervisor_sees_the_charts_with_the_counted_numbers(self):
        page = self.dashboard()
        self.assertEqual(page.status_code, 200)
        data = chart_data(page)
        today = timezone.localdate().isoformat()
        trend = data["trend"]
        self.assertEqual(trend["days"][-1], today)
        at_today = {s["key"]: s["data"][trend["days"].index(today)] for s in trend["series"]}
        self.assertEqual(at_today, {"received": 5, "dispatched": 5, "resolved": 5, "closed": 5})
        self.assertEqual(sum(sum(s["data"]) for s in trend["series"]), 20)
        self.assertEqual(data["categories"], {"labels": ["城市管理"], "values": [5]})
        self.assertEqual(data["units"]["labels"], [CHENGGUAN, JIAOJING])
        self.assertEqual(data["units"]["samples"], [4, 1])
        series = {s["key"]: s["data"] for s in data["units"]["series"]}
        self.assertEqual(series, {"composite": [74.0, 100.0], "resolution": [75.0, 100.0]})
        self.assertEqual(data["hotspots"], {"labels": ["富强社区"], "values": [5]})  # the grid counts in its community
        self.assertEqual(data["overdue"], {"labels": [], "values": []})
        # The same numbers are in the tables, for the page without scripts.
        self.assertContains(page, f'<tr data-day="{today}">')
        self.assertContains(page, '<td data-testid="received">5</td>')
        self.assertContains(page, "<td>富强社区</td><td>5</td>", html=True)
        # Drawn by the vendored ECharts from our static files, never inline script.
        self.assertContains(page, "figures/echarts.min.js")
        self.assertContains(page, "figures/charts.js")
        self.assertNotIn("echarts.init", page.content.decode())

    def test_the_overdue_chart_counts_open_matters_past_their_deadline(self):
        self.dispatched_ticket(title="超期的僵尸车")
        self.dispatched_ticket(title="又一辆超期的僵尸车")
        with time_machine.travel(timezone.now() + timedelta(days=40)):
            data = chart_data(self.dashboard())
        self.assertEqual(data["overdue"], {"labels": [CHENGGUAN], "values": [2]})

    def test_a_handler_may_not_open_the_dashboard(self):
        self.assertEqual(self.dashboard(self.handler).status_code, 403)

    def test_the_district_supervisor_sees_only_their_district(self):
        page = self.dashboard(self.district_supervisor)
        self.assertEqual(page.status_code, 200)
        data = chart_data(page)
        self.assertEqual(data["units"]["labels"], [])
        self.assertEqual(data["hotspots"]["labels"], [])
        self.assertEqual(sum(sum(s["data"]) for s in data["trend"]["series"]), 0)
        self.assertContains(page, "柳浪街道")  # an area they may choose
        self.assertNotContains(page, "西山街道")

    def test_the_district_supervisor_cannot_widen_the_area_beyond_their_scope(self):
        for area in (self.city, self.jiangnan, self.chengguan):
            page = self.dashboard(self.district_supervisor, area=area.pk)
            self.assertEqual(page.status_code, 403, area)
            self.assertNotIn(CHENGGUAN.encode(), page.content)
        self.assertEqual(self.dashboard(self.district_supervisor, area=self.jiangbei_street.pk).status_code, 200)

    def test_an_area_narrows_the_charts_to_its_subtree(self):
        data = chart_data(self.dashboard(area=self.jiangnan.pk))
        at_today = {s["key"]: s["data"][-1] for s in data["trend"]["series"]}
        # Received in 江南区's grid; worked on by city departments, which lie outside 江南区.
        self.assertEqual(at_today, {"received": 5, "dispatched": 0, "resolved": 0, "closed": 0})
        self.assertEqual(data["units"]["labels"], [])
        data = chart_data(self.dashboard(area=self.chengguan.pk))
        self.assertEqual(data["units"]["labels"], [CHENGGUAN])

    def test_an_unknown_area_is_refused_with_a_message(self):
        self.client.force_login(self.supervisor)
        page = self.client.get(reverse("figures:dashboard"), {"area": "江南"}, **ENGLISH)
        self.assertContains(page, "There is no unit numbered", status_code=400)
        self.assertNotContains(page, "dashboard-data", status_code=400)


class PublicBoardTests(FiguresCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rate_the_city()

    def board(self, **query):
        return self.client.get(reverse("figures:board"), query, **ENGLISH)

    @override_settings(RANKING_MIN_SAMPLE=3)
    def test_everyone_sees_the_ranking_without_logging_in(self):
        page = self.board()
        self.assertEqual(page.status_code, 200)
        row = row_of(page, CHENGGUAN)
        self.assertEqual([cell(row, key) for key in ("rank", "unit", "satisfaction", "composite", "sample")],
                         ["1 Red list", CHENGGUAN, "72.5%", "74.0%", "4"])
        self.assertEqual(cell(row_of(page, JIAOJING), "rank"), "Not ranked sample of 1 is below the minimum of 3")
        self.assertIn("public", page["Cache-Control"])
        self.assertIn("max-age=300", page["Cache-Control"])

    def test_the_board_shows_no_personal_data(self):
        ticket = self.rated_ticket(1, False, True, reporter_email="zhou@example.com")
        content = self.board().content.decode()
        for secret in ("周大爷", "13812345678", "zhou@example.com", ticket.number, ticket.title,
                       ticket.description, ticket.address, "黄晓明"):
            self.assertNotIn(secret, content)

    def test_the_board_includes_the_race_boards_of_active_indicators(self):
        indicator = Indicator.objects.create(name="固定资产投资增速", code="fai-growth", measure="%")
        Indicator.objects.create(name="停用的指标", code="retired", active=False)
        last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
        race.put(indicator, self.jiangnan, last_month, Decimal("7.5"))
        race.put(indicator, self.jiangbei, last_month, Decimal("9.1"))
        page = self.board()
        self.assertContains(page, 'data-testid="race-board" data-indicator="fai-growth"')
        self.assertContains(page, f'data-month="{last_month:%Y-%m}"')  # its latest month up to this one
        self.assertContains(page, 'data-district="江北区" data-rank="1"')
        self.assertNotContains(page, "停用的指标")


    def test_the_board_includes_the_published_assessments_only(self):
        published = Scheme.objects.create(name="作风建设十项考核", red_size=1, black_size=0)
        published.participants.set([self.jiangnan, self.jiangbei])
        Dimension.objects.create(scheme=published, name="解决率", code="resolution", points=100, source="figure",
                                 figure="resolution")
        last_month = Period.month(this_month()).previous()
        scoring.publish(published, last_month)
        Scheme.objects.create(name="尚未公布的考核").participants.set([self.jiangnan])
        page = self.board()
        self.assertContains(page, f'id="assessment-results-{published.pk}"')
        self.assertContains(page, f"作风建设十项考核 · {last_month.label}")
        self.assertContains(page, 'data-testid="assessment-row" data-unit="江南区"')
        self.assertNotContains(page, "尚未公布的考核")


class QueryCountTests(FiguresCase):
    """The board and the dashboard ask the same number of questions for 3 matters as for 30."""

    def add(self, n):
        for i in range(n):
            self.rated_ticket(5 - i % 5, i % 3 != 0, True)
            self.dispatched_ticket(title=f"在办的僵尸车{i}")

    def queries(self, url):
        self.client.get(url)  # the first request reads the calendar and the like into the process's caches
        with CaptureQueriesContext(connection) as captured:
            page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        return len(captured)

    def assert_flat(self, url):
        self.add(3)
        few = self.queries(url)
        self.add(27)
        self.assertEqual(self.queries(url), few, url)

    def test_the_public_board(self):
        indicator = Indicator.objects.create(name="固定资产投资增速", code="fai-growth", measure="%")
        race.put(indicator, self.jiangnan, Period.month(this_month()).start, Decimal("7.5"))
        scheme = Scheme.objects.create(name="作风建设十项考核", red_size=1, black_size=0)
        scheme.participants.set([self.jiangnan, self.jiangbei])
        Dimension.objects.create(scheme=scheme, name="解决率", code="resolution", points=100, source="figure",
                                 figure="resolution")
        scoring.publish(scheme, Period.month(this_month()).previous())
        self.assert_flat(reverse("figures:board"))

    def test_the_dashboard(self):
        self.client.force_login(self.supervisor)
        self.assert_flat(reverse("figures:dashboard"))

    def test_the_rankings(self):
        self.client.force_login(self.supervisor)
        self.assert_flat(reverse("figures:rankings"))
