"""Writes to the org tree. Every change is audited in its own transaction."""

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from anwen import audit
from anwen.errors import AppError
from anwen.orgs.models import Org, OrgKind, Person, Position, RoleAssignment, SchoolProfile
from anwen.orgs.scope import forget


class OrgError(AppError):
    """A rule of the org tree was broken; the message is for the user."""


# Which kind of org may sit under which.
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    OrgKind.BUREAU: {None},
    OrgKind.DEPARTMENT: {OrgKind.BUREAU},
    OrgKind.CENTRE: {OrgKind.BUREAU},
    OrgKind.SCHOOL: {OrgKind.BUREAU, OrgKind.CENTRE},
    OrgKind.AGENCY: {OrgKind.BUREAU},
}


def assign_path(org: Org) -> None:
    """Set `path` and `depth` from the parent; the org must already have a primary key."""
    parent_path = org.parent.path if org.parent else ""
    org.path = f"{parent_path}{org.pk}/"
    org.depth = org.parent.depth + 1 if org.parent else 0


@transaction.atomic
def org_create(
    *,
    kind: str,
    name: str,
    code: str,
    parent: Org | None = None,
    short_name: str = "",
    sort_order: int = 0,
    phone: str = "",
    by=None,
    request=None,
) -> Org:
    if (parent.kind if parent else None) not in ALLOWED_PARENTS[kind]:
        raise OrgError(_("An org of this kind cannot be placed there."))
    org = Org.objects.create(
        kind=kind,
        name=name,
        code=code,
        parent=parent,
        short_name=short_name,
        sort_order=sort_order,
        phone=phone,
    )
    assign_path(org)
    org.save(update_fields=["path", "depth"])
    audit.record(
        actor=by,
        action="orgs.org.created",
        obj=org,
        request=request,
        data={"kind": kind, "name": name, "code": code},
    )
    return org


@transaction.atomic
def school_profile_save(*, org: Org, by=None, request=None, **fields) -> SchoolProfile:
    profile, created = SchoolProfile.objects.get_or_create(
        org=org, defaults={"school_type": fields.get("school_type", "primary")}
    )
    changed = {}
    for name, value in fields.items():
        if getattr(profile, name) != value:
            setattr(profile, name, value)
            changed[name] = value
    profile.full_clean()
    profile.save()
    if created or changed:
        audit.record(
            actor=by,
            action="orgs.school.saved",
            obj=org,
            request=request,
            data={"fields": sorted(changed)},
        )
    return profile


@transaction.atomic
def person_create(
    *,
    org: Org,
    name: str,
    gender: str = "",
    phone: str = "",
    staff_no: str = "",
    positions: Iterable[Position] = (),
    by=None,
    request=None,
) -> Person:
    person = Person.objects.create(
        org=org, name=name, gender=gender, phone=phone, staff_no=staff_no
    )
    positions = list(positions)
    if positions:
        person.positions.set(positions)
    audit.record(
        actor=by,
        action="orgs.person.created",
        obj=person,
        request=request,
        data={"positions": [p.code for p in positions]},
    )
    return person


@transaction.atomic
def role_assign(*, user, org: Org, role: str, by=None, request=None) -> RoleAssignment:
    assignment, created = RoleAssignment.objects.get_or_create(user=user, org=org, role=role)
    if created:
        audit.record(
            actor=by,
            action="orgs.role.assigned",
            obj=org,
            request=request,
            data={"user": user.pk, "role": role},
        )
    forget(user)
    return assignment


@transaction.atomic
def role_revoke(*, user, org: Org, role: str, by=None, request=None) -> None:
    deleted, _ = RoleAssignment.objects.filter(user=user, org=org, role=role).delete()
    if deleted:
        audit.record(
            actor=by,
            action="orgs.role.revoked",
            obj=org,
            request=request,
            data={"user": user.pk, "role": role},
        )
    forget(user)


@transaction.atomic
def org_update(*, org: Org, by=None, request=None, **fields) -> Org:
    """Change an org's plain fields; a new parent moves the whole subtree."""
    # Read the row afresh under a lock: a caller's copy may predate a move of an ancestor,
    # and saving its stale path would put the org back where it was.
    org = Org.objects.select_for_update().get(pk=org.pk)
    new_parent = fields.pop("parent", org.parent)
    if new_parent is not None:
        new_parent = Org.objects.get(pk=new_parent.pk)
    changed = {k: v for k, v in fields.items() if getattr(org, k) != v}
    for name, value in changed.items():
        setattr(org, name, value)
    if (new_parent.pk if new_parent else None) != org.parent_id:
        if new_parent is not None and new_parent.path.startswith(org.path):
            raise OrgError(_("An org cannot be moved under itself."))
        if (new_parent.kind if new_parent else None) not in ALLOWED_PARENTS[org.kind]:
            raise OrgError(_("An org of this kind cannot be placed there."))
        old_path, old_depth = org.path, org.depth
        org.parent = new_parent
        assign_path(org)
        Org.objects.filter(path__startswith=old_path).exclude(pk=org.pk).update(
            path=Concat(Value(org.path), Substr("path", len(old_path) + 1)),
            depth=models.F("depth") + (org.depth - old_depth),
        )
        changed["parent"] = new_parent.pk if new_parent else None
    if changed:
        org.save()
        audit.record(
            actor=by,
            action="orgs.org.updated",
            obj=org,
            request=request,
            data={"fields": sorted(changed)},
        )
    return org


@transaction.atomic
def person_update(
    *, person: Person, positions: Iterable[Position] | None = None, by=None, request=None, **fields
) -> Person:
    changed = sorted(k for k, v in fields.items() if getattr(person, k) != v)
    for name in changed:
        setattr(person, name, fields[name])
    if changed:
        person.save(update_fields=changed)
    if positions is not None:
        positions = list(positions)
        if {p.pk for p in positions} != set(person.positions.values_list("pk", flat=True)):
            person.positions.set(positions)
            changed.append("positions")
    if changed:
        audit.record(
            actor=by,
            action="orgs.person.updated",
            obj=person,
            request=request,
            data={"fields": changed},
        )
    return person
