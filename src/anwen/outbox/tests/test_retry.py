"""Sending a failed delivery again goes to the address the person has now (attack review of
issue 8): the number it failed at may have been mistyped, and may be a stranger's."""

import pytest
from django.urls import reverse

from anwen.outbox.delivery import drain
from anwen.outbox.models import Channel, Delivery
from anwen.outbox.services import announce, preference_save
from anwen.outbox.tests.contacts import give_contacts

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def failed_sms(world, settings):
    settings.ANWEN_OUTBOX_MAX_ATTEMPTS = 1
    settings.ANWEN_SMS_BACKEND = "http"
    settings.ANWEN_SMS_URL = "http://127.0.0.1:9/send"
    settings.ANWEN_SMS_TIMEOUT = 1
    give_contacts(world.school, phone="13800000001")  # mistyped: one digit off
    announce(key="hazard:7:overdue:1", recipients=[world.school], title="逾期隐患")
    assert drain().failed == 1
    return Delivery.objects.get(user=world.school, channel=Channel.SMS)


def test_a_corrected_number_is_texted_not_the_mistyped_one(world, login, failed_sms):
    give_contacts(world.school, phone="13800138000")
    admin = login(world.admin)
    response = admin.post(reverse("outbox:retry", args=[failed_sms.pk]), follow=True)
    assert response.status_code == 200
    failed_sms.refresh_from_db()
    assert failed_sms.status == Delivery.Status.PENDING
    assert failed_sms.address == "13800138000"


@pytest.mark.parametrize("gone", ["switched sms off", "no mobile number", "account closed"])
def test_no_retry_where_the_person_gets_no_sms_now(world, login, failed_sms, gone):
    if gone == "switched sms off":
        preference_save(user=world.school, email=True, sms=False)
    elif gone == "no mobile number":
        give_contacts(world.school, phone="023-6543 2100")
    else:
        world.school.is_active = False
        world.school.save(update_fields=["is_active"])
    admin = login(world.admin)
    response = admin.post(reverse("outbox:retry", args=[failed_sms.pk]), follow=True)
    assert response.status_code == 200
    assert any("未重新发送" in str(m) for m in response.context["messages"])
    failed_sms.refresh_from_db()
    assert failed_sms.status == Delivery.Status.FAILED
    assert failed_sms.address == "13800000001"
