"""How each transition the machine allows appears on the ticket page: the fields its form asks
for, whether each is required, and the words on them. Whether the action may happen at all is
the machine's answer (allowed_actions), never decided here."""
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from duban.ledger.machine import APPEAL_GROUNDS
from duban.ledger.models import DeclineReason, Rating
from duban.web.forms import YES_NO

# action → ((field, required, label or None for the form's own), …)
FIELDS = {
    "dispatch": (("category", False, None), ("unit", False, _("Lead unit (empty: by the dispatch catalogue)")),
                 ("text", False, _("Note for the unit"))),
    "decline": (("decline_reason", True, None), ("text", False, None)),
    "acknowledge": (("text", False, None),),
    "return": (("reason", True, _("Why this is not for your unit, and whose it is")),),
    "reassign": (("unit", True, _("Send to unit")), ("reason", True, _("Outcome of the review of the return"))),
    "start": (),
    "note": (("text", True, _("Note or reply")),),
    "resolve": (("text", True, _("How the matter was resolved (the reply the reporter reads)")),
                ("files", True, _("Evidence: photos or documents"))),
    "send_back": (("reason", True, _("What is still wrong")),),
    "verify": (("text", False, _("What the check found")),),
    "close": (("text", False, None),),
    "reopen": (("reason", True, _("Why it is reopened")),),
    "merge": (("target", True, None), ("reason", False, None)),
    "request_pause": (("reason", True, _("Why the clock should stop (e.g. waiting for the reporter)")),),
    "request_extension": (("days", True, _("Extra working days")), ("reason", True, None)),
    "approve_request": (("text", False, None),),
    "refuse_request": (("reason", True, None),),
    "resume": (("text", False, None),),
    "supervise": (("text", True, _("The demand: what must be done")), ("due", True, None)),
    "appeal": (("grounds", True, None), ("reason", True, _("What shows the rating is wrong"))),
    "uphold_appeal": (("reason", True, _("The decision and its reasons: the rating leaves every figure")),),
    "reject_appeal": (("reason", True, _("The decision and its reasons: the rating stands")),),
}
# Ratings and call-backs are recorded through the call-back form (duban.verdict), not from this table.
# Actions shown first and as the main button; the rest follow.
PRIMARY = ("dispatch", "acknowledge", "start", "resolve", "verify", "close", "reassign", "approve_request")
# Actions that take the matter away or refuse it: shown with a warning colour (and words).
DANGER = {"decline", "return", "send_back", "reopen", "merge", "refuse_request", "uphold_appeal"}
CHOICES = {"decline_reason": DeclineReason.choices, "rating": Rating.choices, "solved": YES_NO,
           "grounds": list(APPEAL_GROUNDS.items())}


@dataclass
class Field:
    name: str
    required: bool
    label: str
    choices: list = ()


@dataclass
class Action:
    name: str
    label: str
    fields: list
    primary: bool
    danger: bool

    @property
    def multipart(self):
        return any(f.name == "files" for f in self.fields)


def forms_for(transitions, ticket, form):
    """The forms to show for the transitions allowed now, main ones first."""
    actions = []
    for transition in sorted(transitions, key=lambda t: (t.action not in PRIMARY, t.action in DANGER)):
        if transition.action not in FIELDS:
            continue
        fields = []
        for name, required, label in FIELDS.get(transition.action, ()):
            if name == "files" and ticket.kind in settings.RESOLVE_WITHOUT_ATTACHMENT_KINDS:
                required = False
            own = form.fields[name].label if name in form.fields else ""
            fields.append(Field(name, required, label or own, CHOICES.get(name, ())))
        actions.append(Action(transition.action, transition.label, fields, transition.action in PRIMARY,
                              transition.action in DANGER))
    return actions
