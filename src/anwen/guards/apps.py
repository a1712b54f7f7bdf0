from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuardsConfig(AppConfig):
    name = "anwen.guards"
    label = "guards"
    verbose_name = _("Security guards")

    def ready(self) -> None:
        from anwen.obligations.plans import register_rule
        from anwen.obligations.registry import register_kind

        from . import registers  # noqa: F401 (declares the register)
        from .rules import RULES
        from .trainings import RECORD_KIND

        register_kind(RECORD_KIND)

        for rule in RULES:
            register_rule(rule)
