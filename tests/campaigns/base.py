"""Two campaigns over the test city, and a list of pledges.

- parking: 静态交通综合整治 (lead 城管局, co-unit 交警支队), covering 停车秩序 (and so 僵尸车), with
  a target counting its closed 僵尸车 tickets (goal 3) and one summing its tasks' reports of
  清除地桩地锁 (goal 2000 处);
- sanitation: 环境卫生整治 (lead 城管局), covering 垃圾清理, with its own 僵尸车 target, so that a
  ticket linked to one campaign is seen not to count for the other.
"""
from datetime import timedelta

from django.utils import timezone

from duban.campaigns import service
from duban.campaigns.models import Campaign, PledgeList, Programme, Target
from duban.ledger.machine import perform
from tests.base import DubanTestCase, photo


class CampaignTestCase(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        today = timezone.localdate()
        cls.programme = Programme.objects.create(name="2025年作风建设年专项整治")
        cls.parking_campaign = Campaign.objects.create(
            programme=cls.programme, name="静态交通综合整治行动", goal="清理僵尸车，清除地桩地锁。",
            starts_on=today - timedelta(days=60), ends_on=today + timedelta(days=60), lead_unit=cls.chengguan)
        cls.parking_campaign.co_units.set([cls.jiaojing])
        cls.parking_campaign.categories.set([cls.parking])
        cls.zombie_target = Target.objects.create(campaign=cls.parking_campaign, name="清理僵尸车", measure="台次",
                                                  goal=3, counts=Target.Counts.TICKETS, category=cls.zombie_car)
        cls.bollards = Target.objects.create(campaign=cls.parking_campaign, name="清除地桩地锁", measure="处",
                                             goal=2000, counts=Target.Counts.REPORTED)
        cls.sanitation_campaign = Campaign.objects.create(
            programme=cls.programme, name="城区环境卫生集中整治", goal="清理卫生死角。",
            starts_on=today - timedelta(days=60), ends_on=today + timedelta(days=60), lead_unit=cls.chengguan)
        cls.sanitation_campaign.categories.set([cls.sanitation])
        cls.other_zombies = Target.objects.create(campaign=cls.sanitation_campaign, name="清理僵尸车", measure="台次",
                                                  goal=5, counts=Target.Counts.TICKETS, category=cls.zombie_car)
        cls.other_reported = Target.objects.create(campaign=cls.sanitation_campaign, name="清理卫生死角", measure="处",
                                                   goal=100, counts=Target.Counts.REPORTED)
        cls.pledge_list = PledgeList.objects.create(name="2025年建设幸福江城行动计划·惠民实事", year=2025,
                                                    published=True)

    @classmethod
    def to_chengguan(cls, **fields):
        """A ticket dispatched by hand to 城管局, whatever its category."""
        ticket = cls.new_ticket(**fields)
        perform(ticket, "dispatch", cls.dispatcher, unit=cls.chengguan)
        return ticket

    @classmethod
    def closed_ticket(cls, **fields):
        ticket = cls.to_chengguan(**fields)
        perform(ticket, "acknowledge", cls.handler)
        perform(ticket, "resolve", cls.handler, text="已联系车主将车辆拖离", files=[photo()])
        perform(ticket, "verify", cls.supervisor)
        perform(ticket, "close", cls.supervisor)
        return ticket

    @classmethod
    def task(cls, campaign=None, target=None, unit=None, days=10, title="清除辖区私设地桩地锁"):
        campaign = campaign or cls.parking_campaign
        return service.add_task(campaign, unit=unit or cls.chengguan, title=title,
                                due=timezone.localdate() + timedelta(days=days),
                                target=cls.bollards if target is None and campaign == cls.parking_campaign else target,
                                actor=cls.supervisor)

    @classmethod
    def pledge(cls, number=1, days=30, owner=None, **fields):
        values = {"area": "城乡建设", "title": "新施划停车泊位4000个", "target": "在主次街路新施划停车泊位4000个。"}
        values.update(fields)
        return service.add_pledge(cls.pledge_list, number=number, owner=owner or cls.chengguan,
                                  deadline=timezone.localdate() + timedelta(days=days), actor=cls.supervisor, **values)
