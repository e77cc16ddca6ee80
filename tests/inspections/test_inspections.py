"""Inspection rounds: visits, findings as tickets with the round as their source, suggestions, the
round's report and its export (督导检查, 暗访, 踏查, 徒步走城区, 敲门走访)."""
import random
from datetime import timedelta
from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from duban.clock.calendar import work_calendar
from duban.inspections import rounds
from duban.inspections.models import Finding, Round, Suggestion, Visit, VisitPhoto
from duban.ledger.machine import perform
from duban.ledger.models import Attachment, Event, State, Ticket
from tests.base import DubanTestCase, photo, png_bytes


class Inspections(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        today = timezone.localdate()
        cls.round = rounds.create_round(
            cls.supervisor, name="纪律作风提升督导检查", kind=Round.Kind.SUPERVISION,
            starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=30), team=[cls.steward],
            units=[cls.xishan, cls.chengguan], targets=["富强小区"], description="11个督导检查组")

    def visit(self, *findings, suggestions=(), at=None, photos=(), place="西山街道富强社区富强小区"):
        moment = at or timezone.now()
        return rounds.record_visit(self.round, self.supervisor, visited_at=moment, place=place, unit=self.xishan,
                                   notes="听取汇报，查阅台账", photos=photos, findings=findings,
                                   suggestions=suggestions, at=moment)

    def fix(self, ticket, handler, close=True):
        perform(ticket, "acknowledge", handler)
        perform(ticket, "resolve", handler, text="已立行立改", files=[photo("整改后.png", seed=9)])
        perform(ticket, "verify", self.supervisor, text="经复核整改到位")
        if close:
            perform(ticket, "close", self.supervisor)


class FindingTests(Inspections):
    def test_a_finding_becomes_an_inspection_ticket_for_the_named_unit_with_the_round_as_its_source(self):
        visit = self.visit((self.chengguan, "小区门口地桩地锁占用消防通道"),
                           photos=[photo("现场1.png", seed=1), photo("现场2.png", seed=2)])
        ticket = Finding.objects.get(visit=visit).ticket
        self.assertEqual((ticket.channel.code, ticket.kind, ticket.state, ticket.lead_unit),
                         ("inspection", "complaint", State.DISPATCHED, self.chengguan))
        first = ticket.events.order_by("seq").first()
        self.assertEqual(first.payload["source"], {"inspection_round": self.round.pk, "visit": visit.pk})
        self.assertEqual((ticket.address, ticket.subject), ("西山街道富强社区富强小区", "富强小区"))  # a target
        self.assertEqual(ticket.resolve_due_at, work_calendar().add_workdays(visit.visited_at, 10))
        self.assertEqual(sorted(ticket.attachment_set.values_list("sha256", flat=True)),
                         sorted(VisitPhoto.objects.filter(visit=visit).values_list("sha256", flat=True)))
        self.assertEqual(ticket.attachment_set.count(), 2)

    def test_the_inspector_files_it_and_the_application_dispatches_it(self):
        visit = self.visit((self.chengguan, "执法记录仪未按规定佩戴"))
        ticket = visit.findings.get().ticket
        receive, dispatch = ticket.events.order_by("seq")[:2]
        self.assertEqual((receive.actor, dispatch.action, dispatch.actor), (self.supervisor, "dispatch", None))

    def test_the_handler_of_the_unit_sees_the_finding_in_the_queue_of_the_unit(self):
        ticket = self.visit((self.chengguan, "占道经营")).findings.get().ticket
        self.client.force_login(self.handler)
        self.assertContains(self.client.get(reverse("web:ticket", args=[ticket.number])), "占道经营")

    def test_a_row_without_a_unit_is_refused_by_the_rules_too_and_names_the_row(self):
        with self.assertRaises(rounds.InspectionError) as refused:
            self.visit((self.chengguan, "垃圾未清理"), (None, "台阶两侧残留垃圾"))
        self.assertIn("2", " ".join(refused.exception.messages))
        self.assertFalse(Visit.objects.exists())
        self.assertFalse(Ticket.objects.exists())

    def test_a_visit_outside_the_rounds_period_is_refused(self):
        with self.assertRaises(rounds.InspectionError):
            self.visit((self.chengguan, "占道经营"), at=timezone.now() - timedelta(days=45))
        self.assertFalse(Visit.objects.exists())

    def test_someone_outside_the_team_cannot_record_a_visit_by_any_route(self):
        with self.assertRaises(rounds.InspectionError):
            rounds.record_visit(self.round, self.district_supervisor, visited_at=timezone.now(), place="富强小区",
                                findings=[(self.chengguan, "占道经营")])
        self.assertFalse(Ticket.objects.exists())


