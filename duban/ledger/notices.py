"""Who is told when tickets are merged: both reporters, each about the ticket that goes on."""
from django.utils.translation import gettext as _


def _reporter(ticket):
    return [("sms", ticket.reporter_phone), ("email", ticket.reporter_email)]


def merged(ticket, event):
    from duban.notify.outbox import enqueue  # the notify app depends on the ledger, not back

    original = ticket.merged_into
    unit = original.lead_unit.name if original.lead_unit_id else _("the hotline centre")
    for reported in (ticket, original):
        enqueue(event, template="merged", contacts=_reporter(reported),
                context={"reported": reported, "original": original, "unit": unit})
