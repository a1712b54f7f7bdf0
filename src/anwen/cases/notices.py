"""What the case engine tells people, through the one outbox. A notice names the case by its
type and number only — never the writer, the victim or the content — since notices travel by
e-mail and SMS and stay in inboxes (the privacy rule of confidential cases)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from anwen.orgs.models import RoleAssignment
from anwen.orgs.roles import ROLES
from anwen.orgs.scope import ancestor_ids
from anwen.workflow.models import Grant

from .who import GRANTS, HANDLER

TITLES = {
    "assigned": "%(noun)s %(number)s: handed to you to handle",
    "urged": "%(noun)s %(number)s: urged by the supervisor (督办)",
    "alarm": "Urgent %(noun)s %(number)s: act now",
    "approve": "%(noun)s %(number)s: a finding awaits your approval",
    "disturbance": "%(noun)s %(number)s: risk of a disturbance (校闹)",
    "escalated": "%(noun)s %(number)s: escalated to you",
    "extension_asked": "%(noun)s %(number)s: the handler asks for an extension",
    "extension_granted": "%(noun)s %(number)s: the extension was approved",
    "extension_refused": "%(noun)s %(number)s: the extension was refused",
    "unacknowledged": "%(noun)s %(number)s: nobody acknowledged it in time, escalated to you",
    "due": "%(noun)s %(number)s: a time limit runs out soon",
    "overdue": "%(noun)s %(number)s: a time limit has run out",
    "reported": "%(noun)s %(number)s: a serious case reported to the bureau and the police",
    "shared": "%(noun)s %(number)s: shared with you by the school",
}


def handlers(case) -> list:
    ids = Grant.objects.filter(
        record_type=GRANTS, record_id=case.pk, reason=HANDLER, user__isnull=False
    ).values_list("user_id", flat=True)
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def supervisors(case) -> list:
    """The people who supervise cases at the case's org or above it."""
    roles = [name for name, role in ROLES.items() if "cases.supervise" in role.perms]
    rows = RoleAssignment.objects.filter(
        org_id__in=[*ancestor_ids(case.org), case.org_id], role__in=roles, user__is_active=True
    ).select_related("user")
    return list({ra.user_id: ra.user for ra in rows}.values())


def approvers(case, *, here_only: bool = False) -> list:
    """The people who approve for the case's org (`cases.approve`): at the org itself (a
    school's principal) or, unless `here_only`, also above it (the bureau's leaders)."""
    roles = [name for name, role in ROLES.items() if "cases.approve" in role.perms]
    orgs = [case.org_id] if here_only else [*ancestor_ids(case.org), case.org_id]
    rows = RoleAssignment.objects.filter(
        org_id__in=orgs, role__in=roles, user__is_active=True
    ).select_related("user")
    return list({ra.user_id: ra.user for ra in rows}.values())


def tell(case, what: str, recipients, event=None, *, key: str = "") -> None:
    from anwen.cases.types import type_of
    from anwen.outbox.services import announce

    title = _(TITLES[what]) % {"noun": type_of(case).noun, "number": case.number}
    announce(
        key=key or f"cases:{case.pk}:{what}:{event.pk if event else ''}",
        recipients=recipients,
        title=title,
        link=reverse("cases:detail", args=[case.pk]),
    )
