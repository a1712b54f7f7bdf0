"""Owners: a file is opened by the permission of the record it belongs to.

A file is never open just because its org is in the user's scope: a teacher's colleague's
paper letter lies in the teacher's school, yet the letter itself answers 404 to him, and so
must its scan. The engine that holds the record knows who may see it; for each kind of record
that holds files it registers an owner in its AppConfig.ready:

    from anwen.evidence.registry import Owner, register_owner

    register_owner(Owner(code="duties.letter", model="duties.ResponsibilityLetter",
                         field="scan", records=letters_whose_files_open))

`records(user)` is the rule: a queryset of the records of that kind whose files the user may
open (built from `orgs.scope` like the record's own page, so page and file agree). `field` is
the record's ForeignKey or ManyToManyField to `evidence.EvidenceFile`. A file opens when one of
the records holding it is among those the user may open; a file no registered owner holds
opens to nobody. A test checks every relation to EvidenceFile in the project is registered.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

Records = Callable[..., QuerySet]


@dataclass(frozen=True)
class Owner:
    code: str  # "duties.letter", for messages and tests
    model: str  # "app_label.ModelName" of the record, resolved when asked
    field: str  # the record's ForeignKey or ManyToManyField to evidence.EvidenceFile
    records: Records  # records(user) -> the records whose files the user may open

    @property
    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)


_OWNERS: dict[str, Owner] = {}


def register_owner(owner: Owner) -> Owner:
    """Add an owner (again under the same code: replaced, since AppConfig.ready may run more
    than once)."""
    _OWNERS[owner.code] = owner
    return owner


def owners() -> tuple[Owner, ...]:
    return tuple(_OWNERS.values())


def holders(owner: Owner, file_pk) -> QuerySet:
    """The records of `owner`'s kind that hold the file (whoever asks)."""
    return owner.model_class._default_manager.filter(**{owner.field: file_pk})


def opens(user, file) -> bool:
    """Whether a record holding `file` is one whose files `user` may open (one query per
    owner, stopping at the first that opens it)."""
    return any(
        owner.records(user).filter(**{owner.field: file.pk}).exists() for owner in _OWNERS.values()
    )


def openable_q(user) -> Q:
    """A Q over EvidenceFile keeping the files `user` may open (for lists): per file, whether
    one of the records holding it is among those its owner's rule opens, the question `opens`
    asks of one file. Asked from the file (an EXISTS per owner, by the index on the record's
    file column), not as "the ids of every file of every record the user may open": that list
    walked every answer of every inspection of the district (600,000 in the demo, most without
    a photo) once per owner, twice per page with the pager's count, for a few hundred files."""
    q = Q(pk__in=[])
    for owner in _OWNERS.values():
        q |= Q(Exists(owner.records(user).filter(**{owner.field: OuterRef("pk")})))
    return q
