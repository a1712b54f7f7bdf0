"""The numbers the security devices read, kept in the bureau's yearly plan: how often a device
is checked, and the networked rate each school type must reach by when."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anwen.calendar import DeadlineRule
from anwen.obligations.plans import IntegerType, JSONType, PlanRule
from anwen.orgs.models import SchoolType

from .models import Kind

CHECK_INTERVAL = PlanRule(
    "devices.check_interval",
    DeadlineRule(30, "calendar"),
    label=gettext_lazy("Days between two checks of a security device"),
    help_text=gettext_lazy(
        "The next check of an alarm, camera, access control or patrol point falls due this "
        "many days after its last check."
    ),
)


def _check_targets(value: Any) -> None:
    """{school type: {"percent": 0–100, "by": "YYYY-MM-DD", "kinds": [device types]}}."""
    types = set(SchoolType.values)
    kinds = set(Kind.values)
    if not isinstance(value, dict):
        raise ValidationError(_("Write one entry per school type, e.g. %(example)s.") % EXAMPLE)
    for school_type, target in value.items():
        if school_type not in types:
            raise ValidationError(
                _("“%(value)s” is not a school type; use one of %(allowed)s.")
                % {"value": school_type, "allowed": "、".join(sorted(types))}
            )
        if not isinstance(target, dict) or set(target) - {"percent", "by", "kinds"}:
            raise ValidationError(_("Write one entry per school type, e.g. %(example)s.") % EXAMPLE)
        percent = target.get("percent")
        if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
            raise ValidationError(
                _("The target of %(type)s must be a whole percent from 0 to 100.")
                % {"type": school_type}
            )
        try:
            date.fromisoformat(str(target.get("by", "")))
        except ValueError:
            raise ValidationError(
                _("The date of %(type)s must be written as 2021-12-31.") % {"type": school_type}
            ) from None
        named = target.get("kinds", list(kinds))
        if not isinstance(named, list) or not named or set(map(str, named)) - kinds:
            raise ValidationError(
                _("The device types of %(type)s must be a list of %(allowed)s.")
                % {"type": school_type, "allowed": "、".join(Kind.values)}
            )


EXAMPLE = {"example": '{"kindergarten": {"percent": 100, "by": "2021-12-31"}}'}

NETWORK_TARGETS = PlanRule(
    "devices.network_targets",
    # The 2021 plan: every kindergarten's one-key alarms and cameras networked to the police by
    # the end of 2021.
    {"kindergarten": {"percent": 100, "by": "2021-12-31", "kinds": ["alarm", "camera"]}},
    type=JSONType(_check_targets),
    label=gettext_lazy("Networked-to-police targets by school type"),
    help_text=gettext_lazy(
        "Per school type: the share of its devices in service that must be networked to the "
        "police (percent), by which date, and which device types count (alarm, camera, "
        "access, patrol; all when left out)."
    ),
)
# A device is checked every month or so: the registers' general 30 days of warning would keep
# every device "due soon" all the time, so its own, shorter warning.
CHECK_WARN_DAYS = PlanRule(
    "devices.check_warn_days",
    7,
    type=IntegerType(1, 90),
    label=gettext_lazy("Days before a device check that it counts as due soon"),
    help_text=gettext_lazy(
        "Shorter than the interval between checks, or every device is due soon."
    ),
)
RULES = (CHECK_INTERVAL, NETWORK_TARGETS, CHECK_WARN_DAYS)
