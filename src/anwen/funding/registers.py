"""The register of safety funding (OG1): a school's money for safety per year and purpose,
planned against spent. The list, form, template, import and export come from the declaration;
the sums by purpose, centre and district are the summary page (`views.summary`)."""

from decimal import Decimal

from django.db.models import DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from anwen.registers.declare import Field, Register, register_register

from .models import Funding


def _figures(rows: QuerySet, today) -> list[tuple]:
    money: DecimalField = DecimalField(max_digits=20, decimal_places=2)
    got = rows.order_by().aggregate(
        planned=Coalesce(Sum("planned"), Value(Decimal(0)), output_field=money),
        spent=Coalesce(Sum("spent"), Value(Decimal(0)), output_field=money),
    )
    fen = Decimal("0.01")  # SQLite sums decimals without their places
    return [
        (_("Planned (yuan)"), Decimal(got["planned"]).quantize(fen)),
        (_("Spent (yuan)"), Decimal(got["spent"]).quantize(fen)),
    ]


FUNDING = register_register(
    Register(
        key="funding",
        model=Funding,
        noun=_("funding line"),
        plural=_("Safety funding"),
        group=_("Safety funding"),
        fields=(
            Field("year", width=8, aliases=("年度", "年份")),
            Field("purpose", width=18, aliases=("用途", "经费用途")),
            Field("planned", aliases=("计划金额", "预算", "计划")),
            Field("spent", aliases=("已支出", "支出金额", "实际支出")),
            Field("note", width=30, aliases=("备注",)),
        ),
        identity=("year", "purpose"),
        order_by=("org__path", "-year", "purpose"),
        describe=lambda f: f"{f.year} {f.get_purpose_display()}",
        search=("note",),
        filters=("purpose",),
        figures=_figures,
        links=((_("Sums by purpose, centre and district"), "funding:summary"),),
        notes=(_("Amounts in yuan, at most two decimals, not negative."),),
    )
)
