"""Whose records' photos a user may open (the evidence registry's owner): a logged activity's
photo by those who log the school's activities (`obligations.log`) and those who watch its
completion (`obligations.view`)."""

from django.db.models import QuerySet

from anwen.obligations.models import Record
from anwen.orgs.scope import with_perm


def records_whose_files_open(user) -> QuerySet[Record]:
    return with_perm(Record.objects.all(), user, "obligations.view", "obligations.log", full=True)
