from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "anwen.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from anwen.evidence.registry import Owner, register_owner
        from anwen.obligations.plans import register_rule

        from . import petitions  # noqa: F401 - declares and registers the petition type
        from .rules import RULES
        from .selectors import cases_whose_files_open

        for rule in RULES:
            register_rule(rule)
        register_owner(
            Owner(
                code="cases.files",
                model="cases.Case",
                field="files",
                records=cases_whose_files_open,
            )
        )
