from django.apps import AppConfig


class ToyRegisterConfig(AppConfig):
    name = "anwen.testing.toyregister"
    label = "toyregister"

    def ready(self) -> None:
        from . import registers  # noqa: F401 (declares the register)
