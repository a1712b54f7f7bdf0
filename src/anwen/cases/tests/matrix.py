"""The case routes with a parameter, for the permission matrix (web/tests): a case the user
sees and one they do not, through the pages and the API; a step's name and a type's code
filled in so the routes are really reached."""

from anwen.cases.models import Case
from anwen.cases.selectors import visible_cases

OBJECT_ROUTES = {
    "cases:detail": ("case", "pk"),
    "cases:step": ("case", "pk"),
    "api:get_case": ("case", "case_id"),
    "api:fire_action": ("case", "case_id"),
}
FIXED_PARAMS = {
    "cases:register": {"type_code": "petition"},
    "cases:step": {"name": "accept"},
    "api:fire_action": {"name": "accept"},
}

_BUREAUS = ("B1", "B2")


def _case_at(world, key: str) -> Case:
    from anwen.cases.petitions import PETITION
    from anwen.cases.services import case_register

    found = Case.objects.filter(org=world.orgs[key]).first()
    if found:
        return found
    return case_register(
        case_type=PETITION,
        org=world.orgs[key],
        by=None,
        subject="矩阵来信",
        content="矩阵内容",
        channel="letter",
        people={"name": "矩阵写信人"},
        check_perm=False,
    )


def case_sampler(world, user, inside: bool) -> int:
    """Inside: a case the user sees (a bureau's cases for its officers; any case for those who
    see none, the page then answering 404); outside: one of the other district's."""
    cases = [_case_at(world, key) for key in _BUREAUS]
    seen = set(visible_cases(user, full=True).values_list("pk", flat=True))
    if inside:
        return next((c.pk for c in cases if c.pk in seen), cases[0].pk)
    return next(c.pk for c in cases if c.pk not in seen)


SAMPLERS = {"case": case_sampler}
# The public write-in's API operations (anwen/public_api.py), open without a token.
PUBLIC_ROUTES = {"api:public_write_in", "api:public_status"}
