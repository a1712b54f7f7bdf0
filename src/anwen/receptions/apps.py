from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionsConfig(AppConfig):
    name = "anwen.receptions"
    label = "receptions"
    verbose_name = _("Leaders' receptions")
