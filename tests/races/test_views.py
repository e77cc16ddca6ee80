"""The race pages: staff boards, entering a month, importing; the public board without login."""
from datetime import date
from decimal import Decimal as D

from django.template.loader import render_to_string
from django.urls import reverse

from duban.races import race
from duban.races.models import IndicatorValue
from tests.races.base import RaceTestCase, workbook


class StaffPageTests(RaceTestCase):
    def test_the_list_shows_each_indicator_with_its_latest_month(self):
        self.put(self.fai, (2026, 9), {self.jiangnan: D("1")})
        self.put(self.fai, (2026, 10), {self.jiangnan: D("1")})
        self.client.force_login(self.handler)
        page = self.client.get(reverse("races:index"))
        self.assertContains(page, 'data-code="fai-growth"')
        self.assertContains(page, "2026-10")
        self.assertContains(page, "招商引资到位资金")
        self.assertNotContains(page, 'id="races-import"')  # a handler does not import

    def test_the_staff_board_needs_a_login(self):
        page = self.client.get(reverse("races:board", args=["fai-growth"]))
        self.assertEqual(page.status_code, 302)

    def test_the_board_opens_on_the_latest_month_and_shows_a_district_trend(self):
        self.put(self.fai, (2026, 9), {self.jiangnan: D("5"), self.jiangbei: D("4")})
        self.put(self.fai, (2026, 10), {self.jiangnan: D("6.5"), self.jiangbei: D("4")})
        self.client.force_login(self.supervisor)
        page = self.client.get(reverse("races:board", args=["fai-growth"]), {"district": self.jiangnan.pk})
        self.assertEqual(page.context["board"].month, date(2026, 10, 1))
        self.assertContains(page, "连续2个月全市第一")
        self.assertEqual([p.value for p in page.context["trend"]][-2:], [D("5"), D("6.5")])
        self.assertContains(page, 'id="enter-values"')


class EntryTests(RaceTestCase):
    def url(self, month="2026-10"):
        return reverse("races:enter", args=["fai-growth"]) + f"?month={month}"

    def test_a_handler_may_not_enter_values(self):
        self.client.force_login(self.handler)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        posted = self.client.post(self.url(), {"month": "2026-10", f"district-{self.jiangnan.pk}": "9"})
        self.assertEqual(posted.status_code, 403)
        self.assertEqual(IndicatorValue.objects.count(), 0)

    def test_a_supervisor_saves_every_district_of_a_month_at_once(self):
        self.client.force_login(self.supervisor)
        form = self.client.get(self.url())
        self.assertContains(form, f'id="entry-district-{self.gaoxin.pk}"')
        posted = self.client.post(self.url(), {"month": "2026-10", f"district-{self.jiangnan.pk}": "9.1",
                                               f"district-{self.jiangbei.pk}": "7", f"district-{self.gaoxin.pk}": ""})
        self.assertRedirects(posted, reverse("races:board", args=["fai-growth"]) + "?month=2026-10")
        self.assertEqual({(v.district.name, v.value, v.entered_by) for v in IndicatorValue.objects.all()},
                         {("江南区", D("9.1"), self.supervisor), ("江北区", D("7"), self.supervisor)})

    def test_the_form_shows_the_values_entered_and_emptying_one_removes_it(self):
        self.put(self.fai, (2026, 10), {self.jiangnan: D("9.1"), self.jiangbei: D("7")})
        self.client.force_login(self.supervisor)
        self.assertContains(self.client.get(self.url()), 'value="9.1"')
        self.client.post(self.url(), {"month": "2026-10", f"district-{self.jiangnan.pk}": "9.1",
                                      f"district-{self.jiangbei.pk}": ""})
        self.assertEqual(list(IndicatorValue.objects.values_list("district__name", flat=True)), ["江南区"])

    def test_a_value_that_is_not_a_number_is_sent_back(self):
        self.client.force_login(self.supervisor)
        page = self.client.post(self.url(), {"month": "2026-10", f"district-{self.jiangnan.pk}": "很多"})
        self.assertEqual(page.status_code, 200)
        self.assertTrue(page.context["form"].errors)
        self.assertEqual(IndicatorValue.objects.count(), 0)


