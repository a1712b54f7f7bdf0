from datetime import timedelta

from anwen.registers.declare import Dated, Field, Register, register_register

from .models import Gadget

CHECK_EVERY = timedelta(days=90)


def _check_due(values, org, today):
    checked = values.get("checked_on")
    values["check_due"] = checked + CHECK_EVERY if checked else None
    return values


GADGETS = register_register(
    Register(
        key="gadgets",
        model=Gadget,
        noun="gadget",
        plural="Gadgets",
        group="Toys",
        fields=(
            Field("code"),
            Field("kind"),
            Field("working"),
            Field("count"),
            Field("checked_on"),
            Field("check_due", imported=False, edit=False),
        ),
        identity=("code",),
        describe=lambda g: f"{g.get_kind_display()} {g.code}",
        dated=(Dated("check_due", "Gadget check"),),
        search=("code",),
        filters=("kind", "working"),
        derive=_check_due,
    )
)
