"""October 2025 in 江城市 (the tests run on 24 November 2025), worked out by hand.

Call-backs and ratings counted per unit (UnitDay rows, 15 October; 城管局 also in September):

| unit         | verdicts | contacted | solved | 5/4/3/2/1   | response | resolution | satisfaction | composite |
|--------------|----------|-----------|--------|-------------|----------|------------|--------------|-----------|
| 市政府督查室 | 10       | 10 of 10  | 10/10  | 10/0/0/0/0  | 100%     | 100%       | 100%         | 100.00    |
| 城管局       | 20       | 19 of 20  | 18/20  | 12/5/2/0/1  | 95%      | 90%        | 94%          | 92.10     |
| 交警支队     | 10       | 8 of 10   | 7/10   | 5/2/1/1/1   | 80%      | 70%        | 79%          | 74.60     |
| 12345热线中心 | 3       | (below the minimum sample of 10: listed, not ranked)                               |
| 江南区       | 12       | 12 of 12  | 11/12  | 10/2/0/0/0  | 100%     | 91.7%      | 100%         | 95.83     |
| 江北区       | 10       | 9 of 10   | 8/10   | 6/2/2/0/0   | 90%      | 80%        | 98%          | 88.20     |

城管局 in September: 10 verdicts, all contacted, 9 solved, 9 rated 5 and 1 rated 2: composite 91.00,
so October's 92.10 is ↑1.10.

Real tickets, all parking matters (城管局 leads), reported by 周大爷 13812345678:
- late: dispatched 9 Oct, due 20 Oct, still open — overdue, named;
- resolved_late: due 13 Oct, resolved 16 Oct (3 working days late), awaiting verification — named;
- on_time: due 20 Oct, resolved 14 Oct — not named;
- whistle: a whistle-blower's report due 20 Oct, open — counted, its title not printed;
- fresh: dispatched 20 Nov, due in December — not overdue.
"""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from duban.catalogue.models import RequestKind
from duban.figures.figures import Period
from duban.figures.models import UnitDay
from duban.ledger.machine import perform
from tests.base import DubanTestCase, photo

SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER = Period.month("2025-10")
REPORTER_NAME, REPORTER_PHONE, TITLE_PHONE = "周大爷", "13812345678", "13987654321"


def at(month, day, hour=9):
    return datetime(2025, month, day, hour, 0, tzinfo=SHANGHAI)


def verdicts(n, contacted, solved, ratings):
    counts = dict(zip(("rated_5", "rated_4", "rated_3", "rated_2", "rated_1"), ratings))
    return {"verdicts": n, "contacted": contacted, "not_contacted": n - contacted, "solved": solved,
            "unsolved": n - solved, **counts}


class BulletinTestCase(DubanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        day = date(2025, 10, 15)
        for unit, counts in (
            (cls.duchashi, verdicts(10, 10, 10, (10, 0, 0, 0, 0))),
            (cls.chengguan, verdicts(20, 19, 18, (12, 5, 2, 0, 1))),
            (cls.jiaojing, verdicts(10, 8, 7, (5, 2, 1, 1, 1))),
            (cls.hotline, verdicts(3, 3, 3, (3, 0, 0, 0, 0))),
            (cls.jiangnan, verdicts(12, 12, 11, (10, 2, 0, 0, 0))),
            (cls.jiangbei, verdicts(10, 9, 8, (6, 2, 2, 0, 0))),
        ):
            UnitDay.objects.create(unit=unit, day=day, assigned=counts["verdicts"] + 5, resolved=counts["verdicts"],
                                   closed=counts["verdicts"], **counts)
        UnitDay.objects.create(unit=cls.chengguan, day=date(2025, 9, 10), **verdicts(10, 10, 9, (9, 0, 0, 1, 0)))

        cls.late = cls.parking_matter(at(10, 9), due=date(2025, 10, 20), title=f"僵尸车占道，请回电{TITLE_PHONE}")
        cls.resolved_late = cls.parking_matter(at(10, 9), due=date(2025, 10, 13), title="人行道违停无人管")
        perform(cls.resolved_late, "acknowledge", cls.handler, at=at(10, 10))
        perform(cls.resolved_late, "resolve", cls.handler, at=at(10, 16), text="已拖离", files=[photo()])
        cls.on_time = cls.parking_matter(at(10, 9), due=date(2025, 10, 20), title="小区门口车辆长期占用消防通道")
        perform(cls.on_time, "acknowledge", cls.handler, at=at(10, 10))
        perform(cls.on_time, "resolve", cls.handler, at=at(10, 14), text="已清理", files=[photo()])
        cls.whistle = cls.parking_matter(at(10, 9), due=date(2025, 10, 20), kind=RequestKind.REPORT,
                                         title="举报城管队员收钱放行违停车辆")
        cls.fresh = cls.parking_matter(at(11, 20), due=date(2025, 12, 10), title="新发现的僵尸车")

    @classmethod
    def parking_matter(cls, when, due, **fields):
        ticket = cls.new_ticket(at=when, reporter_name=REPORTER_NAME, reporter_phone=REPORTER_PHONE, **fields)
        perform(ticket, "dispatch", cls.dispatcher, at=when.replace(minute=5), due=due)
        return ticket
