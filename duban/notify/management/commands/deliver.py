import time

from django.core.management.base import BaseCommand

from duban.notify.outbox import deliver_due


class Command(BaseCommand):
    help = "Deliver due notifications (email, SMS, WeCom, DingTalk); --once to send what is due and stop."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--limit", type=int, default=50)

    def handle(self, *args, once=False, limit=50, **options):
        while True:
            handled = deliver_due(limit=limit)
            if handled:
                self.stdout.write(f"已处理 handled {handled}")
            if once:
                return
            if handled < limit:
                time.sleep(1)