class ImportPageTests(RaceTestCase):
    def test_a_handler_may_not_import(self):
        self.client.force_login(self.handler)
        page = self.client.post(reverse("races:import"), {"file": workbook([("江南区", "2026-10", 1, 1)])})
        self.assertEqual(page.status_code, 403)
        self.assertEqual(IndicatorValue.objects.count(), 0)

    def test_a_supervisor_imports_and_sees_the_counts(self):
        self.client.force_login(self.supervisor)
        upload = workbook([("江南区", "2026-10", 8.5, 100), ("江北区", "2026-10", 7, None)])
        upload.name = "十月.xlsx"
        page = self.client.post(reverse("races:import"), {"file": upload})
        self.assertContains(page, "新增3个数据，更新0个（2026-10）。")
        self.assertEqual(IndicatorValue.objects.count(), 3)

    def test_a_bad_file_shows_its_errors_and_writes_nothing(self):
        self.client.force_login(self.supervisor)
        upload = workbook([("江南区", "2026-10", 8.5, 100), ("江西区", "2026-10", 7, None)])
        upload.name = "十月.xlsx"
        page = self.client.post(reverse("races:import"), {"file": upload})
        self.assertContains(page, "第3行：未知区县“江西区”。", status_code=400)
        self.assertEqual(IndicatorValue.objects.count(), 0)

    def test_the_template_downloads_as_a_workbook(self):
        self.client.force_login(self.supervisor)
        page = self.client.get(reverse("races:template"), {"month": "2026-10"})
        self.assertEqual(page["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertTrue(b"".join(page.streaming_content).startswith(b"PK"))


class PublicBoardTests(RaceTestCase):
    def test_the_public_board_answers_without_login_and_shows_the_figures(self):
        self.put(self.funds, (2025, 10), {self.jiangnan: D("1000")})
        self.put(self.funds, (2026, 10), {self.jiangnan: D("1250.50"), self.jiangbei: D("800")})
        page = self.client.get(reverse("races:public_board", args=["investment-funds"]))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'data-testid="race-board"')
        self.assertContains(page, "1250.5")
        self.assertContains(page, "+25.05%")
        self.assertContains(page, "同比")
        self.assertContains(page, 'data-district="江心县" data-rank=""')
        self.assertNotContains(page, "entered")

    def test_the_public_board_shows_only_months_with_values(self):
        self.put(self.fai, (2026, 9), {self.jiangnan: D("1")})
        page = self.client.get(reverse("races:public_board", args=["fai-growth"]), {"month": "2030-01"})
        self.assertEqual(page.context["board"].month, date(2026, 9, 1))

    def test_an_inactive_indicator_has_no_public_board(self):
        self.fai.active = False
        self.fai.save()
        self.assertEqual(self.client.get(reverse("races:public_board", args=["fai-growth"])).status_code, 404)

    def test_a_board_without_values_says_so(self):
        page = self.client.get(reverse("races:public_board", args=["fai-growth"]))
        self.assertContains(page, 'id="no-values"')

    def test_the_partial_needs_only_the_board_and_the_indicator(self):
        self.put(self.fai, (2026, 9), {self.jiangnan: D("5"), self.jiangbei: D("6")})
        self.put(self.fai, (2026, 10), {self.jiangnan: D("7"), self.jiangbei: D("6")})
        html = render_to_string("races/_board.html", {"board": race.board(self.fai, date(2026, 10, 1)),
                                                      "indicator": self.fai})
        self.assertIn('data-district="江南区" data-rank="1"', html)
        self.assertIn("▲1", html)
        self.assertIn("▼1", html)
        self.assertIn("固定资产投资增速 2026-10", html)
