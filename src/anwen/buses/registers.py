"""The school-bus registers (SM8.1): buses, their drivers and on-board attendants, declared on
the registers mechanism — their list, form, template, import, export and the expiry of every
dated paper (inspection, insurance, bus sign, licence, re-examination) come from there."""

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anwen.forms import DateField
from anwen.obligations.plans import rule
from anwen.orgs.models import Org
from anwen.registers.declare import Cell, Dated, Field, Register, register_register

from . import checks
from .models import Attendant, Bus, Driver
from .rules import INSPECTION_MONTHS, REEXAMINATION_MONTHS, months_after

GROUP = _("School buses")


def normal_plate(text: str) -> str:
    """渝A·12345, 渝a 12345 and 渝A12345 are one plate."""
    return "".join(ch for ch in (text or "").upper() if ch not in " ·.-\u3000")


def _bus_derive(values: dict[str, Any], org: Org, today: date) -> dict[str, Any]:
    if "plate" in values:
        values["plate"] = normal_plate(values["plate"])
    inspected = values.get("inspected_on")
    values["next_inspection"] = (
        months_after(inspected, rule(INSPECTION_MONTHS, org=org, on=today)) if inspected else None
    )
    return values


def _driver_derive(values: dict[str, Any], org: Org, today: date) -> dict[str, Any]:
    if "licence_number" in values:
        values["licence_number"] = (values["licence_number"] or "").strip().upper()
    examined = values.get("reexamined_on")
    values["next_reexamination"] = (
        months_after(examined, rule(REEXAMINATION_MONTHS, org=org, on=today)) if examined else None
    )
    return values


def _qualified(driver: Any) -> str:
    problems = checks.driver_problems(driver, timezone.localdate())
    if not problems:
        return str(_("Qualified"))
    return str(_("Not qualified: %(why)s") % {"why": "；".join(problems)})


# --- drivers: the form takes birth dates before 2000 ---------------------------------------------

EARLIEST_BIRTH = date(1940, 1, 1)


