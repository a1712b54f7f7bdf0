"""The case lists' fast form keeps exactly the cases of the guard (`visible_q`), for every
persona, narrowed or not, with grants to people and to orgs."""

import pytest

from anwen.cases import selectors
from anwen.cases.models import Case
from anwen.cases.petitions import PETITION
from anwen.cases.services import case_register
from anwen.cases.who import GRANTS
from anwen.orgs import scope
from anwen.workflow.grants import grant


@pytest.mark.req("PL2")
def test_the_list_form_keeps_exactly_the_cases_of_the_guard(world, clerk, dept, other_clerk):
    ours = case_register(
        case_type=PETITION, org=world.B1, by=clerk, subject="本区事项", channel="letter"
    )
    theirs = case_register(
        case_type=PETITION, org=world.B2, by=other_clerk, subject="别区事项", channel="letter"
    )
    handed = case_register(
        case_type=PETITION, org=world.B1, by=clerk, subject="交办学校", channel="phone"
    )
    grant(record_type=GRANTS, record_id=handed.pk, org=world.S1, reason="assigned")
    grant(record_type=GRANTS, record_id=handed.pk, user=world.users["teacher"], reason="handler")
    for username, user in world.users.items():
        for full in (False, True):
            guard = set(Case.objects.filter(selectors.visible_q(user, full=full)))
            assert set(selectors.visible_cases(user, full=full)) == guard, (username, full)
    assert set(selectors.visible_cases(world.users["teacher"])) == {handed}
    assert theirs not in set(selectors.visible_cases(clerk))
    assert ours in set(selectors.visible_cases(world.users["leader"]))
    leader = world.users["leader"]
    scope.set_focus(leader, world.S3.path)
    assert set(selectors.visible_cases(leader)) == set(
        Case.objects.filter(selectors.visible_q(leader))
    )
