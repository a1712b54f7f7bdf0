"""Whose hazard photos a user may open (the evidence registry's owner): those of the hazards
whose page the user opens."""

from django.db.models import QuerySet

from .models import Hazard
from .selectors import visible_hazards


def hazards_whose_photos_open(user) -> QuerySet[Hazard]:
    return visible_hazards(user, full=True)