class PastDateField(forms.DateField):
    """A date of birth or the first licence: after 1940 and not in the future."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                attrs={"type": "date", "min": EARLIEST_BIRTH.isoformat()}, format="%Y-%m-%d"
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and not EARLIEST_BIRTH <= day <= timezone.localdate():
            raise forms.ValidationError(_("Enter a date between 1940-01-01 and today."))
        return day


def _driver_formfield(mf, **kwargs):
    if mf.name in ("born_on", "driving_since"):
        return mf.formfield(form_class=PastDateField, **kwargs)
    if isinstance(mf, models.DateField):
        return mf.formfield(
            form_class=DateField,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **kwargs,
        )
    return mf.formfield(**kwargs)


DriverForm = forms.modelform_factory(
    Driver,
    fields=[
        "name",
        "licence_number",
        "licence_class",
        "licence_expires_on",
        "born_on",
        "driving_since",
        "no_points_wiped",
        "no_fatal_accident",
        "no_drink_driving",
        "no_criminal_record",
        "no_illness",
        "reexamined_on",
    ],
    formfield_callback=_driver_formfield,
)


BUSES = register_register(
    Register(
        key="buses",
        model=Bus,
        noun=_("school bus"),
        plural=_("School buses"),
        group=GROUP,
        fields=(
            Field("plate", aliases=("车牌号", "车牌号码", "号牌")),
            Field("seats", aliases=("核载人数", "座位数")),
            Field("sign_number", aliases=("校车标牌号", "标牌号")),
            Field("sign_expires_on", aliases=("标牌有效期",)),
            Field("inspected_on", aliases=("检验日期", "最近检验日期")),
            Field("next_inspection", imported=False, edit=False),
            Field("insurance_expires_on", aliases=("保险到期", "保险有效期")),
            Field("gps_recorder"),
            Field("in_service"),
        ),
        identity=("plate",),
        describe=lambda b: str(_("School bus %(plate)s") % {"plate": b.plate}),
        dated=(
            Dated("next_inspection", _("Technical inspection"), active=Q(in_service=True)),
            Dated("insurance_expires_on", _("Bus insurance"), active=Q(in_service=True)),
            Dated("sign_expires_on", _("School bus sign"), active=Q(in_service=True)),
        ),
        order_by=("org__path", "plate"),
        search=("plate", "sign_number"),
        filters=("in_service", "gps_recorder"),
        derive=_bus_derive,
        notes=(
            _(
                "A school bus has at least 7 seats. The next inspection is computed from the "
                "last one and the plan's interval."
            ),
        ),
        links=((_("Pre-departure check"), "buses:check"), (_("Trips"), "buses:trips")),
    )
)

DRIVERS = register_register(
    Register(
        key="bus-drivers",
        model=Driver,
        noun=_("school bus driver"),
        plural=_("School bus drivers"),
        group=GROUP,
        fields=(
            Field("name", aliases=("姓名",)),
            Field("licence_number", list=False, aliases=("身份证号", "驾驶证号")),
            Field("licence_class", aliases=("准驾车型",)),
            Field("licence_expires_on", aliases=("驾驶证有效期",)),
            Field("born_on", list=False, aliases=("出生日期",)),
            Field("driving_since", list=False, aliases=("初次领证日期",)),
            Field("no_points_wiped", list=False),
            Field("no_fatal_accident", list=False),
            Field("no_drink_driving", list=False),
            Field("no_criminal_record", list=False),
            Field("no_illness", list=False),
            Field("reexamined_on", aliases=("审验日期",)),
            Field("next_reexamination", imported=False, edit=False),
            Field(
                "qualified",
                label=_("Qualification"),
                imported=False,
                edit=False,
                width=30,
                show=_qualified,
            ),
        ),
        identity=("licence_number",),
        describe=lambda d: f"{d.name}（{d.licence_class}）",
        dated=(
            Dated("licence_expires_on", _("Driving licence")),
            Dated("next_reexamination", _("Annual re-examination")),
        ),
        order_by=("org__path", "name", "pk"),
        search=("name", "licence_number"),
        filters=("licence_class",),
        derive=_driver_derive,
        form=DriverForm,
        notes=(
            _(
                "A driver must be 25 to 60 years old with at least 3 years of driving; each "
                "yes/no condition must be 是 for the driver to be qualified."
            ),
        ),
        links=((_("Pre-departure check"), "buses:check"), (_("Trips"), "buses:trips")),
    )
)


# --- attendants: their account named by its username ---------------------------------------


def _user_by_username(text: str):
    return get_user_model().objects.filter(username=text.strip()).first()


class AccountField(forms.CharField):
    """An account named by its username (the login name), or none."""

    def prepare_value(self, value):
        if isinstance(value, int):
            user = get_user_model().objects.filter(pk=value).first()
            return user.username if user else ""
        return super().prepare_value(value)

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        user = _user_by_username(text)
        if user is None:
            raise forms.ValidationError(_("No account has this login name."))
        return user


def _attendant_formfield(mf, **kwargs):
    if mf.name == "user":
        return AccountField(
            label=_("account"),
            required=False,
            max_length=150,
            help_text=_("The login name of their account, when they run the pre-departure check."),
        )
    return mf.formfield(**kwargs)


AttendantForm = forms.modelform_factory(
    Attendant, fields=["name", "phone", "user"], formfield_callback=_attendant_formfield
)


def _parse_account(cell: Cell):
    text = cell.row.get("user", "").strip()
    if not text:
        return None
    user = _user_by_username(text)
    if user is None:
        cell.checker.bad(
            cell.number, "user", str(_("“%(v)s” is no account's login name.") % {"v": text})
        )
    return user


def _account_shown(attendant: Any) -> str:
    return attendant.user.username if attendant.user else ""


ATTENDANTS = register_register(
    Register(
        key="bus-attendants",
        model=Attendant,
        noun=_("bus attendant"),
        plural=_("Bus attendants"),
        group=GROUP,
        fields=(
            Field("name", aliases=("姓名",)),
            Field("phone", aliases=("电话", "手机", "联系电话")),
            Field(
                "user",
                required=False,
                parse=_parse_account,
                show=_account_shown,
                aliases=("账号", "登录名"),
            ),
        ),
        identity=("phone",),
        describe=lambda a: a.name,
        order_by=("org__path", "name", "pk"),
        select_related=("user",),
        search=("name", "phone"),
        form=AttendantForm,
        links=((_("Pre-departure check"), "buses:check"), (_("Trips"), "buses:trips")),
    )
)
