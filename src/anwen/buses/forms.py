"""The pre-departure check's form: it only validates. Which buses, drivers and attendants it
offers is the view's (through the selectors); what the answers mean is `services.trip_check`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anwen.forms import IdChoiceField
from anwen.once.tokens import OnceField

from .models import Attendant, Driver
from .rules import condition_label

YES_NO = (("yes", _("Yes")), ("no", _("No")))


def condition_field(index: int) -> str:
    return f"c{index}"


class CheckForm(forms.Form):
    driver = IdChoiceField(
        queryset=Driver.objects.none(),
        label=_("Driver"),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose the driver."),
            "invalid_choice": _("Choose the driver."),
        },
    )
    attendant = IdChoiceField(
        queryset=Attendant.objects.none(),
        label=_("Attendant on board"),
        required=False,
        widget=forms.RadioSelect,
        empty_label=_("No attendant on board"),
    )
    students = forms.IntegerField(
        label=_("Students on board"),
        min_value=0,
        max_value=999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*"}),
    )
    once = OnceField()

    def __init__(
        self, *args, drivers, attendants, conditions: list[str], own_attendant=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.conditions = conditions
        driver = self.fields["driver"]
        assert isinstance(driver, IdChoiceField)
        driver.queryset = drivers
        attendant = self.fields["attendant"]
        assert isinstance(attendant, IdChoiceField)
        if own_attendant is not None:
            # The attendant who checks is on board: no choice to make.
            del self.fields["attendant"]
        else:
            attendant.queryset = attendants
        for i, condition in enumerate(conditions):
            self.fields[condition_field(i)] = forms.ChoiceField(
                label=condition_label(condition),
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": _("Answer yes or no.")},
            )

    def answers(self) -> dict[str, bool]:
        return {
            c: self.cleaned_data[condition_field(i)] == "yes" for i, c in enumerate(self.conditions)
        }

    def condition_rows(self):
        return [self[condition_field(i)] for i in range(len(self.conditions))]
