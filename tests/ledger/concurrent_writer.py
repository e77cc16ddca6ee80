"""A writer process for the concurrency test: waits for the start signal, then writes.

Usage: python -m tests.ledger.concurrent_writer START_FILE TICKETS NOTES SHARED_TICKET_ID
"""
import os
import sys
import time


def main(start_file, tickets, notes, shared_id):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    from tests.child import follow_parent_clock

    follow_parent_clock()
    import django

    django.setup()
    from duban.catalogue.models import Category, Channel
    from duban.ledger.machine import perform, receive
    from duban.ledger.models import Ticket
    from duban.org.models import Person

    dispatcher = Person.objects.get(username="li")
    category, channel = Category.objects.get(name="僵尸车"), Channel.objects.get(code="hotline")
    shared = Ticket.objects.get(pk=shared_id)
    while not os.path.exists(start_file):
        time.sleep(0.005)
    for i in range(max(tickets, notes)):
        if i < tickets:
            receive(actor=dispatcher, kind="complaint", category=category, channel=channel,
                    title=f"并发写入 {os.getpid()}-{i}", description="并发测试")
        if i < notes:
            perform(shared, "note", dispatcher, text=f"进程 {os.getpid()} 的第 {i} 条备注")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
