import time

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from duban.clock.tasks import ensure_scheduled


class Command(BaseCommand):
    help = ("Run a background worker: every task in the queue, and the periodic ones — the escalation "
            "sweep, notification delivery, ledger checkpoints. Start as many as you like, anywhere.")

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds to wait when idle")
        parser.add_argument("--once", action="store_true", help="schedule, run what is due, then exit")

    def handle(self, *args, interval=1.0, once=False, **options):
        worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                        max_tasks=None, worker_id=get_random_string(32), excluded_queue_names=[])
        worker.configure_signals()
        self.stdout.write(f"督办后台任务已启动 worker {worker.worker_id} started")
        while worker.running:
            ensure_scheduled()
            worker.run()
            if once:
                return
            time.sleep(interval)
