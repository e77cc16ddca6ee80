from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RacesConfig(AppConfig):
    name = "duban.races"
    label = "races"
    verbose_name = _("Indicator races")
