"""The confidentiality sweep of a petition: who is not one of its named handlers — a colleague
at the bureau who sees the district's cases, the bureau's leader, the centre the case was
handed to, another district — sees no confidential field through the page, the list, the
search, the export, the attachment, the API or a notification; the audit trail's own data
never holds them; every view of the content by a handler is in the trail."""

import json
from datetime import datetime

import pytest
from django.core import mail
from django.utils import timezone

from anwen.audit.models import AuditEvent
from anwen.cases.models import Case
from anwen.cases.reminders import remind_clocks
from anwen.evidence.services import evidence_store
from anwen.evidence.tests.files import png_bytes, upload
from anwen.orgs.roles import RoleName
from anwen.outbox.delivery import drain
from anwen.outbox.models import Notice
from anwen.testing.sheets import sheet_rows
from anwen.testing.world import add_persona, api_key

from .helpers import handler_value, register_letter, step

TZ = timezone.get_default_timezone()
NAME, PHONE = "王小明", "13800138000"
SUBJECT, CONTENT = "食堂收费问题", "家长反映食堂收费过高，要求公开账目。"
REPLY = "王小明家长：经核查，收费符合标准。"
SECRETS = (NAME, PHONE, SUBJECT, CONTENT, REPLY, "面谈记录", "来信扫描")
CONFIDENTIAL_KEYS = {"subject", "content", "people", "private", "reply", "outcome", "files"}
OUTSIDERS = ("bureau", "leader", "centre")  # see that the case exists, never its content
OTHERS = ("other_bureau", "other_clerk", "school")  # do not see it at all


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TZ)


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_key(user)}"}


@pytest.fixture
def handler(world):
    """A centre officer the petition is handed to, reachable by e-mail and SMS."""
    user = add_persona(world, "handler", RoleName.CENTRE_OFFICER, "C1")
    user.email = "handler@example.cn"
    user.save(update_fields=["email"])
    person = world.people["handler"]
    person.phone = "13900139000"
    person.save(update_fields=["phone"])
    return user


@pytest.fixture
def petition(client, login, world, clerk, other_clerk, handler, time_machine) -> Case:
    """Registered by the clerk with the writer's letter scanned, handed to the centre's
    officer, accepted, heard (a note naming the writer), overdue and reminded, urged,
    replied to."""
    time_machine.move_to(at(9, 28), tick=False)
    login(clerk)
    case = register_letter(client, world, subject=SUBJECT, content=CONTENT, name=NAME, phone=PHONE)
    scan = evidence_store(
        upload=upload("来信扫描.png", png_bytes()),
        org=world.orgs["B1"],
        by=clerk,
        confidential=True,
    )
    case.files.add(scan)
    assert step(client, case, "assign", handler=handler_value(case, handler)).status_code == 302
    login(handler)
    step(client, case, "accept")
    step(client, case, "hearing_start", note=f"与{NAME}面谈记录")
    step(client, case, "hearing_end")
    # The handling clock runs out on 27 November: the reminders tell the handlers, the
    # leader urges, the handler replies.
    time_machine.move_to(at(12, 1), tick=False)
    assert remind_clocks()["overdue"] == 1
    login(world.users["leader"])
    step(client, case, "urge", note=f"{NAME}反映的{SUBJECT}请加快")
    login(handler)
    step(client, case, "reply", outcome="not_upheld", reply=REPLY)
    case.refresh_from_db()
    assert case.state == "replied" and case.reply == REPLY
    client.logout()
    return case


@pytest.mark.req("PL2", "PS1.6")
def test_who_is_not_a_handler_sees_no_confidential_field_on_any_page(
    client, login, world, petition
):
    scan = petition.files.get()
    for name in OUTSIDERS:
        login(world.users[name])
        page = client.get(f"/cases/{petition.pk}/")
        assert page.status_code == 200, name
        text = page.content.decode()
        assert petition.number in text and not leaks(text), (name, leaks(text))
        listed = client.get("/cases/").content.decode()
        assert petition.number in listed and not leaks(listed), name
        found = client.get("/cases/", {"q": SUBJECT[:2]}).content.decode()
        assert petition.number not in found, name  # the search does not reveal the subject
        assert petition.number in client.get("/cases/", {"q": petition.number}).content.decode()
        for url in (f"/files/{scan.pk}/", f"/files/{scan.pk}/display/"):
            assert client.get(url).status_code == 404, (name, url)
        rows = sheet_rows(client.get("/cases/", {"format": "xlsx"}))
        cells = " ".join(str(c) for row in rows for c in row if c is not None)
        assert petition.number in cells and not leaks(cells), (name, leaks(cells))
        assert "Confidential" in cells or "保密" in cells
    for name in OTHERS:
        login(world.users[name])
        assert client.get(f"/cases/{petition.pk}/").status_code == 404, name
        assert petition.number not in client.get("/cases/").content.decode(), name
        assert client.get(f"/files/{scan.pk}/").status_code == 404, name
        rows = sheet_rows(client.get("/cases/", {"format": "xlsx"}))
        assert petition.number not in str(rows), name


