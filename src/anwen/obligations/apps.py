from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObligationsConfig(AppConfig):
    name = "anwen.obligations"
    label = "obligations"
    verbose_name = _("Obligations")

    def ready(self) -> None:
        from anwen.evidence.registry import Owner, register_owner
        from anwen.obligations.buses import register_bus_sessions
        from anwen.obligations.files import records_whose_files_open
        from anwen.obligations.routine import register_routine_kinds

        register_routine_kinds()
        register_bus_sessions()
        register_owner(
            Owner(
                code="obligations.record",
                model="obligations.Record",
                field="evidence",
                records=records_whose_files_open,
            )
        )
