from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "duban.triage"
    label = "triage"
    verbose_name = _("Triage")

    def ready(self):
        from duban.ledger.signals import state_changed, states_changed  # noqa: PLC0415 — apps are loaded by now
        from duban.triage.duplicates import follow, follow_many  # noqa: PLC0415

        state_changed.connect(follow, dispatch_uid="triage.duplicates")
        states_changed.connect(follow_many, dispatch_uid="triage.duplicates.many")
