from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FireConfig(AppConfig):
    name = "anwen.fire"
    label = "fire"
    verbose_name = _("Fire safety")
