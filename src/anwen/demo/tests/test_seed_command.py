import pytest
from django.core.management import CommandError, call_command

from anwen.accounts.models import User
from anwen.audit.models import AuditEvent
from anwen.orgs.models import Org, OrgKind, Person, SchoolProfile

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL1")]


def test_seed_builds_a_district_of_the_given_size_without_accounts(capsys):
    call_command("seed", "--schools", "30", "--years", "2", "--seed", "3")
    assert SchoolProfile.objects.count() == 30
    assert Org.objects.filter(kind=OrgKind.CENTRE).count() == 23
    assert not User.objects.exists()
    assert "还没有历史数据表" in capsys.readouterr().out


def test_seed_refuses_a_database_that_already_holds_orgs():
    call_command("seed", "--schools", "10")
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed", "--schools", "10")
    assert SchoolProfile.objects.count() == 10


def test_seed_with_reset_replaces_the_district_and_records_the_deletion():
    call_command("seed", "--schools", "10", "--seed", "1")
    first = set(Person.objects.values_list("name", flat=True))
    call_command("seed", "--schools", "12", "--seed", "2", "--reset")
    assert SchoolProfile.objects.count() == 12
    assert set(Person.objects.values_list("name", flat=True)) != first
    assert AuditEvent.objects.filter(action="demo.district.deleted").count() == 1
    assert AuditEvent.objects.filter(action="demo.district.loaded").count() == 2
