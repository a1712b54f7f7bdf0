"""What the fire self-check puts in the school safety officer's inbox: this semester's check
while it is not done (due at the semester's end), and the signed record form while it has not
been sent (due on the form's day)."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from anwen import calendar
from anwen.fire.models import FireSelfCheck
from anwen.fire.selectors import Rules, last_day
from anwen.orgs.models import OrgKind, RoleAssignment
from anwen.orgs.roles import RoleName
from anwen.todo import Todo


def waiting_on(user, *, today: date) -> list[Todo]:
    if not getattr(user, "is_authenticated", False):
        return []
    schools = [
        ra.org
        for ra in RoleAssignment.objects.filter(
            user=user,
            role=RoleName.SAFETY_OFFICER,
            org__kind=OrgKind.SCHOOL,
            org__is_active=True,
        ).select_related("org")
    ]
    if not schools:
        return []
    semester = calendar.semester_of(today, org=schools[0])
    if semester is None:
        return []
    checks = {
        c.org_id: c
        for c in FireSelfCheck.objects.filter(org__in=schools, semester=semester).select_related(
            "inspection"
        )
    }
    rules = Rules(on=semester.start)
    items = []
    for school in schools:
        check = checks.get(school.pk)
        index = f"{reverse('fire:index')}?org={school.pk}"
        if check is None or not check.submitted:
            items.append(
                Todo(
                    kind="fire.self_check",
                    title=_("This semester's fire safety self-check has not been done"),
                    url=index,
                    org_name=school.name,
                    due=last_day(semester, rules.of(school), school),
                    detail=(
                        _("Started on %(date)s: answer the list and submit it.")
                        % {"date": check.checked_on.isoformat()}
                    )
                    if check
                    else semester.title,
                )
            )
        elif check.form_received_at is None:
            items.append(
                Todo(
                    kind="fire.signed_form",
                    title=_("Upload the signed and stamped record form"),
                    url=reverse("fire:check", args=[check.pk]),
                    org_name=school.name,
                    due=check.form_due,
                    detail=_("Fire safety self-check of %(date)s")
                    % {"date": check.checked_on.isoformat()},
                )
            )
    return items
