"""SM7.7: public commitments (公示承诺) and self-know, self-check, self-fix (自知自查自改)
records of each school, listed across the schools in scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anwen.duties.models import Commitment, CommitmentKind
from anwen.duties.tests.files import pdf, png, sheet_rows
from anwen.obligations.models import Record

pytestmark = [pytest.mark.django_db, pytest.mark.req("SM7.7")]


def public(world, **extra):
    return {
        "school": world.S1.pk,
        "kind": CommitmentKind.PUBLIC,
        "date": timezone.localdate().isoformat(),
        "title": "消防安全公示承诺",
        "content": "本校承诺：落实消防安全主体责任，疏散通道畅通，消防设施完好有效。",
        "location": "校门口公示栏、学校网站",
        "signer": "测试principal",
        **extra,
    }


def test_a_school_records_a_public_commitment_with_photos(world, login):
    client = login(world.users["school"])
    assert client.get("/duties/commitments/new/").status_code == 200
    response = client.post(
        "/duties/commitments/new/", public(world, files=[png("公示栏.png"), pdf("承诺书.pdf")])
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert response["Location"] == f"/duties/commitments/{commitment.pk}/"
    assert commitment.org == world.S1
    assert commitment.kind == CommitmentKind.PUBLIC
    assert commitment.location == "校门口公示栏、学校网站"
    assert commitment.recorded_by == world.users["school"]
    assert sorted(f.name for f in commitment.evidence.all()) == ["公示栏.png", "承诺书.pdf"]
    record = Record.objects.get(kind="duties.commitment")
    assert record.org == world.S1
    assert record.occurred_on == commitment.date
    assert record.evidence.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "公示栏.png" in page and "校门口公示栏、学校网站" in page


def test_a_self_check_record_counts_risks_found_and_fixed(world, login):
    client = login(world.users["principal"])
    response = client.post(
        "/duties/commitments/new/",
        {
            **public(world),
            "kind": CommitmentKind.SELF_CHECK,
            "title": "春季火灾风险自查",
            "content": "自知：识别风险点 12 处；自查：发现隐患 5 处；自改：已整改 4 处。",
            "location": "",
            "risks_found": "5",
            "risks_fixed": "4",
        },
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert (commitment.risks_found, commitment.risks_fixed) == (5, 4)
    # A self-check is recorded for the rhythm engine as such: it is no public commitment.
    assert Record.objects.get(kind="duties.self_check").source_id == str(commitment.pk)
    assert not Record.objects.filter(kind="duties.commitment").exists()
    page = client.get(f"/duties/commitments/{commitment.pk}/")
    assert "春季火灾风险自查" in page.content.decode()


def test_what_is_wrong_is_said_and_what_was_typed_is_kept(world, login):
    client = login(world.users["school"])
    no_place = client.post("/duties/commitments/new/", public(world, location=""))
    assert no_place.status_code == 200
    assert no_place.context["form"].errors["location"]
    assert "本校承诺" in no_place.content.decode()
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert (
        client.post("/duties/commitments/new/", public(world, date=future))
        .context["form"]
        .errors["date"]
    )
    too_many = client.post(
        "/duties/commitments/new/",
        public(world, kind=CommitmentKind.SELF_CHECK, risks_found="2", risks_fixed="3"),
    )
    assert too_many.context["form"].errors["risks_fixed"]
    other_school = client.post("/duties/commitments/new/", public(world, school=world.S3.pk))
    assert other_school.context["form"].errors["school"]
    assert not Commitment.objects.exists()
    assert not Record.objects.filter(kind="duties.commitment").exists()


def test_only_school_safety_staff_and_the_bureau_record(world, login):
    for username in ("teacher", "centre", "leader", "agency"):
        client = login(world.users[username])
        assert client.get("/duties/commitments/new/").status_code == 404
        assert client.post("/duties/commitments/new/", public(world)).status_code == 404
    assert not Commitment.objects.exists()


def test_the_list_is_scoped_filtered_and_exported(world, login):
    login(world.users["school"]).post("/duties/commitments/new/", public(world))
    login(world.users["school3"]).post(
        "/duties/commitments/new/",
        {
            **public(world),
            "school": world.S3.pk,
            "kind": CommitmentKind.SELF_CHECK,
            "title": "宿舍消防自查",
            "risks_found": "3",
            "risks_fixed": "3",
            "location": "",
        },
    )
    login(world.users["other_school"]).post(
        "/duties/commitments/new/",
        {**public(world), "school": world.S9.pk, "title": "另一区的承诺"},
    )
    assert Commitment.objects.count() == 3

    bureau = login(world.users["bureau"])
    assert {c.title for c in bureau.get("/duties/commitments/").context["page"]} == {
        "消防安全公示承诺",
        "宿舍消防自查",
    }
    kind = bureau.get("/duties/commitments/?kind=self_check").context["page"]
    assert [c.title for c in kind] == ["宿舍消防自查"]
    rows = sheet_rows(bureau.get("/duties/commitments/?format=xlsx"))
    assert len(rows[0]) == 11
    assert {r[4] for r in rows[1:]} == {"消防安全公示承诺", "宿舍消防自查"}
    dorm = next(r for r in rows[1:] if r[4] == "宿舍消防自查")
    assert dorm[1] == world.S3.name and dorm[7:9] == [3, 3]

    centre = login(world.users["centre"])
    assert [c.title for c in centre.get("/duties/commitments/").context["page"]] == [
        "消防安全公示承诺"
    ]
    s3 = Commitment.objects.get(org=world.S3)
    assert centre.get(f"/duties/commitments/{s3.pk}/").status_code == 404
    assert login(world.users["centre2"]).get(f"/duties/commitments/{s3.pk}/").status_code == 200
    assert login(world.users["teacher"]).get("/duties/commitments/").status_code == 404
