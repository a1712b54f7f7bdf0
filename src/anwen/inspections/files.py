"""Whose inspection photos a user may open (the evidence registry's owners): those of the
inspections the user may see, through the same rule as the inspection's page (access.py), so
an invited agency inspector opens the photos of his joint inspection and nobody else's."""

from django.db.models import QuerySet

from anwen.inspections.access import inspection_q
from anwen.inspections.models import Answer, Finding, Inspection


def _visible(user) -> QuerySet[Inspection]:
    return Inspection.objects.filter(inspection_q(user, full=True))


def answers_whose_photos_open(user) -> QuerySet[Answer]:
    return Answer.objects.filter(inspection__in=_visible(user))


def findings_whose_photos_open(user) -> QuerySet[Finding]:
    return Finding.objects.filter(inspection__in=_visible(user))
