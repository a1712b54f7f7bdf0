"""The record form of a fire self-check (《学校幼儿园消防安全隐患检查记录表》) as PDF, for printing,
signing by the legal representative and stamping: the unit, date and inspectors, one row per
problem found (place, item, problem, and blank cells for the measure, the person responsible,
the deadline and the re-check, filled in by hand), and the list of every item checked."""

from dataclasses import dataclass

import weasyprint
from django.template.loader import render_to_string
from django.utils import timezone, translation

from anwen.fire.models import FireSelfCheck

BLANK_ROWS = 5  # at least this many rows in the problem table, for problems added by hand


@dataclass
class ProblemRow:
    number: int | None
    place: str = ""
    item: str = ""
    problem: str = ""


def context(check: FireSelfCheck) -> dict:
    inspection = check.inspection
    answers = list(
        inspection.answers.select_related("item").order_by("item__sort_order", "item__pk")
    )
    by_item = {a.item_id: a for a in answers}
    items = list(inspection.version.items.order_by("sort_order", "pk"))
    findings = list(inspection.findings.select_related("answer__item").order_by("pk"))
    area = inspection.area.name if inspection.area else ""
    problems = []
    for number, finding in enumerate(findings, start=1):
        answer = finding.answer if finding.answer_id else None
        problems.append(
            ProblemRow(
                number=number,
                place=finding.location or area or finding.category,
                item=answer.item.text if answer else finding.category,
                # The finding repeats the item's text before the note; the form has a column each.
                problem=(answer.note if answer and answer.note else finding.description),
            )
        )
    while len(problems) < BLANK_ROWS:
        problems.append(ProblemRow(number=None))
    inspectors = [p.name for p in inspection.participants.all()]
    results = {"pass": 0, "fail": 0, "na": 0}
    for answer in answers:
        results[answer.result] = results.get(answer.result, 0) + 1
    return {
        "check": check,
        "org": check.org,
        "inspection": inspection,
        "inspectors": inspectors,
        "problems": problems,
        "found": len(findings),
        "items": [(item, by_item.get(item.pk)) for item in items],
        "results": results,
        "printed_at": timezone.localtime(),
    }


def record_form_pdf(check: FireSelfCheck) -> bytes:
    # An official form of the district: Chinese whatever the language of the person printing.
    with translation.override("zh-hans"):
        html = render_to_string("fire/record_form.html", context(check))
    return weasyprint.HTML(string=html).write_pdf()
