"""What the hazards engine waits on a person for (the to-do protocol of `anwen.todo`):

- the person responsible: hazards assigned to them to rectify;
- a school's principal and safety officer: hazards reported and not yet assigned, and fixes
  submitted by someone else to verify;
- a centre officer and a bureau officer: the re-check (sign-off) of a major hazard's fix.

Each with its deadline, so the inbox lists the overdue first. At most four queries, whatever
the history; each list is capped."""

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from anwen.orgs.models import OrgKind, RoleAssignment
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import paths_q
from anwen.todo import Todo

from .lifecycle import responsible_q
from .models import Grade, Hazard, HazardState

LIMIT = 30


def _todo(hazard: Hazard, kind: str, title: str) -> Todo:
    return Todo(
        kind=kind,
        title=title % {"title": hazard.title},
        url=reverse("hazards:detail", args=[hazard.pk]),
        org_name=hazard.org.name,
        due=hazard.deadline,
        detail=hazard.get_grade_display(),
    )


def waiting_on(user, *, today: date) -> list[Todo]:
    if not getattr(user, "is_authenticated", False):
        return []
    todos: list[Todo] = []
    mine = (
        Hazard.objects.filter(
            responsible_q(user), state__in=[HazardState.ASSIGNED, HazardState.RECTIFYING]
        )
        .select_related("org")
        .order_by("deadline", "pk")[:LIMIT]
    )
    todos += [_todo(h, "hazards.fix", _("Rectify the hazard: %(title)s")) for h in mine]

    roles = list(
        RoleAssignment.objects.filter(user=user, org__is_active=True).values_list(
            "role", "org__path", "org__kind"
        )
    )
    schools = [
        p
        for r, p, k in roles
        if k == OrgKind.SCHOOL and r in (RoleName.PRINCIPAL, RoleName.SAFETY_OFFICER)
    ]
    if schools:
        rows = (
            Hazard.objects.filter(paths_q(schools, "org"))
            .filter(
                Q(state=HazardState.REPORTED)
                | (Q(state=HazardState.SUBMITTED) & ~Q(fixed_by=user))
                # Overdue in someone else's hands: the escalation's first rung is the school's
                # management, so it waits on them to follow up (their own are listed above).
                | (
                    Q(state__in=[HazardState.ASSIGNED, HazardState.RECTIFYING], deadline__lt=today)
                    & ~responsible_q(user)
                )
            )
            .select_related("org")
            .order_by("deadline", "pk")[:LIMIT]
        )
        for h in rows:
            if h.state == HazardState.REPORTED:
                todos.append(_todo(h, "hazards.assign", _("Assign the hazard: %(title)s")))
            elif h.state != HazardState.SUBMITTED:
                todos.append(
                    _todo(
                        h, "hazards.follow_up", _("Overdue, follow up the rectification: %(title)s")
                    )
                )
            elif h.is_major and not (h.centre_rechecked_at and h.bureau_rechecked_at):
                # Not theirs to verify yet: said so, rather than a "verify" the page refuses.
                todos.append(
                    _todo(
                        h,
                        "hazards.await_recheck",
                        _("Waiting for the centre's and the bureau's re-check: %(title)s"),
                    )
                )
            else:
                todos.append(_todo(h, "hazards.verify", _("Verify the fix: %(title)s")))

    for roles_wanted, field, kind in (
        ((RoleName.CENTRE_OFFICER,), "centre_rechecked_at", OrgKind.CENTRE),
        ((RoleName.BUREAU_OFFICER, RoleName.BUREAU_ADMIN), "bureau_rechecked_at", OrgKind.BUREAU),
    ):
        paths = [p for r, p, k in roles if k == kind and r in roles_wanted]
        if not paths:
            continue
        rows = (
            Hazard.objects.filter(
                paths_q(paths, "org"),
                grade=Grade.MAJOR,
                state=HazardState.SUBMITTED,
                **{f"{field}__isnull": True},
            )
            .select_related("org")
            .order_by("deadline", "pk")[:LIMIT]
        )
        todos += [
            _todo(h, "hazards.sign_off", _("Re-check and sign off the major hazard: %(title)s"))
            for h in rows
        ]
    return todos
