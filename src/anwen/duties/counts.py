"""The kept counts behind the sign rates: per school, the staff who must sign (active, with a
position) and how many of them signed each year's letter.

The bureau's sign-rate page of a city (4,000 schools, 250,000 staff) counted every person with
two EXISTS on each request (170-200 ms); it now reads one kept row per school. A count is kept
by recounting the one school a write touches (a few hundred people, by the index on their org),
inside the transaction of that write: the school's org row is locked first, so two writers of
one school recount one after the other and the second sees the first's write (PostgreSQL); on
SQLite writers are serial anyway.

The writes come from several apps (people and positions from `orgs`, letters from `duties`, test
and demo fixtures straight through the ORM), and `orgs` may not import `duties`, so the counts
follow the rows through model signals, which run inside the writing transaction. Bulk loads
(the demo district, `add_schools` of the test world) bypass signals and call `recount` for
what they loaded. A person is never deleted while they hold a letter (PROTECT); deleting people
in bulk (the demo's reset) deletes these counts with the rest of the duties data. No deletion
is followed: the app deletes no person and no letter, and a delete receiver would make
Django load and signal every row of such a bulk delete.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef
from django.db.models.signals import m2m_changed, post_save, pre_save

from anwen.duties.models import ResponsibilityLetter, SchoolSignedCount, SchoolStaffCount
from anwen.orgs.models import Org, Person


def _must_sign(org_ids: list[int]):
    return Person.objects.filter(
        Exists(Person.positions.through.objects.filter(person_id=OuterRef("pk"))),
        is_active=True,
        org_id__in=org_ids,
    )


def recount(org_ids: Iterable[int | None]) -> None:
    """Count again the staff and the signed letters of the orgs `org_ids` and keep the result
    (five queries, whatever the number of orgs)."""
    ids = sorted({pk for pk in org_ids if pk})
    if not ids:
        return
    with transaction.atomic():
        list(Org.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
        staff = dict(
            _must_sign(ids).values("org_id").annotate(n=Count("pk")).values_list("org_id", "n")
        )
        signed = {
            (org_id, year): n
            for org_id, year, n in ResponsibilityLetter.objects.filter(
                person__in=_must_sign(ids).values("pk")
            )
            .values(person_org=F("person__org_id"), letter_year=F("year"))
            .annotate(n=Count("pk"))
            .values_list("person_org", "letter_year", "n")
        }
        # A year that lost its last signer keeps its row, at zero.
        for org_id, year in SchoolSignedCount.objects.filter(org_id__in=ids).values_list(
            "org_id", "year"
        ):
            signed.setdefault((org_id, year), 0)
        SchoolStaffCount.objects.bulk_create(
            [SchoolStaffCount(org_id=pk, staff=staff.get(pk, 0)) for pk in ids],
            update_conflicts=True,
            unique_fields=["org"],
            update_fields=["staff"],
        )
        if signed:
            SchoolSignedCount.objects.bulk_create(
                [
                    SchoolSignedCount(org_id=org_id, year=year, signed=n)
                    for (org_id, year), n in sorted(signed.items())
                ],
                update_conflicts=True,
                unique_fields=["org", "year"],
                update_fields=["signed"],
            )


def recount_all() -> None:
    """Every org with people (after a bulk load, and by the data migration's rule)."""
    recount(Person.objects.values_list("org_id", flat=True).distinct().order_by())


# --- following the rows ------------------------------------------------------------------------

_WAS = "_anwen_duties_was_org"
_MOVES = {"org", "org_id", "is_active"}


def _person_before(sender, instance: Person, update_fields=None, **kwargs) -> None:
    if instance.pk is None or (update_fields is not None and not set(update_fields) & _MOVES):
        return
    setattr(
        instance,
        _WAS,
        Person.objects.filter(pk=instance.pk).values_list("org_id", flat=True).first(),
    )


def _person_saved(sender, instance: Person, created=False, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not set(update_fields) & _MOVES:
        return  # a name, a phone, the account: no count moves
    recount([instance.org_id, getattr(instance, _WAS, None)])


_CLEARED = "_anwen_duties_cleared_orgs"


def _positions_changed(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs) -> None:
    if not reverse:
        if action.startswith("post_"):
            recount([instance.org_id])
    elif action == "pre_clear":  # a position taken from everyone: whose schools, before
        setattr(
            instance,
            _CLEARED,
            list(sender.objects.filter(position_id=instance.pk).values_list("person__org_id")),
        )
    elif action == "post_clear":
        recount(org_id for (org_id,) in getattr(instance, _CLEARED, []))
    elif action.startswith("post_") and pk_set:  # given to or taken from these people
        recount(Person.objects.filter(pk__in=pk_set).values_list("org_id", flat=True))


def _letter_changed(sender, instance: ResponsibilityLetter, **kwargs) -> None:
    recount(Person.objects.filter(pk=instance.person_id).values_list("org_id", flat=True))


def connect() -> None:
    """Follow the writes (DutiesConfig.ready)."""
    uid = "anwen.duties.counts"
    pre_save.connect(_person_before, sender=Person, dispatch_uid=f"{uid}.pre")
    post_save.connect(_person_saved, sender=Person, dispatch_uid=f"{uid}.person")
    m2m_changed.connect(
        _positions_changed, sender=Person.positions.through, dispatch_uid=f"{uid}.positions"
    )
    post_save.connect(_letter_changed, sender=ResponsibilityLetter, dispatch_uid=f"{uid}.letter")
