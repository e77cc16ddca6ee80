from django.core.management.base import BaseCommand

from duban.ledger.integrity import verify


class Command(BaseCommand):
    help = "Verify every ticket's hash chain and every checkpoint; exit 1 naming each broken ticket."

    def handle(self, *args, **options):
        report = verify()
        for number, message in report.problems:
            self.stderr.write(f"BROKEN {number or '-'}: {message}")
        summary = (f"{report.tickets} tickets, {report.events} events, "
                   f"{report.checkpoints} checkpoints checked")
        if report.ok:
            self.stdout.write(f"台账完整 ledger intact: {summary}")
            return
        self.stderr.write(f"台账被改动 ledger broken: {len(report.broken_tickets)} tickets "
                          f"({', '.join(report.broken_tickets) or 'none named'}); {summary}")
        raise SystemExit(1)
