"""Loading the demo: the city, then its tickets, then a checkpoint over them."""
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from duban.clock.calendar import load_provisional, loaded_range
from duban.clock.escalation import sweep
from duban.assessment import demo as assessment_demo
from duban.assessment import scoring
from duban.campaigns import demo as campaigns_demo
from duban.demo import city, tickets, verdicts
from duban.enterprises import demo as enterprises_demo
from duban.figures.figures import Period
from duban.inspections import demo as inspections_demo
from duban.ledger.integrity import make_checkpoint
from duban.org.models import Unit
from duban.projects import demo as projects_demo
from duban.races import demo as races_demo
from duban.surveys import demo as surveys_demo
from duban.triage import suggest
from duban.triage.models import Classifier


def load(count, seed, log=print):
    """Build the demo city and `count` tickets; the same seed gives the same city and tickets."""
    rng = random.Random(seed)
    _first, last = loaded_range()
    if last < (timezone.now() + timedelta(days=90)).date():
        load_provisional(last.year + 1)
        log(f"  注意：{last.year + 1}年节假日安排尚未载入，演示暂按周末和元旦休息 "
            f"warning: {last.year + 1} loaded as a provisional calendar (weekends and New Year's Day off)")
    with transaction.atomic():
        demo_city = city.build(rng)
    log(f"  {len(demo_city.by_id)} 个单位 units")
    made = tickets.generate(demo_city, count, rng, log)
    tickets.ask_for_time(demo_city, made, timezone.now(), rng)
    log(f"  {sweep()} 次升级督办 escalations")
    programmes(demo_city, rng, log)
    log(f"  {sweep()} 次升级督办 escalations (专项工作 programmes)")
    for target in Classifier.Target:
        row = suggest.train(target)
        if row is not None:
            log(f"  派单建议模型 dispatch classifier ({target.label}): {row.samples} 件已办结工单 closed tickets")
    make_checkpoint(margin_seconds=0)
    return demo_city


def programmes(demo_city, rng, log=print):
    """What follows the tickets: the programmes (key projects, campaigns and pledges, inspection
    rounds, enterprise service), call-backs and ratings, last month's sample, the indicator races,
    the review survey, and the assessments published for last month (with the black list's
    reflections)."""
    now = timezone.now()
    for name, module in (("重点项目 key projects", projects_demo), ("专项整治与惠民实事 campaigns and pledges",
                                                                  campaigns_demo),
                         ("督导检查 inspections", inspections_demo), ("万人助万企 enterprises", enterprises_demo)):
        with transaction.atomic():
            log(f"  {name}: {module.load(demo_city, rng, now)}")
    with transaction.atomic():
        done = verdicts.call_backs(demo_city, now, rng)
    log(f"  {done['verdicts']} 条回访评价 verdicts, {done['unreached']} 次未接通 unreached, "
        f"{done['appeals']} 件申诉 appeals")
    with transaction.atomic():
        sample, called = verdicts.sampled(demo_city, now, rng)
    log(f"  {sample.name}: {sample.size} 件抽取 drawn, {called} 件已回访 called")
    units = demo_city.by_id.values()
    districts = [u for u in units if u.tier in Unit.AREA_GOVERNMENTS]
    departments = [u for u in units if u.tier == Unit.Tier.DEPARTMENT and u.parent_id == demo_city.units["city"].pk]
    indicators = races_demo.load(districts, today=timezone.localdate(now), seed=rng.randrange(10**6))
    log(f"  {len(indicators)} 项赛马指标 race indicators")
    supervisor = demo_city.supervisors[0]
    schemes = assessment_demo.load(districts, departments, supervisor, timezone.localdate(now),
                                   seed=rng.randrange(10**6))
    with transaction.atomic():
        log(f"  评议问卷 surveys: {surveys_demo.load(demo_city, rng, now)}")
    month = Period.of_month(now.year, now.month).previous()
    for scheme in schemes:
        with transaction.atomic():
            published = scoring.publish(scheme, month, supervisor)
        log(f"  {scheme.name} {month.label}: {len(published)} 个单位 units")
