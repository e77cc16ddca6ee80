"""Loading the demo: the city, then its tickets, then a checkpoint over them."""
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from duban.clock.calendar import load_provisional, loaded_range
from duban.clock.escalation import sweep
from duban.demo import city, tickets
from duban.ledger.integrity import make_checkpoint
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
    for target in Classifier.Target:
        row = suggest.train(target)
        if row is not None:
            log(f"  派单建议模型 dispatch classifier ({target.label}): {row.samples} 件已办结工单 closed tickets")
    make_checkpoint(margin_seconds=0)
    return demo_city
