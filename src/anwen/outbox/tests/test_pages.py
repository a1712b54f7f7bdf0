"""The bell, the list of notifications, marking read, choosing channels, and what failed —
through HTTP, as each person sees them."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anwen.audit.models import AuditEvent
from anwen.outbox.delivery import drain
from anwen.outbox.models import Channel, Delivery, Notice, Preference
from anwen.outbox.services import announce
from anwen.outbox.tests.contacts import give_contacts
from anwen.testing.world import log_in

pytestmark = [pytest.mark.django_db]

INDEX = "/notifications/"


def tell(user, n=1, *, link="/inbox/", body=""):
    for i in range(n):
        announce(
            key=f"test:{user.pk}:{i}", recipients=[user], title=f"Notice {i}", body=body, link=link
        )


def own(user, i=0):
    return Delivery.objects.get(user=user, channel=Channel.APP, notice__key=f"test:{user.pk}:{i}")


@pytest.mark.req("PL6")
def test_the_bell_shows_the_unread_count_with_one_count_query(world, login):
    tell(world.school, 3)
    client = login(world.school)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert '<span class="bell-count">3</span>' in page
    outbox_queries = [q["sql"] for q in queries if "outbox_delivery" in q["sql"]]
    assert len(outbox_queries) == 1 and "COUNT" in outbox_queries[0].upper()
    client.post(reverse("outbox:read", args=[own(world.school).pk]))
    assert '<span class="bell-count">2</span>' in client.get("/").content.decode()


def test_no_unread_no_number_on_the_bell(world, login):
    page = login(world.school).get("/").content.decode()
    assert 'class="bell"' in page and "bell-count" not in page


@pytest.mark.req("PL6")
def test_the_list_shows_only_the_persons_own_notices(world, login):
    announce(key="mine", recipients=[world.school], title="For the safety officer", body="B-one")
    announce(key="theirs", recipients=[world.teacher], title="For the teacher", body="secret-two")
    page = login(world.school).get(INDEX).content.decode()
    assert "For the safety officer" in page and "B-one" in page
    assert "For the teacher" not in page and "secret-two" not in page


def test_the_list_is_paginated(world, login):
    tell(world.school, 35)
    client = login(world.school)
    first = client.get(INDEX).content.decode()
    second = client.get(INDEX + "?page=2").content.decode()
    assert first.count('class="notice-unread"') == 30
    assert second.count('class="notice-unread"') == 5
    assert client.get(INDEX + "?page=abc").status_code == 200


@pytest.mark.req("PL6")
def test_another_persons_notice_is_404_and_marking_it_writes_nothing(world, login):
    tell(world.teacher)
    theirs = own(world.teacher)
    client = login(world.school)
    url = reverse("outbox:read", args=[theirs.pk])
    assert client.post(url).status_code == 404
    assert client.post(url, {"open": "1"}).status_code == 404
    assert client.get(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize(
    "url",
    [
        "/notifications/abc/read/",
        "/notifications/0/read/",
        "/notifications/99999999999999999999999/read/",
        "/notifications/9223372036854775808/read/",
        "/notifications/failed/99999999999999999999999/retry/",
    ],
)
def test_bad_ids_answer_404_not_500(world, login, url):
    assert login(world.admin).post(url).status_code == 404


def test_opening_a_notice_marks_it_read_and_follows_its_link(world, login):
    tell(world.school, link="/inbox/")
    client = login(world.school)
    response = client.post(reverse("outbox:read", args=[own(world.school).pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert own(world.school).read_at is not None


def test_an_offsite_link_is_never_followed(world, login):
    tell(world.school, link="https://evil.example/")
    assert Notice.objects.get().link == ""
    client = login(world.school)
    url = reverse("outbox:read", args=[own(world.school).pk])
    assert client.post(url, {"open": "1"})["Location"] == INDEX
    # Nor a `next` that leaves the site.
    assert client.post(url, {"next": "//evil.example/"})["Location"] == INDEX


def test_marking_read_answers_only_posts(world, login):
    tell(world.school)
    client = login(world.school)
    assert client.get(reverse("outbox:read", args=[own(world.school).pk])).status_code == 405
    assert client.get(reverse("outbox:read_all")).status_code == 405
    assert own(world.school).read_at is None


@pytest.mark.req("PL6")
def test_mark_all_read_twice_is_harmless_and_touches_only_ones_own(world, login):
    tell(world.school, 3)
    tell(world.teacher)
    client = login(world.school)
    first = client.post(reverse("outbox:read_all"), follow=True)
    moments = set(
        Delivery.objects.filter(user=world.school, channel=Channel.APP).values_list(
            "read_at", flat=True
        )
    )
    second = client.post(reverse("outbox:read_all"))
    assert first.status_code == 200 and second.status_code == 302
    assert None not in moments and len(moments) == 1
    # The second post changed nothing: the same moments, and the teacher's still unread.
    assert (
        set(
            Delivery.objects.filter(user=world.school, channel=Channel.APP).values_list(
                "read_at", flat=True
            )
        )
        == moments
    )
    assert own(world.teacher).read_at is None


def test_mark_all_read_without_the_csrf_token_is_refused(world):
    tell(world.school)
    client = Client(enforce_csrf_checks=True)
    log_in(client, world.school)
    assert client.post(reverse("outbox:read_all")).status_code == 403
    assert own(world.school).read_at is None


@pytest.mark.req("PL6")
def test_a_person_switches_email_off_and_sms_on_from_their_account(world, login):
    give_contacts(world.school, email="school@example.cn", phone="13800138000")
    client = login(world.school)
    account = client.get(reverse("accounts:security")).content.decode()
    assert reverse("outbox:preferences") in account
    page = client.get(reverse("outbox:preferences")).content.decode()
    assert "school@example.cn" in page and "13800138000" in page
    response = client.post(reverse("outbox:preferences"), {"sms": "on"})
    assert response.status_code == 302
    pref = Preference.objects.get(user=world.school)
    assert (pref.email, pref.sms) == (False, True)
    assert AuditEvent.objects.filter(action="outbox.preference.changed").count() == 1
    announce(key="after", recipients=[world.school], title="t")
    assert sorted(
        Delivery.objects.filter(notice__key="after").values_list("channel", flat=True)
    ) == [Channel.APP, Channel.SMS]
    # Saved again unchanged: no second audit row.
    client.post(reverse("outbox:preferences"), {"sms": "on"})
    assert AuditEvent.objects.filter(action="outbox.preference.changed").count() == 1


def test_the_app_channel_cannot_be_switched_off(world, login):
    client = login(world.school)
    client.post(reverse("outbox:preferences"), {"app": "", "email": "", "sms": ""})
    announce(key="still", recipients=[world.school], title="t")
    assert Delivery.objects.filter(user=world.school, channel=Channel.APP).count() == 1


def test_the_preferences_page_says_when_there_is_no_address(world, login):
    give_contacts(world.school)
    page = login(world.school).get(reverse("outbox:preferences")).content.decode()
    assert "no e-mail address" in page or "没有电子邮件地址" in page


@pytest.mark.req("PL6")
def test_an_administrator_sees_what_failed_in_their_district_and_sends_it_again(
    world, login, settings
):
    settings.ANWEN_OUTBOX_MAX_ATTEMPTS = 1
    settings.ANWEN_SMS_BACKEND = "http"
    settings.ANWEN_SMS_URL = "http://127.0.0.1:9/send"
    settings.ANWEN_SMS_TIMEOUT = 1
    give_contacts(world.school, phone="13800138000")
    give_contacts(world.other_school, phone="13900139000")
    announce(
        key="hazard:5:overdue:1",
        recipients=[world.school, world.other_school],
        title="Overdue",
        body="Confidential detail",
    )
    assert drain().failed == 2
    admin = login(world.admin)
    page = admin.get(reverse("outbox:failed")).content.decode()
    assert "13800138000" in page and "hazard:5:overdue:1" in page
    assert "13900139000" not in page and "Confidential detail" not in page
    failed = Delivery.objects.get(user=world.school, channel=Channel.SMS)
    other = Delivery.objects.get(user=world.other_school, channel=Channel.SMS)
    assert admin.post(reverse("outbox:retry", args=[other.pk])).status_code == 404
    assert admin.post(reverse("outbox:retry", args=[failed.pk])).status_code == 302
    failed.refresh_from_db()
    other.refresh_from_db()
    assert (failed.status, failed.attempts) == (Delivery.Status.PENDING, 0)
    assert other.status == Delivery.Status.FAILED
    # A second post of the same button sends nothing more.
    assert admin.post(reverse("outbox:retry", args=[failed.pk])).status_code == 404


def test_the_failed_list_is_for_administrators_only(world, login):
    assert login(world.school).get(reverse("outbox:failed")).status_code == 404


def test_on_a_phone_a_notice_card_is_titled_by_the_notice_with_its_action_below(world, login):
    """lists.js's card convention (walk 8): the notice is the card's title, "标为已读" a
    full-width button at the foot rather than a labelled line "操作：" in the middle."""
    tell(world.school)
    page = login(world.school).get(INDEX).content.decode()
    head = page.split('<table class="data notices">', 1)[1].split("</thead>", 1)[0]
    assert "<th data-card-title>" in head and "<th data-card-actions>" in head
