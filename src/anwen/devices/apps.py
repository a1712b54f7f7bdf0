from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevicesConfig(AppConfig):
    name = "anwen.devices"
    label = "devices"
    verbose_name = _("Security devices")

    def ready(self) -> None:
        from anwen.obligations.plans import register_rule

        from . import registers  # noqa: F401 (declares the register)
        from .rules import RULES

        for rule in RULES:
            register_rule(rule)
