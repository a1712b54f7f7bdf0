"""PL11: the per-address login throttle counts an IPv6 client by its /64, the block one home,
office or phone is given (2**64 addresses to pick a fresh one from per try), and an IPv4
client by its address; the audit trail still records the full address."""

import pytest
from django.conf import settings
from django.test import Client

from anwen.accounts.models import LoginBlock
from anwen.audit.models import AuditEvent
from anwen.testing.world import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL11")]

WRONG = "Wrong-pass-1"


def post_from(address: str, username: str, password: str = WRONG):
    client = Client(REMOTE_ADDR=address)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.post("/login/", {"username": username, "password": password})


def test_failures_from_41_addresses_of_one_ipv6_64_block_the_network(world):
    assert settings.ANWEN_LOCKOUT_ADDRESS_ATTEMPTS == 30
    for i in range(41):
        post_from(f"2001:db8:0:7::{i + 1:x}", f"nobody{i}")
    assert LoginBlock.objects.filter(scope="address", key="2001:db8:0:7::").exists()
    # A fresh address of the same /64 is refused too, even with the right password …
    refused = post_from("2001:db8:0:7:ffff::1", "teacher", PASSWORD)
    assert refused.status_code == 200
    assert "Too many failed attempts from this network address" in refused.content.decode()
    # … while the neighbouring /64 logs in.
    assert post_from("2001:db8:0:8::1", "teacher", PASSWORD).status_code == 302
    # The trail keeps each full address, not the network.
    assert AuditEvent.objects.filter(action="accounts.login.failed", ip="2001:db8:0:7::29").exists()


def test_an_ipv4_mapped_address_counts_as_its_ipv4_address(world, settings):
    settings.ANWEN_LOCKOUT_ADDRESS_ATTEMPTS = 6
    for i in range(3):
        post_from("10.5.5.5", f"a{i}")
    for i in range(3):
        post_from("::ffff:10.5.5.5", f"b{i}")
    assert LoginBlock.objects.filter(scope="address", key="10.5.5.5").exists()
    assert post_from("10.5.5.6", "teacher", PASSWORD).status_code == 302