@pytest.mark.req("PL2", "PS1.6", "PL9")
def test_who_is_not_a_handler_gets_no_confidential_key_from_the_api(client, world, petition):
    for name in OUTSIDERS:
        auth = bearer(world.users[name])
        detail = client.get(f"/api/v1/cases/{petition.pk}", **auth)
        assert detail.status_code == 200, name
        body = detail.json()
        assert body["readable"] is False and not CONFIDENTIAL_KEYS & set(body), name
        assert body["handle_due"] == "2026-11-27" and body["clocks"]  # the face: its clocks
        assert all("note" not in e for e in body["events"])
        assert not leaks(detail.content.decode("utf-8")), name
        listed = client.get("/api/v1/cases", **auth)
        [row] = [r for r in listed.json()["items"] if r["id"] == petition.pk]
        assert not CONFIDENTIAL_KEYS & set(row) and not leaks(listed.content.decode()), name
    for name in OTHERS:
        auth = bearer(world.users[name])
        assert client.get(f"/api/v1/cases/{petition.pk}", **auth).status_code == 404, name
        assert petition.pk not in [
            r["id"] for r in client.get("/api/v1/cases", **auth).json()["items"]
        ]


@pytest.mark.req("PL2", "PL3", "PS1.6")
def test_the_handlers_read_it_and_every_view_is_in_the_trail(
    client, login, world, clerk, handler, petition
):
    def views() -> int:
        return AuditEvent.objects.filter(
            action="audit.confidential.viewed",
            object_type="cases.case",
            object_id=str(petition.pk),
            actor_id=handler.pk,
        ).count()

    before = views()
    login(handler)
    page = client.get(f"/cases/{petition.pk}/").content.decode()
    assert NAME in page and PHONE in page and SUBJECT in page and REPLY in page
    assert views() == before + 1
    client.get(f"/cases/{petition.pk}/")
    assert views() == before + 2
    body = client.get(f"/api/v1/cases/{petition.pk}", **bearer(handler)).json()
    assert body["people"] == {"name": NAME, "phone": PHONE} and body["subject"] == SUBJECT
    assert body["files"][0]["name"] == "来信扫描.png"
    assert views() == before + 3
    scan = petition.files.get()
    assert client.get(f"/files/{scan.pk}/").status_code == 200
    assert petition.number in client.get("/cases/", {"q": SUBJECT[:2]}).content.decode()
    rows = sheet_rows(client.get("/cases/", {"q": SUBJECT[:2], "format": "xlsx"}))
    assert any(SUBJECT in row and NAME in row for row in rows)
    # The first receiver stays a named handler (首接责任).
    login(clerk)
    assert SUBJECT in client.get(f"/cases/{petition.pk}/").content.decode()


@pytest.mark.req("PL2", "PL3")
def test_no_notification_and_no_audit_data_holds_the_writer_or_the_matter(
    client, login, world, handler, petition, time_machine, capsys
):
    login(handler)
    client.get(f"/cases/{petition.pk}/")
    client.get("/cases/", {"q": SUBJECT[:2], "format": "xlsx"})  # a search, exported
    client.get(f"/api/v1/cases/{petition.pk}", **bearer(handler))
    assert remind_clocks() == {"due": 0, "overdue": 0}  # told once, in the fixture
    drain()

    notices = Notice.objects.filter(key__startswith=f"cases:{petition.pk}:")
    kinds = {part for n in notices for part in n.key.split(":")}
    assert {"assigned", "urged", "overdue"} <= kinds
    for n in notices:
        assert petition.number in n.title and not leaks(n.title + n.body + n.link), n.key
    assert mail.outbox, "the handler gets e-mail"
    for m in mail.outbox:
        assert not leaks(m.subject + m.body), m.subject
    sms = capsys.readouterr().out
    assert "SMS to 13900139000" in sms and not leaks(sms)

    data = json.dumps(list(AuditEvent.objects.values_list("data", flat=True)), ensure_ascii=False)
    assert not leaks(data), leaks(data)
    exported = AuditEvent.objects.filter(action="exports.list.exported").last()
    assert exported is not None and exported.data["filters"]["q"] == "…"
