from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _today_page(period) -> str:
    from django.urls import reverse

    subject = getattr(period, "subject_id", 0)
    if subject:
        return reverse("inspections:area_check", args=[subject])
    return reverse("inspections:today")


def _new_page(purpose: str):
    def url(period) -> str:
        from django.urls import reverse

        return f"{reverse('inspections:new')}?purpose={purpose}"

    return url


class InspectionsConfig(AppConfig):
    name = "anwen.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from anwen.evidence.registry import Owner, register_owner
        from anwen.inspections import files
        from anwen.inspections.registry import grid_area_subjects
        from anwen.inspections.rules import RULES
        from anwen.obligations.plans import register_rule
        from anwen.obligations.registry import (
            RecordKind,
            SubjectProvider,
            register_kind,
            register_subjects,
        )

        for rule in RULES:
            register_rule(rule)
        for code, label, url in (
            ("inspections.area_daily", _("Daily grid-area inspection"), _today_page),
            (
                "inspections.office_weekly",
                _("Weekly safety-office inspection"),
                _new_page("office_weekly"),
            ),
            (
                "inspections.leadership_monthly",
                _("Monthly leadership inspection"),
                _new_page("leadership_monthly"),
            ),
            ("inspections.screening", _("Centre screening"), _new_page("screening")),
            ("inspections.spot", _("Bureau spot check"), _new_page("spot")),
            ("inspections.joint", _("Joint inspection"), _new_page("joint")),
            (
                "inspections.bus_monthly",
                _("Monthly school-bus inspection"),
                _new_page("bus_monthly"),
            ),
        ):
            register_kind(RecordKind(code=code, label=label, url=url))
        register_subjects(
            SubjectProvider(
                code="inspections.grid_area", label=_("Grid area"), subjects=grid_area_subjects
            )
        )
        register_owner(
            Owner(
                code="inspections.answer",
                model="inspections.Answer",
                field="photos",
                records=files.answers_whose_photos_open,
            )
        )
        register_owner(
            Owner(
                code="inspections.finding",
                model="inspections.Finding",
                field="photos",
                records=files.findings_whose_photos_open,
            )
        )
