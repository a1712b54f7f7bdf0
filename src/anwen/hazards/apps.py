from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "anwen.hazards"
    label = "hazards"
    verbose_name = _("Hazards")

    def ready(self) -> None:
        from anwen.evidence.registry import Owner, register_owner
        from anwen.maps.marks import register as maps_register
        from anwen.obligations.plans import register_rule
        from anwen.workflow.engine import register

        from .files import hazards_whose_photos_open
        from .lifecycle import HAZARD
        from .marks import LABEL, LEGEND, worst_open_hazard
        from .rules import RULES

        for rule in RULES:
            register_rule(rule)
        register(HAZARD)
        maps_register("hazards", worst_open_hazard, label=LABEL, legend=LEGEND)
        for field in ("photos_before", "photos_after"):
            register_owner(
                Owner(
                    code=f"hazards.{field}",
                    model="hazards.Hazard",
                    field=field,
                    records=hazards_whose_photos_open,
                )
            )
