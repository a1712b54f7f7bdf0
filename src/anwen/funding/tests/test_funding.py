"""Safety funding (OG1): each school's money per year and purpose, planned against spent, a
register (import all or nothing, export), summed per purpose, per centre and for the district
on a summary page and its Excel, for what the user may see."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from anwen.funding.models import Funding
from anwen.testing.sheets import sheet_rows
from anwen.testing.world import add_schools

pytestmark = pytest.mark.django_db

SUMMARY = "/funding/summary/"
LIST = "/registers/funding/"
HEADER = ("学校代码", "年度", "用途", "计划金额", "已支出", "备注")


def _xlsx(rows, header=HEADER) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "funding.xlsx"
    return buffer


def _fund(world, org, purpose, planned, spent, year=2026):
    return Funding.objects.create(
        org=world.orgs[org] if isinstance(org, str) else org,
        year=year,
        purpose=purpose,
        planned=Decimal(planned),
        spent=Decimal(spent),
    )


@pytest.fixture
def funded(world):
    _fund(world, "S1", "security_staff", "100000", "80000")
    _fund(world, "S1", "fire", "20000", "20000")
    _fund(world, "S2", "security_staff", "50000", "10000")
    _fund(world, "S3", "fire", "30000", "15000")
    _fund(world, "S3", "fire", "99999", "99999", year=2025)  # another year
    _fund(world, "S9", "fire", "77777", "1")  # another district
    return world


def _table(page, key):
    """The rows of one sums table of the summary page: {name: (planned, spent, share)}."""
    text = page.content.decode()
    start = text.index(f'data-sums="{key}"')
    body = text[start : text.index("</table>", start)]
    import re

    rows = re.findall(
        r'<tr><td>([^<]*)</td><td class="num">([^<]*)</td><td class="num">([^<]*)</td>'
        r'<td class="num">([^<]*)</td></tr>',
        body,
    )
    return {name: (planned, spent, share) for name, planned, spent, share in rows}


@pytest.mark.req("OG1")
@pytest.mark.day(date(2026, 12, 1))
def test_the_district_sees_sums_per_purpose_per_centre_and_in_total(client, funded, login):
    login(funded.users["bureau"])
    page = client.get(SUMMARY, {"year": "2026"})
    assert page.status_code == 200
    s = page.context["s"]
    assert (s.total.planned, s.total.spent) == (Decimal("200000"), Decimal("125000"))
    assert s.total.share == Decimal("62.5")
    assert s.schools == 3
    purposes = {p.name: (p.planned, p.spent) for p in s.purposes}
    assert purposes["安保人员"] == (Decimal("150000"), Decimal("90000"))
    assert purposes["消防"] == (Decimal("50000"), Decimal("35000"))
    assert purposes["校车"] == (Decimal("0"), Decimal("0"))
    centres = _table(page, "centres")
    assert centres["青峰镇教育管理中心"] == ("170000.00", "110000.00", "64.7%")
    assert centres["金龙镇教育管理中心"] == ("30000.00", "15000.00", "50.0%")
    assert "另一镇教育管理中心" not in centres
    assert _table(page, "purposes")["校车"][2] == "—"  # nothing planned: no share
    assert 2025 in s.years and 2026 in s.years
    # Last year's, picked by the year.
    assert client.get(SUMMARY, {"year": "2025"}).context["s"].total.planned == Decimal("99999")
    # This year by default.
    assert client.get(SUMMARY).context["s"].year == 2026


@pytest.mark.req("OG1")
@pytest.mark.day(date(2026, 12, 1))
def test_a_centre_sees_its_schools_and_a_school_its_own(client, funded, login):
    login(funded.users["centre"])
    s = client.get(SUMMARY).context["s"]
    assert (s.total.planned, s.total.spent, s.schools) == (
        Decimal("170000"),
        Decimal("110000"),
        2,
    )
    assert [c.name for c in s.centres] == ["青峰镇教育管理中心"]
    login(funded.users["school"])
    s = client.get(SUMMARY).context["s"]
    assert (s.total.planned, s.total.spent, s.schools) == (Decimal("120000"), Decimal("100000"), 1)
    login(funded.users["other_bureau"])
    s = client.get(SUMMARY).context["s"]
    assert s.total.planned == Decimal("77777")
    login(funded.users["agency"])
    assert client.get(SUMMARY).status_code == 404


@pytest.mark.req("OG1")
@pytest.mark.day(date(2026, 12, 1))
def test_the_summary_exports_to_excel(client, funded, login):
    login(funded.users["bureau"])
    download = client.get(SUMMARY, {"year": "2026", "format": "xlsx"})
    assert download.status_code == 200
    rows = sheet_rows(download)
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["安保人员"][2:] == (150000, 90000, "60.0%")
    assert by_name["青峰镇教育管理中心"][2:] == (170000, 110000, "64.7%")
    assert rows[-1][0] == "合计" and rows[-1][2:] == (200000, 125000, "62.5%")
    # The register's own list exports the records, and links to the summary.
    page = client.get(LIST)
    assert SUMMARY in page.content.decode()
    assert [(str(k), v) for k, v in page.context["figures"]] == [
        ("计划金额（元）", Decimal("299999.00")),
        ("已支出（元）", Decimal("224999.00")),
    ]
    records = sheet_rows(client.get(LIST + "?format=xlsx"))
    assert len(records) == 1 + 5  # the header, and the district's five records


@pytest.mark.day(date(2026, 12, 1))
def test_the_summary_asks_the_same_queries_in_a_bigger_district(
    client, funded, login, django_assert_max_num_queries
):
    login(funded.users["bureau"])
    client.get(SUMMARY)
    with CaptureQueriesContext(connection) as small:
        client.get(SUMMARY)
    for school in add_schools(funded, 30, parent="C2"):
        for purpose in ("fire", "technical", "education"):
            _fund(funded, school, purpose, "1000", "500")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(SUMMARY)
    assert page.context["s"].schools == 33


def test_a_bad_year_gets_a_message(client, funded, login):
    login(funded.users["bureau"])
    for year in ("abc", "1850", "99999999999999999999", "1" * 5000, "²⁰²⁶", "-2026"):
        page = client.get(SUMMARY, {"year": year}, follow=True)
        assert page.status_code == 200
        assert "不是 2000 至 2100 之间的年份" in page.content.decode()


@pytest.mark.req("PL8")
def test_an_import_with_bad_amounts_writes_nothing_and_names_each(client, world, login):
    login(world.users["school"])
    rows = [
        ("S1", 2026, "安保人员", "100000", "80000", ""),
        ("S1", 2026, "消防", "-5", "0", ""),  # negative
        ("S1", 2026, "技防设施", "100000000000000000000", "0", ""),  # 10^20
        ("S1", 2026, "隐患整改", "五万", "0", ""),  # text
        ("S1", 1850, "其他", "1", "0", ""),  # no year of ours
        ("S3", 2026, "消防", "1", "0", ""),  # another school
    ]
    response = client.post("/registers/funding/import/", {"file": _xlsx(rows)})
    assert response.status_code == 400
    text = response.content.decode()
    for line in (3, 4, 5, 6, 7):
        assert f"第 {line} 行" in text, line
    assert "“-5”" in text and "“五万”" in text and "100000000000000000000" in text
    assert not Funding.objects.exists()


@pytest.mark.req("OG1")
def test_a_clean_import_adds_then_updates_by_year_and_purpose(client, world, login):
    login(world.users["school"])
    rows = [
        ("S1", 2026, "安保人员", "100000", "80000", ""),
        ("S1", 2025, "安保人员", "90000", "90000", ""),
    ]
    assert client.post("/registers/funding/import/", {"file": _xlsx(rows)}).status_code == 302
    rows = [("S1", 2026, "安保人员", "100000", "95000.5", "第四季度补发")]
    assert client.post("/registers/funding/import/", {"file": _xlsx(rows)}).status_code == 302
    assert Funding.objects.count() == 2
    line = Funding.objects.get(year=2026)
    assert (line.spent, line.note) == (Decimal("95000.50"), "第四季度补发")


@pytest.mark.parametrize("planned", ["-1", "100000000000000000000", "五万", "1.234"], ids=str)
def test_bad_amounts_on_the_form_get_a_message(client, world, login, planned):
    login(world.users["school"])
    page = client.get("/registers/funding/new/")
    data = {
        "o-org": world.orgs["S1"].pk,
        "o-once": page.context["chooser"]["once"].value(),
        "r-year": "2026",
        "r-purpose": "fire",
        "r-planned": planned,
        "r-spent": "0",
    }
    response = client.post("/registers/funding/new/", data)
    assert response.status_code == 400
    assert "planned" in response.context["form"].errors
    assert not Funding.objects.exists()
    data["r-planned"] = "1000"
    assert client.post("/registers/funding/new/", data).status_code == 302
    assert Funding.objects.count() == 1


def test_another_schools_funding_is_not_found(client, world, login):
    theirs = _fund(world, "S3", "fire", "1000", "10")
    login(world.users["school"])
    assert client.get(f"/registers/funding/{theirs.pk}/edit/").status_code == 404
    assert (
        client.post(f"/registers/funding/{theirs.pk}/edit/", {"r-planned": "1"}).status_code == 404
    )
    assert client.post(f"/registers/funding/{theirs.pk}/delete/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.planned == Decimal("1000")
