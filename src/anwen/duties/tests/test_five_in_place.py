"""SM1.2: the legal representative's yearly "five in place" self-assessment with evidence."""

import pytest
from django.utils import timezone

from anwen.audit.models import AuditEvent
from anwen.duties.models import FiveInPlace, FiveStatus, Part, Rating
from anwen.duties.services import (
    EVIDENCE_REQUIRED_FOR,
    DutyError,
    PartInput,
    five_problems,
    five_save,
    five_submit,
)
from anwen.duties.tests.files import pdf, png, sheet_rows
from anwen.obligations.models import Record

pytestmark = [pytest.mark.django_db, pytest.mark.req("SM1.2")]


def filled(*, rating=Rating.IN_PLACE, with_files=True, skip=()):
    data = {}
    for code in Part.values:
        if code in skip:
            continue
        data[f"{code}-rating"] = rating
        data[f"{code}-statement"] = f"{code} 落实情况说明"
        if with_files:
            data[f"{code}-files"] = [pdf(f"{code}.pdf")]
    return data


def url(world):
    return f"/duties/five/{world.S1.pk}/"


def test_the_rule_is_that_a_part_rated_in_place_needs_evidence():
    assert EVIDENCE_REQUIRED_FOR == {Rating.IN_PLACE}


def test_the_principal_fills_in_the_five_parts_with_evidence_and_submits(world, login):
    client = login(world.users["principal"])
    form = client.get(url(world))
    assert form.status_code == 200
    assert form.context["can_submit"]

    response = client.post(url(world), {**filled(), "submit": "1"})
    assert response.status_code == 302
    assessment = FiveInPlace.objects.get(org=world.S1, year=timezone.localdate().year)
    assert assessment.status == FiveStatus.SUBMITTED
    assert assessment.submitted_by == world.users["principal"]
    assert assessment.submitted_name == "测试principal"
    assert assessment.submitted_at is not None
    parts = {p.part: p for p in assessment.parts.all()}
    assert set(parts) == set(Part.values)
    assert all(p.rating == Rating.IN_PLACE for p in parts.values())
    assert [f.name for f in parts["rescue"].evidence.all()] == ["rescue.pdf"]
    assert parts["rescue"].evidence.get().org == world.S1

    record = Record.objects.get(kind="duties.five_in_place")
    assert record.org == world.S1
    assert record.source_id == str(assessment.pk)
    assert AuditEvent.objects.filter(action="duties.five_in_place.submitted").exists()
    # Submitted is final: the page is the record, and a post changes nothing.
    page = client.get(url(world))
    assert page.templates[0].name == "duties/five_detail.html"
    assert "rescue 落实情况说明" in page.content.decode()
    assert client.post(url(world), filled(rating=Rating.NOT_IN_PLACE)).status_code == 404
    assert Record.objects.filter(kind="duties.five_in_place").count() == 1


def test_a_part_rated_in_place_without_evidence_is_not_submitted_but_the_draft_is_kept(
    world, login
):
    client = login(world.users["principal"])
    data = filled(with_files=False)
    response = client.post(url(world), {**data, "submit": "1"})
    assert response.status_code == 302
    assessment = FiveInPlace.objects.get(org=world.S1)
    assert assessment.status == FiveStatus.DRAFT
    assert len(five_problems(assessment)) == 5
    assert assessment.parts.get(part="training").statement == "training 落实情况说明"
    assert not Record.objects.filter(kind="duties.five_in_place").exists()
    page = client.get(url(world))
    assert len(page.context["problems"]) == 5
    assert "training 落实情况说明" in page.content.decode()


def test_mostly_or_not_in_place_needs_no_evidence_but_every_part_needs_a_rating_and_statement(
    world,
):
    by = world.users["principal"]
    year = timezone.localdate().year
    parts = {
        code: PartInput(rating=Rating.MOSTLY, statement="基本到位，继续完善")
        for code in Part.values
    }
    parts["rescue"] = PartInput(rating="", statement="")
    assessment = five_save(school=world.S1, year=year, parts=parts, by=by)
    with pytest.raises(DutyError):
        five_submit(assessment=assessment, by=by)
    parts["rescue"] = PartInput(rating=Rating.NOT_IN_PLACE, statement="")
    five_save(school=world.S1, year=year, parts=parts, by=by)
    with pytest.raises(DutyError):
        five_submit(assessment=assessment, by=by)
    parts["rescue"] = PartInput(rating=Rating.NOT_IN_PLACE, statement="应急物资不足，正在采购")
    five_save(school=world.S1, year=year, parts=parts, by=by)
    assert five_submit(assessment=assessment, by=by).status == FiveStatus.SUBMITTED