class ReportTests(Inspections):
    def test_the_report_counts_found_fixed_open_overdue_and_suggested_per_unit(self):
        earlier = self.visit((self.chengguan, "三周前发现：僵尸车占用车位"), at=timezone.now() - timedelta(days=20))
        now = self.visit((self.chengguan, "地桩地锁"), (self.chengguan, "占道经营"), (self.jiaojing, "信号灯故障"),
                         suggestions=[(self.chengguan, "建议建立销号台账"), (None, "建议整改情况及时通报")])
        rounds.record_visit(self.round, self.steward, visited_at=timezone.now(), place="西山社区",
                            suggestions=[(self.chengguan, "建议上墙上网")])
        first, second, third = now.findings.order_by("pk")
        self.fix(first.ticket, self.handler)  # closed: fixed
        self.fix(third.ticket, self.co_handler, close=False)  # verified: fixed
        perform(second.ticket, "acknowledge", self.handler)
        perform(second.ticket, "resolve", self.handler, text="已清理", files=[photo()])  # resolved only: open
        self.assertEqual(earlier.findings.get().ticket.state, State.DISPATCHED)  # 20 days old: overdue

        report = rounds.report(self.round)
        lines = {line.name: line for line in report.lines}
        chengguan, jiaojing = lines[self.chengguan.name], lines[self.jiaojing.name]
        self.assertEqual((chengguan.found, chengguan.fixed, chengguan.open, chengguan.overdue, chengguan.suggestions),
                         (3, 1, 2, 1, 2))
        self.assertEqual((jiaojing.found, jiaojing.fixed, jiaojing.open, jiaojing.overdue, jiaojing.suggestions),
                         (1, 1, 0, 0, 0))
        total = report.total
        self.assertEqual((total.found, total.fixed, total.open, total.overdue, total.suggestions), (4, 2, 2, 1, 3))
        self.assertEqual((report.visits, report.units_visited, report.units_targeted), (3, 1, 2))
        self.assertEqual([line.name for line in report.lines][0], self.chengguan.name)  # most findings first

    def test_a_reopened_finding_no_longer_counts_as_fixed(self):
        ticket = self.visit((self.chengguan, "地桩地锁")).findings.get().ticket
        self.fix(ticket, self.handler)
        perform(ticket, "reopen", self.supervisor, reason="回头看发现地锁又装回去了")
        total = rounds.report(self.round).total
        self.assertEqual((total.fixed, total.open), (0, 1))

    def test_the_xlsx_export_opens_with_openpyxl_and_holds_the_counts(self):
        visit = self.visit((self.chengguan, "地桩地锁"), (self.chengguan, "占道经营"),
                           suggestions=[(None, "建议整改情况及时通报")])
        self.fix(visit.findings.order_by("pk").first().ticket, self.handler)
        self.client.force_login(self.supervisor)
        response = self.client.get(reverse("inspections:report_xlsx", args=[self.round.pk]))
        self.assertEqual(response.status_code, 200)
        workbook = load_workbook(BytesIO(response.content))
        counts = workbook.worksheets[0]
        rows = {row[0]: row[1:6] for row in counts.iter_rows(values_only=True) if row and row[0]}
        self.assertEqual(rows[self.chengguan.name], (2, 1, 1, 0, 0))
        self.assertEqual(rows["合计"], (2, 1, 1, 0, 1))
        findings = list(workbook.worksheets[1].iter_rows(min_row=2, values_only=True))
        numbers = set(visit.findings.values_list("ticket__number", flat=True))
        self.assertEqual({row[0] for row in findings}, numbers)
        self.assertEqual(workbook.worksheets[2].cell(2, 3).value, "建议整改情况及时通报")


