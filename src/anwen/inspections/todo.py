"""What the inspections app waits on a person for: the inspections they started and have not
submitted, and, for an agency inspector, the joint inspections his agency was invited to while
they are open. Daily area checks reach the inbox through the obligations app (one period per
area, owed by its owner) and the fire self-check through the fire app: not repeated here.
A fixed number of queries whatever the history (the drafts, the plan's rule)."""

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from anwen import calendar
from anwen.inspections.access import invited_q, joined_agencies
from anwen.inspections.models import Inspection, Purpose, Status
from anwen.inspections.rules import SUBMIT_WITHIN
from anwen.obligations.plans import Rules
from anwen.todo import Todo

LIMIT = 30


def waiting_on(user, *, today: date) -> list[Todo]:
    if not getattr(user, "is_authenticated", False):
        return []
    wanted = Q(created_by=user) & ~Q(purpose__in=[Purpose.AREA_DAILY, Purpose.FIRE_SELF])
    agencies = joined_agencies(user)
    if agencies:
        wanted |= invited_q(agencies)
    rows = (
        Inspection.objects.filter(wanted, status=Status.DRAFT)
        .select_related("org", "lead_org")
        .order_by("inspected_on", "pk")[:LIMIT]
    )
    items = []
    rules = Rules(on=today)
    for inspection in rows:
        invited = inspection.created_by_id != user.pk
        title = (
            _("Joint inspection of %(school)s: add your findings")
            if invited
            else _("Finish and submit: %(school)s%(purpose)s")
        ) % {"school": inspection.org.name, "purpose": inspection.get_purpose_display()}
        detail = (_("Led by %(org)s on %(date)s") if invited else _("Started on %(date)s")) % {
            "org": inspection.lead_org.name,
            "date": inspection.inspected_on.isoformat(),
        }
        items.append(
            Todo(
                kind="inspections.joint_invited" if invited else "inspections.draft",
                title=title,
                url=reverse("inspections:detail", args=[inspection.pk]),
                org_name=inspection.org.name,
                detail=detail,
                # The plan's days to submit, from the inspection day: an invited agency is
                # owed its findings by the same day the inspection is to be submitted.
                due=calendar.due(
                    inspection.inspected_on,
                    rules.get(SUBMIT_WITHIN, org=inspection.org),
                    org=inspection.org,
                ),
            )
        )
    return items
