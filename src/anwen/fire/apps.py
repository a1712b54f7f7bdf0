from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _fire_page(period) -> str:
    from django.urls import reverse

    return reverse("fire:index")


class FireConfig(AppConfig):
    name = "anwen.fire"
    label = "fire"
    verbose_name = _("Fire safety")

    def ready(self) -> None:
        from anwen.evidence.registry import Owner, register_owner
        from anwen.fire.files import assessments_whose_reports_open, checks_whose_forms_open
        from anwen.fire.rules import RULES
        from anwen.obligations.plans import register_rule
        from anwen.obligations.registry import RecordKind, register_kind

        for rule in RULES:
            register_rule(rule)
        from anwen.fire import registers  # noqa: F401 (declares the fire registers)

        # Written by the inspections app when a fire self-check inspection is submitted.
        # The safety officer's inbox lists the check and the signed form itself (fire.todo).
        register_kind(
            RecordKind(
                code="fire.self_check",
                label=_("Fire safety self-check"),
                url=_fire_page,
                in_inbox=False,
            )
        )
        register_owner(
            Owner(
                code="fire.signed_form",
                model="fire.FireSelfCheck",
                field="signed_form",
                records=checks_whose_forms_open,
            )
        )
        register_owner(
            Owner(
                code="fire.assessment_report",
                model="fire.FireRiskAssessment",
                field="report",
                records=assessments_whose_reports_open,
            )
        )
