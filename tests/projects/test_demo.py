"""The demo's key projects: a register across the districts, fortnightly reviews in the past and
blockers on the ledger, some removed and some still open."""
import random
from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from duban.demo import city as demo_city
from duban.ledger.integrity import verify
from duban.ledger.models import Event
from duban.org.models import Stewardship, Unit
from duban.projects import demo, service
from duban.projects.models import Blocker, Project, Review
from duban.projects.stats import stats


class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.city = demo_city.build(random.Random(1))
        cls.now = timezone.now()
        cls.summary = demo.load(cls.city, random.Random(7), cls.now)

    def test_it_creates_projects_across_the_districts_with_their_chief_and_secretary(self):
        projects = Project.objects.all()
        self.assertGreaterEqual(projects.count(), 12)
        self.assertEqual({p.district.tier in Unit.AREA_GOVERNMENTS for p in projects}, {True})
        self.assertGreaterEqual(len({p.district_id for p in projects}), 5)
        self.assertTrue(projects.filter(name__contains="碳纤维原丝").exists())
        for project in projects:
            self.assertIsNotNone(project.chief)
            self.assertIsNotNone(project.secretary)
            self.assertTrue(Stewardship.objects.active().filter(person=project.chief, kind="project",
                                                                subject=project.name).exists())
            self.assertGreaterEqual(project.milestones.count(), 5)

    def test_the_projects_the_tickets_name_keep_the_citys_365_chief_and_secretary(self):
        name = demo_city.PROJECTS[0][0]
        project = Project.objects.get(name=name)
        self.assertEqual((project.chief.username, project.secretary.username), ("project_chief1", "project_secretary1"))

    def test_each_project_has_three_to_six_reviews_a_fortnight_apart_all_in_the_past(self):
        for project in Project.objects.all():
            days = list(project.reviews.order_by("period_end").values_list("period_end", flat=True))
            self.assertTrue(3 <= len(days) <= 6, project)
            self.assertEqual({b - a for a, b in zip(days, days[1:])}, {timedelta(days=14)})
            self.assertLess(project.reviews.latest("filed_at").filed_at, self.now)
            self.assertEqual(project.reviews.get(period_end=days[-1]).filed_by, project.secretary)

    def test_blockers_are_tickets_some_removed_some_still_open(self):
        blockers = Blocker.objects.select_related("ticket", "project")
        states = {b.ticket.state for b in blockers}
        self.assertIn("closed", states)
        self.assertTrue(states - {"closed"})
        for blocker in blockers:
            first = Event.objects.get(ticket=blocker.ticket, seq=1)
            self.assertEqual(first.payload["source"], {"project": blocker.project_id, "review": blocker.review_id})
            self.assertEqual(blocker.ticket.lead_unit_id, blocker.unit_id)
            self.assertLess(blocker.ticket.updated_at, self.now)
        self.assertEqual(verify().problems, [])

    def test_the_board_shows_every_light(self):
        lights = {p.light.colour for p in service.with_lights(Project.objects.all(), timezone.localdate(self.now))}
        self.assertEqual(lights, {"green", "yellow", "red"})

    def test_the_summary_and_the_stats_count_the_rows(self):
        self.assertIn(f"{Project.objects.count()} 个重点项目", self.summary)
        self.assertIn(f"{Review.objects.count()} 次双周调度", self.summary)
        sections = {key: values for key, _title, values in stats()}
        self.assertEqual(sum(n for _label, n in sections["projects_by_stage"].values()), Project.objects.count())
        self.assertEqual(sections["project_blockers"]["all"][1], Blocker.objects.count())
        self.assertGreater(sections["project_blockers"]["open"][1], 0)

    def test_loading_twice_changes_nothing(self):
        count = Project.objects.count()
        demo.load(self.city, random.Random(7), self.now)
        self.assertEqual(Project.objects.count(), count)
