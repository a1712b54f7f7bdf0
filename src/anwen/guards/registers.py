"""The guards register (SM3.2): declared once, served by the generic register pages (list,
form, Excel template, whole-file import, export), with the certificate's expiry on the one
expiry mechanism (the district's expiring list, the inbox, the reminders). The shortfall list
against the staffing norm is this app's own page, linked from the list."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Count, Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from anwen.obligations.plans import Rules
from anwen.orgs.models import Org
from anwen.registers.declare import Dated, Field, Register, register_register

from .models import Guard
from .rules import TRAINING_FROM, autumn_start
from .trainings import record_trainings


def _bureau_of(rows: QuerySet) -> Org | None:
    """The org whose plan decides the season (the root of the first listed guard's school)."""
    path = rows.order_by().values_list("org__path", flat=True).first()
    root = path.split("/")[0] if path else ""
    return Org.objects.filter(pk=int(root)).first() if root.isdigit() else None


def valid_q(today: date, prefix: str = "") -> Q:
    """The guards who count against the norm: on duty, full-time, their certificate valid."""
    return Q(
        **{
            f"{prefix}active": True,
            f"{prefix}full_time": True,
            f"{prefix}certificate_expires_on__gte": today,
        }
    )


def _figures(rows: QuerySet, today: date) -> list[tuple[Any, Any]]:
    bureau = _bureau_of(rows)
    training_from = (
        Rules(on=today).get(TRAINING_FROM, org=bureau) if bureau else TRAINING_FROM.default
    )
    since = autumn_start(today, training_from)
    counts = rows.order_by().aggregate(
        on_duty=Count("pk", filter=Q(active=True)),
        valid=Count("pk", filter=valid_q(today)),
        trained=Count("pk", filter=Q(active=True, trained_on__gte=since, trained_on__lte=today)),
    )
    return [
        (_("On duty"), counts["on_duty"]),
        (_("Full-time with a valid certificate"), counts["valid"]),
        (_("Trained this autumn"), f"{counts['trained']} / {counts['on_duty']}"),
    ]


def _saved(guards: Sequence[Model], by) -> None:
    """After a save from the form, an import or a feed: the autumn trainings among the guards
    become records of the rhythm engine (`trainings`)."""
    record_trainings(guards, by)


GUARDS = register_register(
    Register(
        key="guards",
        model=Guard,
        noun=_("security guard"),
        plural=_("Security guards"),
        group=_("Security"),
        fields=(
            Field("name", aliases=("姓名",)),
            Field("phone", aliases=("电话", "联系电话")),
            Field("certificate_no", aliases=("保安员证号", "证书编号")),
            Field("certificate_expires_on", aliases=("有效期至", "证书有效期")),
            Field("employer", width=24, aliases=("用工单位", "保安公司")),
            Field("full_time", aliases=("专职",)),
            Field("trained_on", aliases=("培训日期",)),
            Field("active", aliases=("在岗",)),
        ),
        identity=("certificate_no",),
        describe=lambda g: f"{g.name}（{g.certificate_no}）",
        dated=(Dated("certificate_expires_on", _("Guard certificate"), active=Q(active=True)),),
        search=("name", "certificate_no", "employer"),
        filters=("full_time", "active"),
        notes=(
            _(
                "One row per guard, as the security company lists them. The guard certificate "
                "number (保安员证号) names the guard within the school: a row with a number "
                "already registered updates that guard."
            ),
            _(
                "Only guards on duty, full-time and with a valid certificate count against the "
                "number the plan requires."
            ),
        ),
        links=((_("Schools short of guards"), "guards:shortfall"),),
        figures=_figures,
        saved=_saved,
    )
)
