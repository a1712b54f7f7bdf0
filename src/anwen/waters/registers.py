"""The register of dangerous waters near schools (SM9.1): one declaration gives it the list,
form, template, import, export; `saved` raises the hazards of missing signs and barriers."""

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from anwen.registers.declare import Field, Register, register_register

from .models import Water
from .services import raise_missing


def _saved(records, by) -> None:
    raise_missing(records, by)


def _figures(rows: QuerySet, today) -> list[tuple]:
    got = rows.order_by().aggregate(
        total=Count("pk"),
        no_sign=Count("pk", filter=Q(warning_signs=False)),
        no_barrier=Count("pk", filter=Q(barriers=False)),
    )
    return [
        (_("Waters"), got["total"]),
        (_("Without warning signs"), got["no_sign"]),
        (_("Without barriers"), got["no_barrier"]),
    ]


WATERS = register_register(
    Register(
        key="waters",
        model=Water,
        noun=_("dangerous water"),
        plural=_("Dangerous waters"),
        group=_("Drowning prevention"),
        fields=(
            Field("name", width=20, aliases=("水域名称", "名称")),
            Field("kind", aliases=("类型", "水域类型")),
            Field("longitude", list=False, aliases=("经度",)),
            Field("latitude", list=False, aliases=("纬度",)),
            Field("distance_m", aliases=("距离", "距学校距离")),
            Field("warning_signs", aliases=("警示标志",)),
            Field("barriers", aliases=("防护设施", "护栏")),
            Field("responsible", width=20, aliases=("责任单位",)),
            Field("responsible_contact", aliases=("联系电话", "联系方式")),
            Field("last_checked_on", aliases=("排查日期", "最近排查")),
        ),
        identity=("name",),
        describe=lambda w: f"{w.get_kind_display()} {w.name}",
        search=("name", "responsible"),
        filters=("kind", "warning_signs", "barriers"),
        saved=_saved,
        figures=_figures,
        notes=(
            _(
                "A water without warning signs or barriers is raised as a hazard of the school "
                "when it is saved (once while that hazard is open)."
            ),
            _("Longitude and latitude in degrees, as 105.7312 and 29.0123."),
        ),
    )
)
