"""The security devices as a register: the generic pages give them their list, form, template,
import and export, and the expiry mechanism their overdue checks. The status columns
(`STATUS`) are what a video platform's export and the status feed update."""

from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anwen import calendar
from anwen.obligations.plans import Rules
from anwen.orgs.models import Org
from anwen.registers.declare import Dated, Field, Register, register_register

from .models import Device
from .rules import CHECK_INTERVAL, CHECK_WARN_DAYS

# The columns a status update (a video platform's export, the API's feed) may change; a row
# names its device by the school's code and the device's code, and changes only these.
STATUS = ("networked", "networked_on", "last_checked_on", "in_service")


def _interval(org: Org, today: date):
    """The plan's check interval for `org`. Read once per org object: an import calls `derive`
    for each of its 5,000 rows, and the rows of one school share its object."""
    cached = org.__dict__.get("_devices_interval")
    if cached is None or cached[0] != today:
        cached = (today, Rules(on=today).get(CHECK_INTERVAL, org=org))
        org.__dict__["_devices_interval"] = cached
    return cached[1]


def check_due(values: dict[str, Any], org: Org, today: date) -> dict[str, Any]:
    """The next check: the last check plus the plan's interval (none before a first check)."""
    checked = values.get("last_checked_on")
    values["check_due"] = calendar.due(checked, _interval(org, today)) if checked else None
    return values


DEVICES = register_register(
    Register(
        key="devices",
        model=Device,
        noun=_("security device"),
        plural=_("Security devices"),
        group=_("Security"),
        fields=(
            Field("kind", aliases=("设备类型", "类型", "设备类别")),
            Field("code", aliases=("设备编号", "设备编码", "点位编号", "编号")),
            Field("place", aliases=("安装位置", "位置", "点位名称")),
            Field("networked", aliases=("是否联网", "联网状态", "是否接入公安")),
            Field("networked_on", aliases=("联网日期", "接入日期")),
            Field("last_checked_on", aliases=("最近检查日期", "检测日期", "巡检日期")),
            Field("check_due", imported=False, edit=False),
            Field("in_service", aliases=("是否在用", "在用")),
        ),
        identity=("code",),
        describe=lambda d: f"{d.get_kind_display()} {d.code}",
        dated=(
            Dated(
                "check_due",
                _("Device check"),
                active=Q(in_service=True),
                warn=CHECK_WARN_DAYS,
            ),
        ),
        search=("code", "place"),
        filters=("kind", "networked", "in_service"),
        derive=check_due,
        notes=(
            _(
                "Device type: one-key alarm, video surveillance, access control or patrol "
                "point. Device code: the number of the device within its school."
            ),
            _("The next check is computed from the last check and the plan's interval."),
        ),
        # The status update from a video platform is offered on the rates page, to those who
        # manage devices (a link here would show to every reader).
        links=((_("Networked rates"), "devices:rates"),),
    )
)
