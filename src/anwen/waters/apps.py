from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatersConfig(AppConfig):
    name = "anwen.waters"
    label = "waters"
    verbose_name = _("Dangerous waters")

    def ready(self) -> None:
        from anwen.maps.overlays import register_overlay

        from . import registers  # noqa: F401 (declares the register)
        from .overlay import WATERS_OVERLAY

        register_overlay(WATERS_OVERLAY)
