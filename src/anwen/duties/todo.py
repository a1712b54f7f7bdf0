"""What the duties app waits on a person for (the to-do protocol of `anwen.todo`):

- a member of staff who signs letters and has not signed this year's: "sign the letter";
- a principal whose school has not submitted this year's five-in-place self-assessment;
- a school safety officer whose school has staff who have not signed this year's letter.

The due dates are rules of the bureau's yearly plan (`duties.rules`; by default 31 March for
the letters, 30 November for the five in place). At most six queries, whatever the history.
"""

from datetime import date

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from anwen.duties import selectors
from anwen.duties.models import FiveInPlace, FiveStatus, ResponsibilityLetter
from anwen.duties.services import bureau_id_of
from anwen.orgs.models import OrgKind, Person, RoleAssignment
from anwen.orgs.roles import RoleName
from anwen.orgs.scope import has_perm
from anwen.todo import Todo


def waiting_on(user, *, today: date) -> list[Todo]:
    if not getattr(user, "is_authenticated", False):
        return []
    year = today.year
    todos: list[Todo] = []
    dues: dict[int, tuple[date, date]] = {}

    def due(org) -> tuple[date, date]:
        bureau = bureau_id_of(org)
        if bureau not in dues:
            dues[bureau] = selectors.due_dates(bureau, year)
        return dues[bureau]

    person = (
        Person.objects.filter(
            user=user, is_active=True, org__kind=OrgKind.SCHOOL, org__is_active=True
        )
        .select_related("org")
        .annotate(
            has_position=Exists(Person.positions.through.objects.filter(person_id=OuterRef("pk"))),
            signed=Exists(ResponsibilityLetter.objects.filter(person_id=OuterRef("pk"), year=year)),
        )
        .first()
    )
    if (
        person is not None
        and person.has_position
        and not person.signed
        and has_perm(user, "duties.sign", person.org)
    ):
        todos.append(
            Todo(
                kind="duties.letter",
                title=_("Sign the %(year)d safety responsibility letter") % {"year": year},
                url=reverse("duties:my_letter"),
                org_name=person.org.name,
                due=due(person.org)[0],
                detail=_("Read the safety duties of your positions and sign."),
            )
        )

    roles = list(
        RoleAssignment.objects.filter(
            user=user,
            role__in=[RoleName.PRINCIPAL, RoleName.SAFETY_OFFICER],
            org__kind=OrgKind.SCHOOL,
            org__is_active=True,
        ).select_related("org")
    )
    principal_of = {r.org_id: r.org for r in roles if r.role == RoleName.PRINCIPAL}
    if principal_of:
        submitted = set(
            FiveInPlace.objects.filter(
                org_id__in=list(principal_of), year=year, status=FiveStatus.SUBMITTED
            ).values_list("org_id", flat=True)
        )
        for org_id, org in principal_of.items():
            if org_id not in submitted:
                todos.append(
                    Todo(
                        kind="duties.five_in_place",
                        title=_("Submit the %(year)d five-in-place self-assessment")
                        % {"year": year},
                        url=reverse("duties:five_school", args=[org_id]),
                        org_name=org.name,
                        due=due(org)[1],
                        detail=_(
                            "Responsibility, investment, training, management and rescue "
                            "in place, with evidence."
                        ),
                    )
                )

    officer_of = {r.org_id: r.org for r in roles if r.role == RoleName.SAFETY_OFFICER}
    if officer_of:
        unsigned = selectors.unsigned_counts(list(officer_of), year)
        for org_id, org in officer_of.items():
            n = unsigned.get(org_id, 0)
            if n:
                todos.append(
                    Todo(
                        kind="duties.unsigned",
                        title=_("%(n)d staff have not signed the %(year)d responsibility letter")
                        % {"n": n, "year": year},
                        url=reverse("duties:school", args=[org_id]) + "?status=unsigned",
                        org_name=org.name,
                        due=due(org)[0],
                        detail=_("Remind them, or record the letters they signed on paper."),
                    )
                )
    return todos
