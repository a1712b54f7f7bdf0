from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "anwen.funding"
    label = "funding"
    verbose_name = _("Safety funding")

    def ready(self) -> None:
        from . import registers  # noqa: F401 (declares the register)
