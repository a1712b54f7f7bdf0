"""Second attack on confidentiality (issue 9, PL2): every confidential type registered at a
school or the bureau with a writer, content, private fields and a scanned file; a colleague at
the same org who is not a named handler, and the supervisors above, look for it through every
route a person has — its page, the list and its search, the export, the API's list and case,
the file, the notifications, the inbox, the home page, the focus search, the audit trail — and
find its number and stage, never a name or a word of it."""

import json

import pytest
from django.test import Client

from anwen.audit.models import AuditEvent
from anwen.cases.models import Case
from anwen.cases.services import case_register
from anwen.cases.types import case_types
from anwen.evidence.services import evidence_store
from anwen.evidence.tests.files import png_bytes, upload
from anwen.outbox.delivery import drain
from anwen.testing.sheets import sheet_rows
from anwen.testing.world import api_key, log_in

NAME, PHONE = "赵秘密", "13912345678"
SUBJECT, CONTENT = "机密标题甲乙", "机密内容丙丁戊"
FILE = "机密附件.png"
SECRETS = (NAME, PHONE, SUBJECT, CONTENT, FILE)
ORG_OF = {"school": ("school", "S1"), "bureau": ("bureau", "B1")}
# Same org colleagues and those above who are no named handler.
LOOKERS = ("principal", "teacher", "guard", "centre", "bureau", "leader", "admin", "school3")


def _confidential_types():
    return [t for t in case_types().values() if t.confidential]


def _register(world, case_type) -> Case:
    kind = "school" if "school" in case_type.org_kinds else "bureau"
    who, org_key = ORG_OF[kind]
    if kind == "bureau":
        who = "clerk"
    user = world.users[who]
    case = case_register(
        case_type=case_type,
        org=world.orgs[org_key],
        by=user,
        subject=SUBJECT,
        content=CONTENT,
        channel=case_type.channels.values[0] if case_type.channels is not None else "",
        people={"name": NAME, "phone": PHONE},
        private={f.name: NAME for f in case_type.fields if f.private},
    )
    scan = evidence_store(
        upload=upload(FILE, png_bytes()), org=world.orgs[org_key], by=user, confidential=True
    )
    case.files.add(scan)
    return case


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def test_no_colleague_without_the_grant_reads_a_confidential_case_through_any_route(world, clerk):
    cases = [_register(world, t) for t in _confidential_types()]
    assert len(cases) >= 5
    drain()
    files = [c.files.get() for c in cases]
    for name in LOOKERS:
        user = world.users[name]
        client = Client()
        log_in(client, user)
        auth = {"HTTP_AUTHORIZATION": f"Bearer {api_key(user)}"}
        pages = {
            "list": client.get("/cases/"),
            "search": client.get("/cases/", {"q": SUBJECT[:3]}),
            "search_name": client.get("/cases/", {"q": NAME}),
            "notifications": client.get("/notifications/"),
            "inbox": client.get("/inbox/"),
            "home": client.get("/"),
            "focus": client.get("/focus/search/", {"q": SUBJECT[:3]}),
            "audit": client.get("/audit/"),
            "files": client.get("/files/"),
            "api_list": client.get("/api/v1/cases", **auth),
        }
        for case in cases:
            pages[f"page {case.number}"] = client.get(f"/cases/{case.pk}/")
            pages[f"api {case.number}"] = client.get(f"/api/v1/cases/{case.pk}", **auth)
        for what, response in pages.items():
            assert response.status_code in (200, 302, 404), (name, what, response.status_code)
            text = response.content.decode("utf-8", "replace")
            # The search box shows back what the looker typed: not a leak.
            text = text.replace(NAME if what == "search_name" else "\0", "")
            text = text.replace(SUBJECT[:3], "") if what in ("search", "focus") else text
            assert not _leaks(text) and SUBJECT[3:] not in text, (name, what, _leaks(text))
        for search in ("search", "search_name"):
            for case in cases:
                assert case.number not in pages[search].content.decode(), (name, search)
        exported = client.get("/cases/", {"format": "xlsx"})
        if exported.status_code == 200:
            cells = " ".join(str(c) for row in sheet_rows(exported) for c in row if c)
            assert not _leaks(cells), (name, _leaks(cells))
        for scan in files:
            for url in (f"/files/{scan.pk}/", f"/files/{scan.pk}/display/"):
                assert client.get(url).status_code == 404, (name, url)
        trail = client.get("/audit/", {"format": "xlsx"})
        if trail.status_code == 200:
            cells = " ".join(str(c) for row in sheet_rows(trail) for c in row if c)
            assert not _leaks(cells), (name, "audit export", _leaks(cells))
    # The trail's own data, whoever reads it: ids and counts, never a name or a word.
    data = json.dumps(list(AuditEvent.objects.values_list("data", flat=True)), ensure_ascii=False)
    assert not _leaks(data), _leaks(data)


@pytest.mark.req("PL3")
def test_the_api_list_hands_over_no_writer_without_a_trace(client, world, clerk):
    """The handler's own confidential cases: the list says what they are (number, subject,
    clocks) and `readable`; the writer and the content come with the case, read by read in
    the trail. An open type's list rows carry their content as before."""
    from anwen.audit.models import AuditEvent as Trail

    cases = [_register(world, t) for t in _confidential_types()]
    dispute = case_register(
        case_type=case_types()["dispute"],
        org=world.orgs["S1"],
        by=world.users["school"],
        subject="邻里纠纷",
        content="公开内容",
        channel=case_types()["dispute"].channels.values[0],
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_key(clerk)}"}
    views = Trail.objects.filter(action="audit.confidential.viewed", actor_id=clerk.pk)
    before = views.count()
    listed = client.get("/api/v1/cases", {"limit": 100}, **auth)
    assert listed.status_code == 200
    rows = {r["id"]: r for r in listed.json()["items"]}
    mine = [c for c in cases if c.pk in rows and c.first_receiver_id == clerk.pk]
    assert mine, "the clerk lists the bureau's confidential cases they received"
    for case in mine:
        row = rows[case.pk]
        assert row["readable"] is True and row["subject"] == SUBJECT
        assert not {"content", "people", "private", "reply", "outcome"} & set(row)
    assert NAME not in listed.content.decode() and PHONE not in listed.content.decode()
    assert views.count() == before  # nothing read, nothing logged
    detail = client.get(f"/api/v1/cases/{mine[0].pk}", **auth).json()
    assert detail["people"]["name"] == NAME and detail["content"] == CONTENT
    assert views.count() == before + 1
    school = {"HTTP_AUTHORIZATION": f"Bearer {api_key(world.users['school'])}"}
    open_rows = client.get("/api/v1/cases", {"type": "dispute"}, **school).json()["items"]
    assert [r["content"] for r in open_rows if r["id"] == dispute.pk] == ["公开内容"]
