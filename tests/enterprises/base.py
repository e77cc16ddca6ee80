"""A firm in 江南区 with 于书记 (a leader) as its cadre, and what the tests need around it."""
from datetime import timedelta

from django.utils import timezone

from duban.enterprises import service
from tests.base import DubanTestCase

PHONE = "13904321234"


class EnterpriseTestCase(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.firm = service.register(cls.supervisor, name="江城宏达机械制造有限公司", district=cls.jiangnan,
                                    credit_code="91350100M000100Y43", address="江南区西山街道工业路8号",
                                    industry="manufacturing", scale="above", contact_name="刘继宏",
                                    contact_phone=PHONE)
        cls.charge = service.assign_cadre(cls.firm, cls.steward, note="服务大使",
                                          on=timezone.localdate() - timedelta(days=30))

    def visit(self, *requests, cadre=None, **fields):
        values = {"cadre": cadre or self.steward, "visited_at": timezone.now() - timedelta(hours=2),
                  "kind": "knock", "notes": "入企走访，查看新建车间，企业反映用工和审批问题。"}
        values.update(fields)
        return service.record_visit(self.firm, requests=list(requests), **values)

    def request_spec(self, **fields):
        values = {"title": "急需招聘装卸工", "description": "企业订单增加，急需装卸工20名。", "topic": "labour",
                  "unit": self.chengguan, "category": None}
        values.update(fields)
        return values

    def opened(self, **fields):
        """A visit with one request; returns the request's ticket."""
        visit = self.visit(self.request_spec(**fields))
        return visit.requests.get().ticket