def test_evidence_can_be_added_in_steps_and_removed(world, login):
    client = login(world.users["principal"])
    client.post(url(world), filled(with_files=False, rating=Rating.IN_PLACE))
    client.post(
        url(world),
        {**filled(with_files=False), "investment-files": [pdf("经费.pdf"), png("票据.png")]},
    )
    assessment = FiveInPlace.objects.get(org=world.S1)
    investment = assessment.parts.get(part="investment")
    assert sorted(f.name for f in investment.evidence.all()) == ["票据.png", "经费.pdf"]
    receipt = investment.evidence.get(name="票据.png")
    client.post(url(world), {**filled(with_files=False), "investment-remove": [str(receipt.pk)]})
    assert [f.name for f in investment.evidence.all()] == ["经费.pdf"]


def test_a_file_of_the_wrong_type_is_refused_and_what_was_typed_stays(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.users["principal"])
    data = filled(with_files=False)
    data["management-files"] = [SimpleUploadedFile("x.exe", b"MZ\x90\x00 not a document")]
    response = client.post(url(world), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "management 落实情况说明" in response.content.decode()
    assert not FiveInPlace.objects.exists()


def test_the_safety_officer_prepares_the_draft_and_only_the_principal_submits(world, login):
    officer = login(world.users["school"])
    assert not officer.get(url(world)).context["can_submit"]
    officer.post(url(world), {**filled(), "submit": "1"})
    assessment = FiveInPlace.objects.get(org=world.S1)
    assert assessment.status == FiveStatus.DRAFT
    assert assessment.parts.count() == 5
    login(world.users["principal"]).post(url(world), {**filled(with_files=False), "submit": "1"})
    assessment.refresh_from_db()
    assert assessment.status == FiveStatus.SUBMITTED  # the officer's evidence stayed


def test_others_cannot_fill_in_a_schools_self_assessment(world, login):
    for username in ("teacher", "school3", "other_school", "agency"):
        assert login(world.users[username]).post(url(world), filled()).status_code == 404
    # The centre watches but does not fill in.
    assert login(world.users["centre"]).post(url(world), filled()).status_code == 404
    assert not FiveInPlace.objects.exists()


def test_the_bureau_lists_every_school_with_its_status_and_exports_it(world, login):
    year = timezone.localdate().year
    login(world.users["principal"]).post(url(world), {**filled(), "submit": "1"})
    login(world.users["school3"]).post(
        f"/duties/five/{world.S3.pk}/", filled(rating=Rating.MOSTLY, with_files=False)
    )
    client = login(world.users["bureau"])
    page = client.get("/duties/five/")
    assert page.status_code == 200
    statuses = {r.org.code: r.status for r in page.context["page"]}
    assert statuses == {"S1": "submitted", "S2": "", "S3": "draft"}
    assert page.context["counts"] == {"submitted": 1, "draft": 1, "none": 1}
    assert [r.org.code for r in client.get("/duties/five/?status=none").context["page"]] == ["S2"]
    rows = sheet_rows(client.get(f"/duties/five/?format=xlsx&year={year}"))
    assert len(rows) == 4
    by_school = {r[1]: r for r in rows[1:]}
    assert by_school[world.S1.name][4] == "测试principal"
    assert len(by_school[world.S1.name]) == 10
    assert by_school[world.S2.name][4] in ("", None)
    # The bureau reads a school's submitted self-assessment, but may not change it.
    detail = client.get(url(world))
    assert detail.status_code == 200
    assert "rescue 落实情况说明" in detail.content.decode()
    # A centre sees its own schools only.
    centre = login(world.users["centre"]).get("/duties/five/")
    assert {r.org.code for r in centre.context["page"]} == {"S1", "S2"}
    assert login(world.users["centre"]).get(f"/duties/five/{world.S3.pk}/").status_code == 404
    other = login(world.users["other_bureau"]).get("/duties/five/")
    assert {r.org.code for r in other.context["page"]} == {"S9"}


def test_earlier_years_are_read_only(world, login):
    year = timezone.localdate().year
    page = login(world.users["principal"]).get(f"{url(world)}?year={year - 1}")
    assert page.status_code == 200
    assert page.templates[0].name == "duties/five_detail.html"
