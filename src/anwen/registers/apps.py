from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "anwen.registers"
    label = "registers"
    verbose_name = _("Registers")

    def ready(self) -> None:
        from anwen.obligations.plans import register_rule

        from .rules import RULES

        for rule in RULES:
            register_rule(rule)
