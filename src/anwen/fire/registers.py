"""The fire registers (SM7.2, SM7.3), declared over the generic registers: the school's fire
equipment with its next service and scrap date, and the yearly fire safety assessment of the
high-risk schools. Both dates of the equipment and the next assessment are `Dated`: the one
expiry mechanism lists them (/registers/expiring/, the inbox, the reminders)."""

from datetime import date

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from anwen.registers.declare import Dated, Field, Register, register_register

from .equipment import derive_next_assessment, derive_service_due
from .models import FireEquipment, FireRiskAssessment

GROUP = _("Fire safety")
FIRM_NOTE = _(
    "Maintenance and assessments are by qualified fire-service firms only: a row with a firm "
    "but without its qualification number is refused."
)


def _report_name(record: Model) -> str:
    assert isinstance(record, FireRiskAssessment)
    return record.report.name if record.report is not None else ""


def _equipment_figures(rows: QuerySet, today: date) -> list[tuple]:
    return [
        (_("Items in the list"), sum(rows.values_list("count", flat=True))),
        (_("Service overdue"), rows.filter(service_due__lt=today).count()),
        (_("Past the scrap date"), rows.filter(expires_on__lt=today).count()),
    ]


def _assessment_figures(rows: QuerySet, today: date) -> list[tuple]:
    return [(_("Assessed this year"), rows.filter(year=today.year).count())]


EQUIPMENT = register_register(
    Register(
        key="fire-equipment",
        model=FireEquipment,
        noun=_("piece of fire equipment"),
        plural=_("Fire equipment"),
        group=GROUP,
        fields=(
            Field("kind", aliases=("类别", "设施类别")),
            Field("code", aliases=("编号", "位置编号")),
            Field("place", aliases=("位置", "设置位置")),
            Field("count", width=8, aliases=("数量",)),
            Field("model_type", aliases=("型号", "规格型号")),
            Field("maintained_by", width=24, aliases=("维保单位",)),
            Field("firm_qualification", width=20, aliases=("资质证书编号", "资质编号")),
            Field("last_serviced_on", aliases=("维保日期", "上次维保日期")),
            Field("service_due", imported=False, edit=False),
            Field("expires_on", aliases=("报废日期", "报废期限")),
        ),
        identity=("code",),
        describe=lambda e: f"{e.get_kind_display()} {e.code}",
        dated=(
            Dated("service_due", _("Fire equipment service")),
            Dated("expires_on", _("Fire equipment scrap date")),
        ),
        order_by=("org__path", "kind", "code"),
        search=("code", "place", "model_type", "maintained_by"),
        filters=("kind",),
        derive=derive_service_due,
        figures=_equipment_figures,
        notes=(
            _(
                "The next service is computed from the last service and the plan's months "
                "for the kind of equipment."
            ),
            FIRM_NOTE,
        ),
    )
)

LATER = FireRiskAssessment.objects.filter(org=OuterRef("org"), year__gt=OuterRef("year"))

ASSESSMENTS = register_register(
    Register(
        key="fire-assessments",
        model=FireRiskAssessment,
        noun=_("fire risk assessment"),
        plural=_("Fire risk assessments"),
        group=GROUP,
        fields=(
            Field("year", width=8, required=False, aliases=("年度", "评估年度")),
            Field("assessed_on", aliases=("评估日期",)),
            Field("firm", width=24, aliases=("评估单位", "评估机构")),
            Field("firm_qualification", width=20, aliases=("资质证书编号", "资质编号")),
            Field("grade", aliases=("评估结论", "风险等级")),
            Field("report_no", aliases=("报告编号",)),
            Field(
                "report",
                imported=False,
                edit=False,
                show=_report_name,
            ),
            Field("next_due", imported=False, edit=False),
        ),
        identity=("year",),
        describe=lambda a: f"{a.year} {a.firm}",
        # Only a school's latest assessment falls due: last year's is followed by this year's.
        dated=(Dated("next_due", _("Fire risk assessment"), active=Q(~Exists(LATER))),),
        order_by=("org__path", "-year"),
        select_related=("report",),
        search=("firm", "report_no"),
        filters=("grade",),
        derive=derive_next_assessment,
        figures=_assessment_figures,
        links=((_("High-risk schools and this year's assessment"), "fire:risk"),),
        notes=(
            _("One row per school and year; the year is the assessment day's when left empty."),
            FIRM_NOTE,
        ),
    )
)
