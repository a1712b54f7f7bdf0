from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObligationsConfig(AppConfig):
    name = "anwen.obligations"
    label = "obligations"
    verbose_name = _("Obligations")

    def ready(self) -> None:
        from anwen.obligations.routine import register_routine_kinds

        register_routine_kinds()
