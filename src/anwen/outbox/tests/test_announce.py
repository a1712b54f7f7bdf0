"""announce: one Notice per event key, one Delivery per person and channel, whoever calls."""

from threading import Barrier, Thread

import pytest
from django.db import connection, transaction

from anwen.outbox.models import Channel, Delivery, Notice, Preference
from anwen.outbox.services import announce, mobile_number
from anwen.outbox.tests.contacts import give_contacts

pytestmark = [pytest.mark.django_db]


def channels(user):
    return sorted(Delivery.objects.filter(user=user).values_list("channel", flat=True))


@pytest.mark.req("PL6")
def test_each_person_gets_the_app_and_the_channels_they_have(world):
    give_contacts(world.school, email="school@example.cn", phone="138 0013 8000")
    give_contacts(world.teacher, email="teacher@example.cn", phone="023-6789 1234")
    give_contacts(world.principal)
    announce(
        key="hazard:1:overdue:1",
        recipients=[world.school, world.teacher, world.principal],
        title="A hazard is overdue",
        body="The fire door is blocked.",
        link="/hazards/1/",
    )
    assert Notice.objects.count() == 1
    assert channels(world.school) == [Channel.APP, Channel.EMAIL, Channel.SMS]
    # A landline gets no SMS; no address, no e-mail.
    assert channels(world.teacher) == [Channel.APP, Channel.EMAIL]
    assert channels(world.principal) == [Channel.APP]
    sms = Delivery.objects.get(user=world.school, channel=Channel.SMS)
    assert sms.address == "13800138000" and sms.status == Delivery.Status.PENDING
    app = Delivery.objects.get(user=world.school, channel=Channel.APP)
    assert app.status == Delivery.Status.DELIVERED and app.read_at is None


@pytest.mark.req("PL6")
def test_announcing_the_same_event_again_adds_only_who_is_missing(world):
    give_contacts(world.school, email="school@example.cn")
    announce(key="hazard:1:due-soon", recipients=[world.school], title="Due soon")
    announce(
        key="hazard:1:due-soon",
        recipients=[world.school, world.school, world.principal],
        title="Changed title",
    )
    notice = Notice.objects.get()
    assert notice.title == "Due soon"
    assert channels(world.school) == [Channel.APP, Channel.EMAIL]
    assert channels(world.principal) == [Channel.APP]


def test_a_person_who_switched_a_channel_off_does_not_get_it(world):
    give_contacts(world.school, email="school@example.cn", phone="13800138000")
    Preference.objects.create(user=world.school, email=False, sms=True)
    announce(key="e:1", recipients=[world.school], title="t")
    assert channels(world.school) == [Channel.APP, Channel.SMS]


def test_inactive_accounts_and_offsite_links_are_left_out(world):
    world.teacher.is_active = False
    world.teacher.save()
    announce(key="e:2", recipients=[world.teacher, world.school], title="t", link="//evil.example")
    assert Notice.objects.get().link == ""
    assert channels(world.teacher) == []
    assert channels(world.school) == [Channel.APP]


@pytest.mark.parametrize("key", ["", "x" * 201])
def test_an_empty_or_overlong_event_key_is_refused(world, key):
    with pytest.raises(ValueError):
        announce(key=key, recipients=[world.school], title="t")
    assert not Notice.objects.exists()


def test_a_rolled_back_caller_leaves_nothing(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        announce(key="e:3", recipients=[world.school], title="t")
        raise RuntimeError
    assert not Notice.objects.exists() and not Delivery.objects.exists()


@pytest.mark.parametrize(
    ("phone", "mobile"),
    [
        ("13800138000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("023-67891234", ""),
        ("", ""),
        ("1380013800", ""),
    ],
)
def test_mobile_numbers_are_recognised_as_typed(phone, mobile):
    assert mobile_number(phone) == mobile


@pytest.mark.req("PL6")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_callers_at_once_make_one_notice_and_one_delivery_per_channel(world):
    """On the file-based SQLite test database the writers queue on BEGIN IMMEDIATE; on
    PostgreSQL the inserts of the losers wait for the winner's commit, then skip (get_or_create
    re-reads the notice, ignore_conflicts skips the deliveries)."""
    give_contacts(world.school, email="school@example.cn", phone="13800138000")
    give_contacts(world.principal, email="principal@example.cn")
    people = [world.school, world.principal, world.teacher]
    callers = 20
    start = Barrier(callers)
    errors: list[BaseException] = []

    def caller() -> None:
        try:
            start.wait()
            with transaction.atomic():
                announce(key="hazard:9:escalated:1", recipients=people, title="Escalated")
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [Thread(target=caller) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Notice.objects.count() == 1
    assert Delivery.objects.count() == 3 + 2 + 1
