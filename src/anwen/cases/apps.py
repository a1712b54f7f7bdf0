from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The case types, one module each; a new type is a module here and its name in this list.
TYPE_MODULES = [
    "bullying",
    "care",
    "clues",
    "disputes",
    "fraud",
    "incidents",
    "keypersons",
    "opinion",
    "petitions",
    "threats",
    "transport",
]


class CasesConfig(AppConfig):
    name = "anwen.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from anwen.evidence.registry import Owner, register_owner
        from anwen.obligations.plans import register_rule

        from .selectors import cases_whose_files_open

        # Each module declares one case type (registering it on import) and the plan rules
        # it reads as RULES.
        for module in TYPE_MODULES:
            declared = import_module(f"anwen.cases.{module}")
            for rule in getattr(declared, "RULES", ()):
                register_rule(rule)
        register_owner(
            Owner(
                code="cases.files",
                model="cases.Case",
                field="files",
                records=cases_whose_files_open,
            )
        )
