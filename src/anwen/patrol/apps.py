from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _patrol_page(period) -> str:
    from django.urls import reverse

    return reverse("patrol:index")


class PatrolConfig(AppConfig):
    name = "anwen.patrol"
    label = "patrol"
    verbose_name = _("Guard patrol")

    def ready(self) -> None:
        from anwen.obligations.registry import RecordKind, register_kind

        # A complete or late night round, judged the next morning (patrol.services).
        # The guard's inbox lists tonight's round itself (patrol.todo).
        register_kind(
            RecordKind(
                code="patrol.round", label=_("Night patrol round"), url=_patrol_page, in_inbox=False
            )
        )
