from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    name = "duban.figures"
    label = "figures"
    verbose_name = _("Figures")

    def ready(self):
        from duban.figures import counters  # noqa: F401  (connects the counters to the ledger)
