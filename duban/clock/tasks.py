"""Background work on Django's Tasks API (the django-tasks backport, database backend).

Periodic work is a task that the worker keeps scheduled: whenever no run of it is waiting, the
worker enqueues the next one `every` seconds ahead. Two workers may both enqueue one in the same
instant; that costs a second run, never a second escalation or message, because every task here
is idempotent.
"""
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from duban.clock.escalation import sweep
from duban.ledger.integrity import make_checkpoint


@task()
def escalation_sweep():
    return sweep()


@task()
def ledger_checkpoint():
    checkpoint = make_checkpoint()
    return checkpoint.hash if checkpoint else None


@task()
def deliver_notifications():
    from duban.notify.outbox import deliver_due

    return deliver_due()


def periodic():
    return [(escalation_sweep, settings.SWEEP_EVERY_SECONDS),
            (deliver_notifications, settings.DELIVER_EVERY_SECONDS),
            (ledger_checkpoint, settings.CHECKPOINT_EVERY_SECONDS)]


def ensure_scheduled(now=None):
    """Enqueue the next run of each periodic task that has none waiting; returns how many."""
    now = now or timezone.now()
    enqueued = 0
    for periodic_task, every in periodic():
        waiting = DBTaskResult.objects.filter(task_path=periodic_task.module_path,
                                              status=TaskResultStatus.READY).exists()
        if not waiting:
            periodic_task.using(run_after=now + timedelta(seconds=every)).enqueue()
            enqueued += 1
    return enqueued
