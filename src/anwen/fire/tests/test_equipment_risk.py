"""Fire high-risk schools (SM7.3): the plan says which schools are high-risk units (boarding
schools, large kindergartens); each has a yearly fire safety assessment by a qualified firm,
tracked in a register; the schools without this year's are listed."""

from datetime import date

import pytest

from anwen.fire.models import FireRiskAssessment
from anwen.fire.tests.test_equipment import xlsx
from anwen.obligations.tests.rules import set_rules

pytestmark = [pytest.mark.django_db, pytest.mark.day(date(2026, 12, 1))]

LIST = "/registers/fire-assessments/"
RISK = "/fire/risk/"
FIRM = ("重庆安评消防技术服务有限公司", "CQXP-2023-0042")
HEADER = ("学校代码", "年度", "评估日期", "评估单位", "资质证书编号", "评估结论", "报告编号")


def assessment(world, school="S3", year=2026, assessed_on=date(2026, 4, 20), **values):
    values.setdefault("firm", FIRM[0])
    values.setdefault("firm_qualification", FIRM[1])
    values.setdefault("grade", "low")
    return FireRiskAssessment.objects.create(
        org=world.orgs[school], year=year, assessed_on=assessed_on, **values
    )


@pytest.mark.req("SM7.3")
def test_a_high_risk_school_records_its_yearly_assessment_and_the_next_is_due_a_year_on(
    client, world, login
):
    login(world.users["school3"])
    rows = [("S3", "", "2026-04-20", FIRM[0], FIRM[1], "低风险", "YAP-2026-031")]
    response = client.post(LIST + "import/", {"file": xlsx(rows, HEADER)})
    assert response.status_code == 302
    done = FireRiskAssessment.objects.get()
    assert (done.org, done.year, done.grade) == (world.S3, 2026, "low")
    assert done.next_due == date(2027, 4, 20)
    text = client.get(LIST).content.decode()
    assert "YAP-2026-031" in text and "2027-04-20" in text
    # The school's row on the high-risk page shows it assessed.
    login(world.users["bureau"])
    page = client.get(RISK)
    rows = {r.school.code: r for r in page.context["rows"]}
    assert rows["S3"].assessment == done


@pytest.mark.req("SM7.3")
def test_an_assessment_without_the_firms_qualification_is_refused(client, world, login):
    login(world.users["school3"])
    rows = [("S3", "2026", "2026-04-20", FIRM[0], "", "低风险", "")]
    response = client.post(LIST + "import/", {"file": xlsx(rows, HEADER)})
    assert response.status_code == 400
    assert "具备资质" in response.content.decode()
    page = client.get(LIST + "new/")
    data = {
        "o-org": world.S3.pk,
        "o-once": page.context["chooser"]["once"].value(),
        "r-year": "2026",
        "r-assessed_on": "2026-04-20",
        "r-firm": FIRM[0],
        "r-firm_qualification": "  ",
        "r-grade": "low",
    }
    response = client.post(LIST + "new/", data)
    assert response.status_code == 400
    assert "firm_qualification" in response.context["form"].errors
    assert not FireRiskAssessment.objects.exists()


@pytest.mark.req("SM7.3")
def test_the_high_risk_schools_without_this_years_assessment_are_listed(client, world, login):
    # S3 boards (high-risk by the plan); S2 is a kindergarten of 210 children, high-risk once
    # the plan's threshold is 200; S1 is neither.
    set_rules(world.B1, fire__high_risk_kindergarten=200)
    assessment(world, "S3", year=2025, assessed_on=date(2025, 5, 6))  # only last year's
    login(world.users["bureau"])
    page = client.get(RISK)
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [r.school.code for r in rows] == ["S2", "S3"]
    assert all(r.assessment is None for r in rows)
    assert page.context["missing"] == 2
    text = page.content.decode()
    assert world.S2.name in text and world.S1.name not in text and "缺报" in text
    assessment(world, "S3", year=2026, assessed_on=date(2026, 5, 8))
    page = client.get(RISK)
    assert page.context["missing"] == 1
    assert [r.school.code for r in page.context["rows"]] == ["S2", "S3"]  # missing first
    assert client.get(RISK + "?format=xlsx").status_code == 200
    # The centre sees its own schools only; a teacher has no such page.
    login(world.users["centre2"])
    assert [r.school.code for r in client.get(RISK).context["rows"]] == ["S3"]
    login(world.users["teacher"])
    assert client.get(RISK).status_code == 404


@pytest.mark.req("SM7.3")
def test_only_the_latest_assessment_falls_due(client, world, login):
    # Last year's next date (2026-05-06) has passed, but this year's assessment followed it.
    assessment(world, "S3", year=2025, assessed_on=date(2025, 5, 6), next_due=date(2026, 5, 6))
    late = assessment(
        world, "S3", year=2026, assessed_on=date(2025, 12, 10), next_due=date(2026, 12, 10)
    )
    login(world.users["school3"])
    items = client.get("/registers/expiring/?kind=fire-assessments.next_due").context["items"]
    assert [i["due"].record for i in items] == [late]
    assert "消防安全评估" in client.get("/inbox/").content.decode()


def test_another_schools_assessment_answers_404(client, world, login):
    theirs = assessment(world, "S3")
    login(world.users["school"])
    assert client.get(f"{LIST}{theirs.pk}/edit/").status_code == 404
    assert client.post(f"{LIST}{theirs.pk}/delete/").status_code == 404
    assert FireRiskAssessment.objects.filter(pk=theirs.pk).exists()
    assert theirs.firm not in client.get(LIST).content.decode()


@pytest.mark.req("SM7.3")
def test_the_school_attaches_the_firms_report_and_its_centre_opens_it(client, world, login):
    from anwen.fire.tests.conftest import scan_pdf

    done = assessment(world, "S3")
    page = f"/fire/assessments/{done.pk}/"
    login(world.users["school3"])
    assert client.get(page).status_code == 200
    response = client.post(page, {"file": scan_pdf("评估报告.pdf")})
    assert response.status_code == 302
    done.refresh_from_db()
    assert done.report is not None and done.report.kind == "pdf"
    assert "评估报告.pdf" in client.get(LIST).content.decode()
    # Not a scan: refused with a message, the kept report stays.
    from django.core.files.uploadedfile import SimpleUploadedFile

    junk = SimpleUploadedFile("report.exe", b"MZ\x90\x00junk", content_type="application/x")
    response = client.post(page, {"file": junk})
    assert response.status_code == 400 and response.context["form"].errors["file"]
    login(world.users["centre2"])
    text = client.get(page).content.decode()
    assert "评估报告.pdf" in text and 'type="file"' not in text  # the centre reads, not attaches
    assert client.get(f"/files/{done.report.pk}/").status_code == 200
    assert client.post(page, {"file": scan_pdf()}).status_code == 404
    # Another school's officer: 404 for the page, the upload and the file.
    login(world.users["school"])
    assert client.get(page).status_code == 404
    assert client.post(page, {"file": scan_pdf("x.pdf")}).status_code == 404
    assert client.get(f"/files/{done.report.pk}/").status_code == 404
    done.refresh_from_db()
    assert done.report.name == "评估报告.pdf"
