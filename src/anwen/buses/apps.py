from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusesConfig(AppConfig):
    name = "anwen.buses"
    label = "buses"
    verbose_name = _("School buses")

    def ready(self) -> None:
        from anwen.obligations.plans import register_rule

        from . import registers  # noqa: F401 (declares the buses, drivers and attendants)
        from .rules import RULES

        for rule in RULES:
            register_rule(rule)
