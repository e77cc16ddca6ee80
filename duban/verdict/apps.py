from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerdictConfig(AppConfig):
    name = "duban.verdict"
    label = "verdict"
    verbose_name = _("Verdicts")

    def ready(self):
        from duban.ledger.machine import GUARDS
        from duban.verdict import service
        from duban.verdict.models import CallBack

        GUARDS["calling"] = (lambda ticket: service.pending(ticket).exists(),
                             _("No call-back of this ticket is waiting."))
        GUARDS["sampled"] = (lambda ticket: service.pending(ticket, CallBack.Kind.SAMPLED).exists(),
                             _("No sampled call-back of this ticket is waiting."))
