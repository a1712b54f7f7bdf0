"""The high-risk schools' page (SM7.3): every school the plan makes a fire high-risk unit,
with this year's assessment or "missing", the missing ones first. Not a list of records (a
school without any assessment has none), so a page of its own, linked from the assessments
register; the records themselves are the register's."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from anwen.exports.xlsx import Column, Exporter
from anwen.orgs.exporting import export_response
from anwen.registers.imports import manageable
from anwen.registers.selectors import access_record, visible_paths

from . import services
from .equipment import RiskRow, risk_rows
from .models import FireRiskAssessment
from .registers import ASSESSMENTS


def _done(r: RiskRow) -> str:
    return r.assessment.assessed_on.isoformat() if r.assessment else ""


COLUMNS = [
    Column(gettext_lazy("School"), lambda r: r.school.name, 30),
    Column(gettext_lazy("Centre"), lambda r: r.school.parent.name if r.school.parent else "", 22),
    Column(gettext_lazy("assessed on"), _done, 12),
    Column(gettext_lazy("assessing firm"), lambda r: r.assessment.firm if r.assessment else "", 24),
    Column(
        gettext_lazy("assessment result"),
        lambda r: r.assessment.get_grade_display() if r.assessment else "",
        12,
    ),
]


@require_GET
@login_required
def risk(request):
    paths = visible_paths(request.user, ASSESSMENTS)
    if not paths:
        raise Http404
    today = timezone.localdate()
    rows = risk_rows(paths, today=today)
    if request.GET.get("format") == "xlsx":
        exporter = Exporter(
            title=gettext_lazy("Fire high-risk schools"), columns=COLUMNS, rows=rows
        )
        return export_response(request, exporter, "fire-high-risk", total=len(rows))
    missing = [r for r in rows if r.assessment is None]
    return render(
        request,
        "fire/risk.html",
        {
            "rows": rows,
            "missing": len(missing),
            "year": today.year,
            "register_url": reverse("registers:list", kwargs={"key": ASSESSMENTS.key}),
        },
    )


class ReportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Assessment report"),
        help_text=gettext_lazy("The firm's report: a PDF scan, or a photo of each page."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def assessment_report(request, pk):
    """One assessment with its report: anyone who sees the register opens it; the school's
    keepers of the register attach the firm's report."""
    posting = request.method == "POST"
    assessment = access_record(request.user, ASSESSMENTS, pk, manage=posting)
    assert isinstance(assessment, FireRiskAssessment)
    may_attach = any(o.pk == assessment.org_id for o in manageable(request.user, ASSESSMENTS))
    form = ReportForm(request.POST or None, request.FILES or None)
    if posting:
        if form.is_valid():
            try:
                services.assessment_report_attach(
                    assessment=assessment,
                    upload=form.cleaned_data["file"],
                    by=request.user,
                    request=request,
                )
            except services.FireError as e:
                form.add_error("file", str(e))
            else:
                messages.success(request, _("Assessment report kept."))
                return redirect("fire:assessment_report", pk=assessment.pk)
    return render(
        request,
        "fire/assessment_report.html",
        {
            "assessment": assessment,
            "form": form if may_attach else None,
            "register_url": reverse("registers:list", kwargs={"key": ASSESSMENTS.key}),
        },
        status=400 if posting else 200,
    )