class PageTests(Inspections):
    def form(self, **extra):
        data = {"visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "place": "富强小区通往腾飞社区的台阶",
                "unit": "西山街道", "notes": "6时许徒步走城区"}
        data.update(extra)
        return data

    def test_a_team_member_records_a_visit_from_a_phone_with_photos_from_camera_and_gallery(self):
        self.client.force_login(self.steward)
        self.assertEqual(self.client.get(reverse("inspections:visit", args=[self.round.pk])).status_code, 200)
        camera = BytesIO(png_bytes(3))
        camera.name = "camera.png"
        gallery = BytesIO(png_bytes(4))
        gallery.name = "gallery.png"
        response = self.client.post(reverse("inspections:visit", args=[self.round.pk]), self.form(**{
            "photos": [camera, gallery], "finding-1-unit": "城管局", "finding-1-description": "台阶两侧残留垃圾较多",
            "suggestion-1-text": "建议建立日常联席会议监管机制"}))
        visit = Visit.objects.get()
        self.assertRedirects(response, reverse("inspections:round", args=[self.round.pk]) + f"#visit-{visit.pk}")
        ticket = visit.findings.get().ticket
        self.assertEqual((ticket.lead_unit, ticket.attachment_set.count(), visit.by), (self.chengguan, 2, self.steward))
        self.assertEqual(Suggestion.objects.get().text, "建议建立日常联席会议监管机制")

    def test_a_supervisor_outside_the_team_gets_403_on_the_visit_form(self):
        self.client.force_login(self.district_supervisor)
        url = reverse("inspections:visit", args=[self.round.pk])
        self.assertEqual(self.client.get(url).status_code, 403)
        response = self.client.post(url, self.form(**{"finding-1-unit": "城管局", "finding-1-description": "占道"}))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Visit.objects.exists())

    def test_a_visit_with_a_bad_row_writes_nothing_and_names_the_row(self):
        self.client.force_login(self.supervisor)
        picture = BytesIO(png_bytes(1))
        picture.name = "现场.png"
        response = self.client.post(reverse("inspections:visit", args=[self.round.pk]), self.form(**{
            "photos": [picture], "finding-1-unit": "城管局", "finding-1-description": "地桩地锁",
            "finding-2-description": "台阶两侧残留垃圾", "finding-3-unit": "交警支队",
            "suggestion-1-unit": "城管局"}))
        self.assertEqual(response.status_code, 400)
        errors = response.content.decode()
        self.assertIn("问题2：责任单位", errors)
        self.assertIn("请选择责任单位", errors)
        self.assertIn("问题3：问题描述", errors)
        self.assertIn("建议1：建议内容", errors)
        self.assertEqual((Visit.objects.count(), Ticket.objects.count(), Suggestion.objects.count(),
                          Attachment.objects.count(), VisitPhoto.objects.count()), (0, 0, 0, 0, 0))

    def test_a_unit_nobody_knows_is_named_on_its_row(self):
        self.client.force_login(self.supervisor)
        response = self.client.post(reverse("inspections:visit", args=[self.round.pk]), self.form(**{
            "finding-1-unit": "不存在局", "finding-1-description": "地桩地锁"}))
        self.assertContains(response, "不存在局", status_code=400)
        self.assertFalse(Ticket.objects.exists())

    def test_a_photo_that_is_not_an_image_is_refused_by_name(self):
        self.client.force_login(self.supervisor)
        fake = BytesIO(b"not a picture at all")
        fake.name = "照片.png"
        response = self.client.post(reverse("inspections:visit", args=[self.round.pk]), self.form(**{
            "photos": [fake], "finding-1-unit": "城管局", "finding-1-description": "地桩地锁"}))
        self.assertContains(response, "照片.png", status_code=400)
        self.assertFalse(Visit.objects.exists())

    def test_the_round_page_shows_the_findings_with_their_tickets_and_the_report(self):
        visit = self.visit((self.chengguan, "小区门口地桩地锁占用消防通道"),
                           suggestions=[(self.chengguan, "建议建立销号台账")], photos=[photo()])
        ticket = visit.findings.get().ticket
        self.client.force_login(self.supervisor)
        response = self.client.get(reverse("inspections:round", args=[self.round.pk]))
        self.assertContains(response, "小区门口地桩地锁占用消防通道")
        self.assertContains(response, f'href="{reverse("web:ticket", args=[ticket.number])}"')
        self.assertContains(response, ticket.get_state_display())
        self.assertContains(response, "建议建立销号台账")
        self.assertContains(response, 'data-testid="report-line"')
        self.assertContains(response, reverse("inspections:photo", args=[visit.photos.get().pk]))

    def test_a_leader_sees_the_finding_but_not_the_number_of_a_ticket_outside_their_scope(self):
        ticket = self.visit((self.chengguan, "占道经营")).findings.get().ticket
        self.client.force_login(self.district_supervisor)
        response = self.client.get(reverse("inspections:round", args=[self.round.pk]))
        self.assertContains(response, "占道经营")
        self.assertNotContains(response, ticket.number)

    def test_handlers_see_no_rounds_and_no_photos(self):
        visit = self.visit((self.chengguan, "占道经营"), photos=[photo()])
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(reverse("inspections:index")).status_code, 403)
        self.assertEqual(self.client.get(reverse("inspections:round", args=[self.round.pk])).status_code, 403)
        self.assertEqual(self.client.get(reverse("inspections:photo", args=[visit.photos.get().pk])).status_code, 403)

    def test_a_supervisor_creates_a_round_and_leads_it(self):
        self.client.force_login(self.supervisor)
        today = timezone.localdate()
        response = self.client.post(reverse("inspections:index"), {
            "name": "软环境暗访", "kind": "mystery", "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=10)).isoformat(), "team": [self.district_supervisor.pk],
            "units": [self.chengguan.pk], "targets": "政务服务大厅\n不动产登记窗口\n", "finding_workdays": "5"})
        created = Round.objects.get(name="软环境暗访")
        self.assertRedirects(response, reverse("inspections:round", args=[created.pk]))
        self.assertEqual((created.lead, created.finding_workdays, created.targets),
                         (self.supervisor, 5, ["政务服务大厅", "不动产登记窗口"]))
        self.assertEqual(set(created.team.all()), {self.supervisor, self.district_supervisor})
        self.assertContains(self.client.get(reverse("inspections:index")), "软环境暗访")

    def test_a_round_cannot_end_before_it_starts(self):
        self.client.force_login(self.supervisor)
        today = timezone.localdate()
        response = self.client.post(reverse("inspections:index"), {
            "name": "踏查", "kind": "site_tour", "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=1)).isoformat(), "finding_workdays": "10"})
        self.assertContains(response, "结束日期不能早于开始日期", status_code=400)
        self.assertFalse(Round.objects.filter(name="踏查").exists())

    def test_a_leader_sees_the_rounds_but_cannot_create_one(self):
        self.client.force_login(self.steward)
        response = self.client.get(reverse("inspections:index"))
        self.assertContains(response, "纪律作风提升督导检查")
        self.assertNotContains(response, 'id="round-form"')
        self.assertEqual(self.client.post(reverse("inspections:index"), {"name": "x"}).status_code, 403)


class DemoTests(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        pass  # the demo builds its own city

    def test_the_demo_loads_rounds_of_every_kind_with_findings_on_the_ledger_and_nothing_in_the_future(self):
        from duban.demo import city as demo_city
        from duban.inspections import demo, stats

        city = demo_city.build(random.Random(1))
        now = timezone.now()
        summary = demo.load(city, random.Random(2), now)
        self.assertIn("督查检查", summary)
        self.assertEqual(set(Round.objects.values_list("kind", flat=True)), set(Round.Kind.values))
        findings = Finding.objects.select_related("ticket", "visit")
        self.assertGreater(findings.count(), 40)
        for finding in findings:
            first = finding.ticket.events.order_by("seq").first()
            self.assertEqual(first.payload["source"]["inspection_round"], finding.visit.round_id)
            self.assertEqual(finding.ticket.channel.code, "inspection")
        self.assertFalse(Event.objects.filter(at__gt=timezone.now()).exists())
        states = set(findings.values_list("ticket__state", flat=True))
        self.assertTrue({State.CLOSED, State.IN_PROGRESS} <= states, states)
        report = rounds.report(Round.objects.get(kind=Round.Kind.SUPERVISION))
        self.assertGreater(report.total.fixed, 0)
        self.assertGreater(report.total.suggestions, 0)
        sections = dict((key, values) for key, _label, values in stats.stats())
        self.assertEqual(sections["inspections"]["findings"][1], findings.count())
        demo.load(city, random.Random(3), timezone.now())
        self.assertEqual(Round.objects.count(), len(Round.Kind.values))  # a second load adds nothing
