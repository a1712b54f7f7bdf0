"""Whose duty records' files a user may open (the evidence registry's owners), by the rule of
each record's own page: a letter's scan by its signer and by those who watch the school's
duties (`duties.view`: its safety office, principal, centre, bureau), not by a colleague;
five-in-place evidence and commitment evidence by those who watch the school's duties."""

from django.db.models import Q, QuerySet

from anwen.duties.models import Commitment, FiveInPlacePart, ResponsibilityLetter
from anwen.orgs.scope import with_perm

WATCH = "duties.view"


def letters_whose_files_open(user) -> QuerySet[ResponsibilityLetter]:
    watched = with_perm(ResponsibilityLetter.objects.all(), user, WATCH, full=True)
    return ResponsibilityLetter.objects.filter(
        Q(person__user=user) | Q(pk__in=watched.values("pk"))
    )


def five_parts_whose_files_open(user) -> QuerySet[FiveInPlacePart]:
    return with_perm(FiveInPlacePart.objects.all(), user, WATCH, field="assessment__org", full=True)


def commitments_whose_files_open(user) -> QuerySet[Commitment]:
    return with_perm(Commitment.objects.all(), user, WATCH, full=True)
