"""SM1.1: each member of staff signs the yearly responsibility letter for their positions'
duty lists, online on their phone or on paper recorded by the school's safety officer."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from anwen.audit.models import AuditEvent
from anwen.duties import library as standard
from anwen.duties.models import ResponsibilityLetter, SignMethod
from anwen.duties.services import DutyError, letter_sign
from anwen.duties.tests.files import pdf
from anwen.obligations.models import Record
from anwen.orgs.models import Position

pytestmark = [pytest.mark.django_db, pytest.mark.req("SM1.1")]

SIGN = {"accepted": "on", "signature": "测试teacher"}


def test_a_teacher_reads_the_duties_of_their_positions_and_signs_online(world, library, login):
    teacher = world.people["teacher"]
    teacher.positions.add(Position.objects.get(code="class_teacher"))
    client = login(world.users["teacher"])

    page = client.get("/duties/my-letter/")
    assert page.status_code == 200
    body = page.content.decode()
    assert standard.DUTIES["teacher"][0] in body
    assert standard.DUTIES["class_teacher"][0] in body
    assert standard.LETTER_PROMISE in body

    response = client.post("/duties/my-letter/", SIGN)
    assert response.status_code == 302
    letter = ResponsibilityLetter.objects.get(person=teacher, year=timezone.localdate().year)
    assert letter.method == SignMethod.ONLINE
    assert letter.org == world.S1
    assert letter.signed_by == world.users["teacher"]
    assert letter.signed_on == timezone.localdate()
    assert letter.positions == "班主任、任课教师"
    assert [b["position"] for b in letter.content["duties"]] == ["班主任", "任课教师"]
    # The rhythm engine hears of it: one record per member of staff per year.
    record = Record.objects.get(kind="duties.letter", subject_id=teacher.pk)
    assert record.org == world.S1
    assert record.occurred_on == letter.signed_on
    assert record.source_type == ContentType.objects.get_for_model(ResponsibilityLetter)
    assert record.source_id == str(letter.pk)
    assert AuditEvent.objects.filter(
        action="duties.letter.online", object_id=str(letter.pk)
    ).exists()
    # Afterwards the page shows the signed letter, and a second signature changes nothing.
    again = client.get("/duties/my-letter/")
    assert again.context["letter"] == letter
    client.post("/duties/my-letter/", SIGN)
    assert ResponsibilityLetter.objects.filter(person=teacher).count() == 1


def test_signing_needs_the_tick_and_the_persons_own_name(world, library, login):
    client = login(world.users["teacher"])
    no_tick = client.post("/duties/my-letter/", {"signature": "测试teacher"})
    assert no_tick.status_code == 200
    assert no_tick.context["form"].errors["accepted"]
    wrong_name = client.post("/duties/my-letter/", {"accepted": "on", "signature": "张三"})
    assert wrong_name.status_code == 200
    assert wrong_name.context["form"].non_field_errors()
    # What was typed stays in the form.
    assert "张三" in wrong_name.content.decode()
    assert not ResponsibilityLetter.objects.exists()
    assert not Record.objects.filter(kind="duties.letter").exists()


def test_no_one_can_sign_another_persons_letter(world, library, login):
    year = timezone.localdate().year
    with pytest.raises(DutyError):
        letter_sign(
            person=world.people["guard"],
            year=year,
            by=world.users["teacher"],
            accepted=True,
            signature="测试guard",
        )
    # The signing page only ever signs the logged-in person's own letter, whatever is posted.
    login(world.users["teacher"]).post(
        "/duties/my-letter/", {**SIGN, "person": world.people["guard"].pk}
    )
    assert list(ResponsibilityLetter.objects.values_list("person", flat=True)) == [
        world.people["teacher"].pk
    ]
    # Nor may a teacher record someone's paper letter.
    guard = world.people["guard"]
    client = login(world.users["teacher"])
    assert client.get(f"/duties/staff/{guard.pk}/paper/").status_code == 404
    assert (
        client.post(
            f"/duties/staff/{guard.pk}/paper/",
            {"signed_on": timezone.localdate().isoformat(), "scan": pdf()},
        ).status_code
        == 404
    )
    assert not ResponsibilityLetter.objects.filter(person=guard).exists()


def test_someone_without_a_position_has_nothing_to_sign(world, library, login):
    world.people["teacher"].positions.clear()
    client = login(world.users["teacher"])
    assert client.get("/duties/my-letter/").context["content"]["duties"] == []
    client.post("/duties/my-letter/", SIGN)
    assert not ResponsibilityLetter.objects.exists()


def test_roles_that_do_not_sign_have_no_letter_page(world, login):
    for username in ("centre", "bureau", "agency"):
        assert login(world.users[username]).get("/duties/my-letter/").status_code == 404


def test_the_safety_officer_records_a_paper_letter_with_its_scan(world, library, login):
    guard = world.people["guard"]
    client = login(world.users["school"])
    form = client.get(f"/duties/staff/{guard.pk}/paper/")
    assert form.status_code == 200
    signed_on = timezone.localdate().replace(month=1, day=1)  # this year, never in the future
    response = client.post(
        f"/duties/staff/{guard.pk}/paper/",
        {"signed_on": signed_on.isoformat(), "scan": pdf("责任书.pdf")},
    )
    assert response.status_code == 302
    letter = ResponsibilityLetter.objects.get(person=guard)
    assert letter.method == SignMethod.PAPER
    assert letter.signed_on == signed_on
    assert letter.signed_by == world.users["school"]
    assert letter.scan is not None
    assert letter.scan.org == world.S1
    assert letter.scan.name == "责任书.pdf"
    assert letter.content["duties"][0]["items"] == standard.DUTIES["teacher"]
    record = Record.objects.get(kind="duties.letter", subject_id=guard.pk)
    assert record.occurred_on == signed_on
    assert record.by == world.users["school"]
    # Recorded once: the page now leads to the letter, which links its scan.
    assert client.get(f"/duties/staff/{guard.pk}/paper/").status_code == 302
    page = client.get(f"/duties/letters/{letter.pk}/").content.decode()
    assert "责任书.pdf" in page and str(letter.scan.pk) in page


def test_a_paper_letter_needs_its_scan_and_a_real_file(world, library, login):
    guard = world.people["guard"]
    client = login(world.users["school"])
    today = timezone.localdate().isoformat()
    no_scan = client.post(f"/duties/staff/{guard.pk}/paper/", {"signed_on": today})
    assert no_scan.status_code == 200
    assert no_scan.context["form"].errors["scan"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("scan.pdf", b"MZ this is not a pdf")
    bad = client.post(f"/duties/staff/{guard.pk}/paper/", {"signed_on": today, "scan": fake})
    assert bad.status_code == 200
    assert bad.context["form"].non_field_errors()
    assert not ResponsibilityLetter.objects.exists()


def test_a_safety_officer_cannot_record_for_another_school(world, library, login):
    guard = world.people["guard"]
    client = login(world.users["school3"])
    response = client.post(
        f"/duties/staff/{guard.pk}/paper/",
        {"signed_on": timezone.localdate().isoformat(), "scan": pdf()},
    )
    assert response.status_code == 404
    assert not ResponsibilityLetter.objects.exists()


def test_a_signed_letter_is_seen_by_its_signer_and_those_who_watch_the_school(
    world, library, login
):
    login(world.users["teacher"]).post("/duties/my-letter/", SIGN)
    letter = ResponsibilityLetter.objects.get()
    url = f"/duties/letters/{letter.pk}/"
    for username in ("teacher", "school", "principal", "centre", "bureau", "leader"):
        assert login(world.users[username]).get(url).status_code == 200, username
    for username in ("guard", "centre2", "school3", "other_bureau", "other_school", "agency"):
        assert login(world.users[username]).get(url).status_code == 404, username


def test_nothing_is_signed_before_the_bureau_has_set_the_duty_lists(world, login):
    client = login(world.users["teacher"])
    page = client.get("/duties/my-letter/")
    assert page.status_code == 200
    assert not page.context["has_duties"]
    assert b'class="sign-form' not in page.content
    response = client.post("/duties/my-letter/", SIGN)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not ResponsibilityLetter.objects.exists()
