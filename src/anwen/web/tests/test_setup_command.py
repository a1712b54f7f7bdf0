"""`anwen setup`: one command gives a bureau its plan, standard checklists and duty lists, and
running it again changes nothing the bureau has edited."""

import pytest
from django.core.management import CommandError, call_command

from anwen.duties.models import PositionDuty
from anwen.inspections import standard
from anwen.inspections.models import ChecklistTemplate
from anwen.obligations import plan2021
from anwen.obligations.models import Obligation

pytestmark = pytest.mark.django_db


@pytest.mark.req("SM1.1", "SM2.1", "SM2.3")
def test_setup_loads_plan_checklists_and_duties_once(world, capsys):
    call_command("setup", "--bureau", "B1")
    out = capsys.readouterr().out
    assert world.B1.name in out
    assert Obligation.objects.filter(plan__owner=world.B1).count() == len(plan2021.OBLIGATIONS)
    assert ChecklistTemplate.objects.filter(owner=world.B1).count() == len(standard.STANDARDS)
    duties = PositionDuty.objects.filter(owner=world.B1).count()
    assert duties > 0

    edited = Obligation.objects.filter(plan__owner=world.B1).first()
    edited.name = "本局改过的名称"
    edited.save()
    call_command("setup", "--bureau", "B1")
    assert Obligation.objects.filter(plan__owner=world.B1).count() == len(plan2021.OBLIGATIONS)
    assert ChecklistTemplate.objects.filter(owner=world.B1).count() == len(standard.STANDARDS)
    assert PositionDuty.objects.filter(owner=world.B1).count() == duties
    edited.refresh_from_db()
    assert edited.name == "本局改过的名称"
    assert "新增岗位职责 0 条" in capsys.readouterr().out


def test_setup_names_an_unknown_bureau(world):
    with pytest.raises(CommandError, match="NOPE"):
        call_command("setup", "--bureau", "NOPE")
    assert not ChecklistTemplate.objects.exists()
