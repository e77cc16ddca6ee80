from django.core.management.base import BaseCommand

from duban.ledger.integrity import make_checkpoint


class Command(BaseCommand):
    help = "Hash all events written since the last checkpoint (and older than the margin); print the hash."

    def add_arguments(self, parser):
        parser.add_argument("--margin", type=int, default=None,
                            help="only events written at least this many seconds ago (default: setting)")

    def handle(self, *args, margin=None, **options):
        checkpoint = make_checkpoint(margin)
        if checkpoint is None:
            self.stdout.write("没有新事件 nothing new to checkpoint")
            return
        self.stdout.write(f"checkpoint {checkpoint.pk}: events ≤ {checkpoint.upto_event_id}, "
                          f"{checkpoint.event_count} in all, hash {checkpoint.hash}")
