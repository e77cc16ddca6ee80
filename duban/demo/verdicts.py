"""Demo verdicts: the hotline calls back the closed matters, reporters rate them, some units appeal,
and the supervision office draws last month's sampled call-backs — all through duban.verdict.

Each unit gets a standing of its own (how well it answers), so the month's rankings spread out
the way the seeds' 晾晒 tables do: most units satisfy, a few trail and land on the black list.
"""
from datetime import timedelta

from django.utils import timezone

from duban.ledger.machine import TransitionError, perform
from duban.ledger.models import State
from duban.verdict import service
from duban.verdict.models import CallBack

SAID = {
    5: ["问题解决得很及时，非常满意", "工作人员当天就来了，点赞", "处理结果很满意，谢谢热线"],
    4: ["已经解决了，比较满意", "处理得还可以", "问题基本解决，满意"],
    3: ["解决了，就是慢了点", "基本解决，希望以后更快些"],
    2: ["只来看了一眼，没有实质解决", "答复敷衍，不满意", "说好的整改没有落实"],
    1: ["根本没人联系我", "问题依旧，非常不满意", "踢皮球，打了三次电话都没用"],
}
APPEALS = [("malicious", "来电人与被投诉商户存在经营纠纷，评价与办理情况不符"),
           ("mistaken", "来电人评价的是另一处路段的问题，不属于本工单")]
DECISIONS = {True: "经调取通话录音和现场照片核实，申诉理由成立，该评价不计入考核",
             False: "经回访核实，群众反映属实，申诉理由不成立，维持原评价"}


def standings(city, rng):
    """How well each unit answers, 0.55–0.98: drawn once per unit."""
    return {pk: rng.uniform(0.55, 0.98) for pk in sorted(city.by_id)}


def answer(standing, rng):
    """What a reporter says of a unit of this standing: (rating, contacted, solved)."""
    if rng.random() < standing:
        rating = rng.choices([5, 4, 3], weights=[6, 3, 1])[0]
    else:
        rating = rng.choices([3, 2, 1], weights=[3, 4, 3])[0]
    contacted = rng.random() < min(0.99, standing + 0.1)
    solved = rating >= 3 or rng.random() < 0.2
    return rating, contacted, solved


def call_time(after, now, rng):
    """A call within two days of `after`, in office hours, never in the future."""
    moment = timezone.localtime(after + timedelta(hours=rng.uniform(2, 40)))
    moment = moment.replace(hour=rng.randint(9, 17), minute=rng.randint(0, 59))
    if moment <= after:
        moment = after + timedelta(minutes=rng.randint(5, 90))
    return min(moment, now - timedelta(minutes=1))


def call_backs(city, now, rng, share_rated_by_reporter=0.2):
    """Answer the ordinary call-backs waiting: some rated by the reporter online, most by phone."""
    standing = standings(city, rng)
    counts = {"verdicts": 0, "unreached": 0, "appeals": 0}
    waiting = (CallBack.objects.filter(status=CallBack.Status.PENDING, kind=CallBack.Kind.ORDINARY)
               .select_related("ticket").order_by("ticket__updated_at", "pk"))
    for call in waiting:
        ticket = call.ticket
        if ticket.state != State.CLOSED or rng.random() < 0.06:
            continue  # not yet called
        at = call_time(ticket.updated_at, now, rng)
        if at < ticket.updated_at:
            continue
        rating, contacted, solved = answer(standing[ticket.lead_unit_id], rng)
        note = rng.choice(SAID[rating])
        try:
            if rng.random() < 0.08:
                service.record_call_back(call, rng.choice(city.dispatchers), reached=False, note="无人接听", at=at)
                counts["unreached"] += 1
                continue
            if rng.random() < share_rated_by_reporter:
                event = service.rate(ticket, None, rating=rating, contacted=contacted, solved=solved, note=note, at=at)
            else:
                event = service.record_call_back(call, rng.choice(city.dispatchers), reached=True, contacted=contacted,
                                                 solved=solved, rating=rating, note=note, at=at)
        except TransitionError:
            continue
        counts["verdicts"] += 1
        if rating <= 2 and rng.random() < 0.25:
            counts["appeals"] += appeal(city, ticket, event, now, rng)
    return counts


def appeal(city, ticket, event, now, rng):
    """The rated unit appeals; a supervisor over it decides a day or two later."""
    ticket.refresh_from_db()
    unit = ticket.lead_unit_id
    handler = city.heads.get(unit) or rng.choice(city.handlers[unit])
    supervisors = [s for s in city.supervisors if city.by_id[unit].path.startswith(s.scope.path) and s.unit_id != unit]
    if not supervisors:
        return 0
    filed = min(ticket.updated_at + timedelta(hours=rng.uniform(3, 30)), now - timedelta(minutes=2))
    decided = min(filed + timedelta(hours=rng.uniform(4, 48)), now - timedelta(minutes=1))
    grounds, statement = rng.choice(APPEALS)
    upheld = rng.random() < 0.4
    try:
        perform(ticket, "appeal", handler, at=filed, grounds=grounds, reason=statement)
        perform(ticket, "uphold_appeal" if upheld else "reject_appeal", rng.choice(supervisors), at=decided,
                reason=DECISIONS[upheld])
    except TransitionError:
        return 0
    return 1


def sampled(city, now, rng):
    """Last month's sampled call-backs (抽件回访): 5% of each unit's closed matters, most already called."""
    first = timezone.localdate(now).replace(day=1)
    start = (first - timedelta(days=1)).replace(day=1)
    sample = service.draw_sample(name=f"{start.year}年{start.month}月抽件回访", starts_on=start,
                                 ends_on=first - timedelta(days=1), share=0.05, seed=rng.randrange(10**6),
                                 verifiers=city.dispatchers[:2] or city.dispatchers, actor=city.supervisors[0],
                                 now=now - timedelta(days=3))
    standing = standings(city, rng)
    done = 0
    for call in sample.call_backs.select_related("ticket").order_by("pk"):
        if rng.random() < 0.3:
            continue
        at = call_time(max(call.ticket.updated_at, sample.drawn_at), now, rng)
        rating, contacted, solved = answer(standing[call.ticket.lead_unit_id], rng)
        try:
            service.record_call_back(call, call.assigned_to, reached=True, contacted=contacted, solved=solved,
                                     rating=rating, note=rng.choice(SAID[rating]), at=at)
        except TransitionError:
            continue
        done += 1
    return sample, done
